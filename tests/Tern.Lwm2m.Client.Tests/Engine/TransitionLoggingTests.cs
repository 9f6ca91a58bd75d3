using Microsoft.Extensions.Logging;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Client.Tests.Engine;

public class TransitionLoggingTests
{
    private sealed class CapturingLogger : ILogger
    {
        public List<(EventId Id, string Text)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((eventId, formatter(state, exception)));
    }

    [Fact]
    public void Every_transition_is_logged_as_from_arrow_to_with_a_stable_event_id()
    {
        var logger = new CapturingLogger();
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(1, "coap://dm", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 1 }],
            [new Lwm2mServerInstance(0, 1, TimeSpan.FromSeconds(60))]);
        var engine = new Lwm2mClientEngine(configuration, new Lwm2mClientOptions("n"), logger);
        engine.Start();
        engine.Step(DateTimeOffset.UnixEpoch);
        Assert.True(engine.TryTakeAction(out var action));
        engine.OnResponse(((Lwm2mSendRequest)action).ExchangeId, Tern.Coap.Messages.CoapCode.Created, ["rd", "1"], DateTimeOffset.UnixEpoch);

        Assert.Equal(["Initial -> Registration", "Registration -> RegistrationSession"], logger.Lines.Where(l => l.Id.Id == 1).Select(l => l.Text));
    }

    [Fact]
    public void Bootstrap_transitions_are_logged_like_every_other()
    {
        var logger = new CapturingLogger();
        var engine = new Lwm2mClientEngine(EngineHarness.BootstrapOnly(), new Lwm2mClientOptions("n") { BootstrapRetryCount = 0 }, logger);
        engine.Start();
        engine.Step(DateTimeOffset.UnixEpoch);
        Assert.True(engine.TryTakeAction(out var action));
        engine.OnResponse(((Lwm2mSendRequest)action).ExchangeId, Tern.Coap.Messages.CoapCode.BadRequest, [], DateTimeOffset.UnixEpoch);

        Assert.Equal(["Initial -> Bootstrap", "Bootstrap -> Failure"], logger.Lines.Where(l => l.Id.Id == 1).Select(l => l.Text));
        Assert.Contains(logger.Lines, l => l.Id.Id == 5 && l.Text.Contains("coap://bs.example:5683", StringComparison.Ordinal));
    }
}
