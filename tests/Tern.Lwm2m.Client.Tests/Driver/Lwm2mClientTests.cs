using System.Text;
using Tern.Coap.Messages;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using S = Tern.Lwm2m.Client.Engine.Lwm2mClientState;

namespace Tern.Lwm2m.Client.Tests.Driver;

public class Lwm2mClientTests
{
    private static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    [Fact]
    public async Task Client_registers_over_the_virtual_network_and_updates_on_schedule()
    {
        await using var f = await ClientFixture.StartAsync(new Lwm2mServerInstance(0, 1, Sec(60)));
        await f.Client.StartAsync();
        await f.RunForAsync(TimeSpan.FromMinutes(10));

        Assert.Single(f.Server.Of(CoapCode.Post, "/rd"));
        var updates = f.Server.Of(CoapCode.Post, "/rd/7").Select(u => u.At - f.Start).ToList();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => Sec(30 * i)), updates);
        Assert.Equal(S.RegistrationSession, f.Client.State);
        Assert.Equal("/rd/7", Assert.Single(f.Events.OfType<Lwm2mRegistered>()).Location);
        Assert.Equal(20, f.Events.OfType<Lwm2mUpdateCompleted>().Count());
    }

    [Fact]
    public async Task Graceful_stop_sends_deregister_and_ends_the_loop()
    {
        await using var f = await ClientFixture.StartAsync(new Lwm2mServerInstance(0, 1, Sec(300)));
        await f.Client.StartAsync();
        await f.RunForAsync(Sec(5));

        var stop = f.Client.StopAsync(deregister: true);
        Assert.True(await f.RunUntilAsync(() => stop.IsCompleted, Sec(600)));
        await stop;
        Assert.Single(f.Server.Of(CoapCode.Delete, "/rd/7"));
        Assert.Single(f.Events.OfType<Lwm2mDeregistered>());
        Assert.Equal(S.Initial, f.Client.State);
    }

    [Fact]
    public async Task Thirty_percent_datagram_loss_still_ends_registered()
    {
        var lossy = new VirtualLinkConditions { LossProbability = 0.3 };
        await using var f = await ClientFixture.StartAsync(new Lwm2mServerInstance(0, 1, Sec(60)), lossy, seed: 7);
        await f.Client.StartAsync();

        // An hour of Updates every 30 s on a lossy link: retransmissions cover most losses, re-registration the rest.
        await f.RunForAsync(TimeSpan.FromHours(1));
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession, TimeSpan.FromHours(2)));
        Assert.True(f.Network.Capture.Count(d => d.Dropped) > 10);
        var summary = string.Join(", ", f.Events.Where(e => e is not Lwm2mUpdateCompleted and not Lwm2mStateChanged).Select(e => $"{(e.Time - f.Start).TotalSeconds}:{e.GetType().Name}"));
        Assert.True(f.Events.OfType<Lwm2mUpdateCompleted>().Count() > 60, summary);
        Assert.NotEmpty(f.Events.OfType<Lwm2mRegistered>());
    }

    [Fact]
    public async Task An_unanswered_register_is_retried_by_the_retry_timer_after_the_coap_exchange_gives_up()
    {
        var server = new Lwm2mServerInstance(0, 1, Sec(300)) { CommunicationRetryCount = 2, CommunicationRetryTimer = Sec(10), BootstrapOnRegistrationFailure = false };
        await using var f = await ClientFixture.StartAsync(server, new VirtualLinkConditions { LossProbability = 1.0 });
        await f.Client.StartAsync();

        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.Failure, TimeSpan.FromHours(1)));
        var errors = f.Events.OfType<Lwm2mNetworkError>().ToList();
        Assert.Equal(2, errors.Count);
        var deferred = Assert.Single(f.Events.OfType<Lwm2mRegistrationDeferred>());
        Assert.Equal(errors[0].Time + Sec(10), deferred.RetryAt);
        Assert.Equal(Lwm2mClientErrorCode.RegistrationFailed, Assert.Single(f.Events.OfType<Lwm2mClientError>()).Code);
    }

    [Fact]
    public async Task Register_datagram_carries_the_exact_path_queries_and_links()
    {
        await using var f = await ClientFixture.StartAsync(new Lwm2mServerInstance(0, 1, Sec(300), "UQ"));
        await f.Client.StartAsync();
        await f.RunForAsync(Sec(1));

        var first = f.Network.Capture.First(d => d.To == f.ServerEndpoint.LocalEndPoint);
        Assert.Equal(CoapFormatError.None, CoapMessageCodec.TryDecode(first.Bytes.Span, out var register));
        Assert.Equal(CoapMessageType.Confirmable, register!.Type);
        Assert.Equal(CoapCode.Post, register.Code);
        Assert.Equal(["rd"], register.GetOptions(CoapOptionNumber.UriPath).Select(o => o.GetString()));
        Assert.Equal(["ep=node-1", "lt=300", "lwm2m=1.2", "b=U", "Q"], register.UriQueries);
        Assert.Equal((ushort)40, register.ContentFormat);
        Assert.Equal("</>;rt=\"oma.lwm2m\";ct=112,</1>;ver=1.1,</1/0>,</3/0>", Encoding.UTF8.GetString(register.Payload.Span));
    }
}
