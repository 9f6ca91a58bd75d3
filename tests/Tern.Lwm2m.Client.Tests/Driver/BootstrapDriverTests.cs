using System.Text;
using Tern.Coap.Messages;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using S = Tern.Lwm2m.Client.Engine.Lwm2mClientState;

namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>Bootstrap on the virtual network: a scripted bootstrap server, the client's Bootstrap-Finish handler and the LwM2M server.</summary>
public class BootstrapDriverTests
{
    private static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    /// <summary>
    /// <code>
    ///  client                                  bootstrap server
    ///    | CON POST /bs?ep=node-1&amp;pct=112          |
    ///    |---------------------------------------->|   exact bytes checked
    ///    |                         ACK 2.04        |
    ///    |<----------------------------------------|
    ///    |                CON POST /bs (Finish)    |
    ///    |<----------------------------------------|
    ///    | ACK 2.04                                |
    ///    |---------------------------------------->|   exact bytes checked
    ///    | CON POST /rd?ep=node-1... (to the LwM2M server)
    /// </code>
    /// </summary>
    [Fact]
    public async Task Bootstrap_request_and_finish_answer_are_the_exact_bytes()
    {
        await using var f = await ClientFixture.StartBootstrapAsync();
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession, Sec(60)));

        var toBootstrap = f.Network.Capture.Where(d => d.To == f.BootstrapEndpoint!.LocalEndPoint && !d.Dropped).ToList();
        var request = toBootstrap[0].Bytes.ToArray();
        int tkl = request[0] & 0x0F;
        var expected = new List<byte> { (byte)(0x40 | tkl), 0x02, request[2], request[3] };
        expected.AddRange(request.AsSpan(4, tkl).ToArray());
        expected.AddRange([0xB2, (byte)'b', (byte)'s']);
        expected.Add(0x49);
        expected.AddRange("ep=node-1"u8.ToArray());
        expected.Add(0x07);
        expected.AddRange("pct=112"u8.ToArray());
        Assert.Equal(Convert.ToHexString([.. expected]), Convert.ToHexString(request));

        var finish = f.Network.Capture.First(d => d.From == f.BootstrapEndpoint!.LocalEndPoint && (d.Bytes.Span[0] & 0x30) == 0x00).Bytes.ToArray();
        int finishTkl = finish[0] & 0x0F;
        var answer = toBootstrap[1].Bytes.ToArray();
        var expectedAnswer = new List<byte> { (byte)(0x60 | finishTkl), 0x44, finish[2], finish[3] };
        expectedAnswer.AddRange(finish.AsSpan(4, finishTkl).ToArray());
        Assert.Equal(Convert.ToHexString([.. expectedAnswer]), Convert.ToHexString(answer));
    }

    [Fact]
    public async Task Client_bootstraps_and_registers_with_the_server_the_bootstrap_server_provided()
    {
        await using var f = await ClientFixture.StartBootstrapAsync();
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession, Sec(60)));

        Assert.Equal(Sec(1), f.Bootstrap.FinishAnswers.Single().At - f.Start);
        Assert.Equal(CoapCode.Changed, f.Bootstrap.FinishAnswers.Single().Answer!.Code);
        Assert.Equal(Sec(1), Assert.Single(f.Server.Of(CoapCode.Post, "/rd")).At - f.Start);
        Assert.Equal(
            [(S.Initial, S.Bootstrap), (S.Bootstrap, S.Registration), (S.Registration, S.RegistrationSession)],
            f.Events.OfType<Lwm2mStateChanged>().Select(e => (e.From, e.To)));
        Assert.Single(f.Events.OfType<Lwm2mBootstrapRequestCompleted>());
        Assert.Single(f.Events.OfType<Lwm2mBootstrapTransferCompleted>());
        Assert.Single(f.Events.OfType<Lwm2mBootstrapped>());
        Assert.Equal(f.ServerUri, f.Client.Configuration.ServerAccounts.Single().Security.ServerUri);
    }

    [Fact]
    public async Task Refused_finish_answers_4_06_with_the_reason_and_a_corrected_finish_is_accepted()
    {
        await using var f = await ClientFixture.StartBootstrapAsync();
        var good = f.Candidate;
        f.Candidate = new Lwm2mClientConfiguration(f.Candidate.Securities, []);
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => !f.Bootstrap.FinishAnswers.IsEmpty, Sec(60)));

        var refused = f.Bootstrap.FinishAnswers.Single().Answer!;
        Assert.Equal(CoapCode.NotAcceptable, refused.Code);
        Assert.Contains("no Server (1) instance has short server id 1", refused.PayloadText, StringComparison.Ordinal);
        Assert.Equal((ushort)0, refused.ContentFormat);
        Assert.Equal(S.Bootstrap, f.Client.State);
        Assert.Equal(refused.PayloadText, Assert.Single(f.Events.OfType<Lwm2mBootstrapFinishRefused>()).Reason);

        // The bootstrap server fixes the configuration (its writes) and finishes again.
        f.Candidate = good;
        f.Bootstrap.SendFinish(f.Bootstrap.Received.Single().Peer);
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession, Sec(60)));
        Assert.Equal(CoapCode.Changed, f.Bootstrap.FinishAnswers.Last().Answer!.Code);
        Assert.Single(f.Bootstrap.RequestTimes);
    }

    [Fact]
    public async Task Bootstrap_server_requests_that_fail_do_not_affect_the_outcome()
    {
        await using var f = await ClientFixture.StartBootstrapAsync();
        var read = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get };
        read.AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, "3"));
        var delete = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Delete };
        delete.AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, "3"));
        delete.AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, "0"));
        f.Bootstrap.BeforeFinish.AddRange([read, delete]);
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession, Sec(60)));

        // Bootstrap-Read is for /1 and /2 only, and the Device instance cannot be deleted; the bootstrap still succeeds.
        Assert.Equal([CoapCode.Unauthorized, CoapCode.BadRequest], f.Bootstrap.SessionAnswers.Select(a => a.Answer!.Code));
        Assert.Equal(CoapCode.Changed, f.Bootstrap.FinishAnswers.Single().Answer!.Code);
    }

    [Fact]
    public async Task Each_successful_bootstrap_server_request_restarts_the_finish_timeout()
    {
        await using var f = await ClientFixture.StartBootstrapAsync();
        f.Bootstrap.FinishAfter = null;
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Events.OfType<Lwm2mBootstrapRequestCompleted>().Any(), Sec(60)));
        var peer = f.Bootstrap.Received.Single().Peer;
        var timeout = new Lwm2mClientOptions("x").BootstrapFinishTimeout;

        // Just before the Finish timeout, a Bootstrap-Discover succeeds: the client waits a whole timeout more.
        await f.RunForAsync(timeout - Sec(5));
        var discover = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get };
        discover.AddOption(CoapOption.FromUInt(CoapOptionNumber.Accept, 40));
        var sending = f.BootstrapEndpoint!.SendAsync(peer, discover);
        Assert.True(await f.RunUntilAsync(() => sending.IsCompleted, Sec(60)));
        Assert.Equal(CoapCode.Content, (await sending).Code);
        await f.RunForAsync(Sec(30));
        Assert.Empty(f.Events.OfType<Lwm2mBootstrapDeferred>());

        f.Bootstrap.SendFinish(peer);
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession, Sec(60)));
        Assert.Single(f.Bootstrap.RequestTimes);
    }

    [Fact]
    public async Task Server_executing_bootstrap_trigger_on_the_data_model_makes_the_client_bootstrap_again()
    {
        await using var f = await ClientFixture.StartBootstrapAsync();
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession, Sec(60)));

        var execute = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post };
        foreach (var segment in new[] { "1", "0", "9" })
        {
            execute.AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, segment));
        }

        var sending = f.ServerEndpoint.SendAsync(f.ClientEndpoint.LocalEndPoint, execute);
        Assert.True(await f.RunUntilAsync(() => f.Bootstrap.RequestTimes.Count() == 2, Sec(60)));
        Assert.Equal(CoapCode.Changed, (await sending).Code);
        Assert.Single(f.Server.Of(CoapCode.Delete, "/rd/7"));
        Assert.True(await f.RunUntilAsync(() => f.Server.Of(CoapCode.Post, "/rd").Count() == 2, Sec(60)));
    }

    [Fact]
    public async Task Finish_from_a_peer_that_is_not_the_bootstrap_server_is_unauthorized()
    {
        await using var f = await ClientFixture.StartBootstrapAsync();
        f.Bootstrap.FinishAfter = null;
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Events.OfType<Lwm2mBootstrapRequestCompleted>().Any(), Sec(60)));

        var finish = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post };
        finish.AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, "bs"));
        var sending = f.ServerEndpoint.SendAsync(f.ClientEndpoint.LocalEndPoint, finish);
        Assert.True(await f.RunUntilAsync(() => sending.IsCompleted, Sec(60)));
        Assert.Equal(CoapCode.Unauthorized, (await sending).Code);
        Assert.Equal(S.Bootstrap, f.Client.State);
    }

    [Fact]
    public async Task Unanswered_bootstrap_requests_are_retried_with_doubling_waits_then_the_client_fails()
    {
        await using var f = await ClientFixture.StartBootstrapAsync();
        f.Network.SetLinkConditions(f.ClientEndpoint.LocalEndPoint, f.BootstrapEndpoint!.LocalEndPoint, new VirtualLinkConditions { LossProbability = 1.0 });
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.Failure, TimeSpan.FromHours(1)));

        // RetryTimeout 10 s, RetryCount 2: each retry follows the CoAP give-up by 10 s, then 20 s.
        var errors = f.Events.OfType<Lwm2mNetworkError>().ToList();
        Assert.Equal(3, errors.Count);
        Assert.All(errors, e => Assert.Equal(Lwm2mRequestKind.BootstrapRequest, e.Request));
        var deferred = f.Events.OfType<Lwm2mBootstrapDeferred>().ToList();
        Assert.Equal([errors[0].Time + Sec(10), errors[1].Time + Sec(20)], deferred.Select(d => d.RetryAt));
        Assert.All(deferred, d => Assert.Equal(Lwm2mDeferredReason.BootstrapConnect, d.Reason));
        var sentAt = f.Network.Capture.Where(d => d.To == f.BootstrapEndpoint.LocalEndPoint && d.Bytes.Span[1] == 0x02).Select(d => d.SentAt)
            .Where(t => t == f.Start || deferred.Any(x => x.RetryAt == t)).ToList();
        Assert.Equal([f.Start, deferred[0].RetryAt, deferred[1].RetryAt], sentAt);
        Assert.Equal(3, Assert.Single(f.Events.OfType<Lwm2mBootstrapFailed>()).Attempts);
        Assert.Equal(Lwm2mClientErrorCode.BootstrapFailed, Assert.Single(f.Events.OfType<Lwm2mClientError>()).Code);
        Assert.Empty(f.Server.Received);
    }

    [Fact]
    public async Task A_bootstrap_server_that_never_finishes_times_out_after_the_finish_timeout()
    {
        await using var f = await ClientFixture.StartBootstrapAsync();
        f.Bootstrap.FinishAfter = null;
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Events.OfType<Lwm2mBootstrapDeferred>().Any(), Sec(600)));

        var accepted = Assert.Single(f.Events.OfType<Lwm2mBootstrapRequestCompleted>());
        var deferred = Assert.Single(f.Events.OfType<Lwm2mBootstrapDeferred>());
        Assert.Equal(accepted.Time + Sec(247), deferred.Time);
        Assert.Equal(deferred.Time + Sec(10), deferred.RetryAt);
        Assert.Equal(Lwm2mDeferredReason.BootstrapSequence, deferred.Reason);
        Assert.True(await f.RunUntilAsync(() => f.Bootstrap.RequestTimes.Count() == 2, Sec(60)));
        Assert.Equal(deferred.RetryAt, f.Bootstrap.RequestTimes.Last());
    }
}
