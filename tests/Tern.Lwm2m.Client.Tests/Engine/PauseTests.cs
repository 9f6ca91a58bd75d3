using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using S = Tern.Lwm2m.Client.Engine.Lwm2mClientState;

namespace Tern.Lwm2m.Client.Tests.Engine;

public class PauseTests
{
    private static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    [Fact]
    public void A_paused_engine_sends_nothing_and_a_short_pause_resumes_with_an_immediate_update()
    {
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(300)));
        h.StartClient();
        h.RunUntil(Sec(100));
        h.Engine.Pause();
        h.Step();
        h.RunUntil(Sec(250));
        Assert.Empty(h.SentAt(Lwm2mRequestKind.Update));
        Assert.Single(h.EventsOf<Lwm2mEngineSuspended>());
        Assert.Null(h.Engine.NextWakeUp);

        h.Engine.Resume();
        h.Step();
        Assert.Equal([Sec(250)], h.SentAt(Lwm2mRequestKind.Update));
        Assert.Single(h.SentAt(Lwm2mRequestKind.Register));
        Assert.Equal(S.RegistrationSession, h.Engine.State);
    }

    [Fact]
    public void A_pause_longer_than_the_lifetime_registers_again_on_resume()
    {
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(300)));
        h.StartClient();
        h.RunUntil(Sec(207));
        h.Engine.Pause();
        h.Step();
        h.RunUntil(Sec(507));
        h.Engine.Resume();
        h.Step();

        Assert.Equal([Sec(0), Sec(507)], h.SentAt(Lwm2mRequestKind.Register));
        Assert.Contains((S.RegistrationSession, S.Registration), h.Transitions);
    }

    [Fact]
    public void Resuming_during_registration_retries_the_abandoned_attempt()
    {
        var h = new EngineHarness { Server = _ => Reply.Hold };
        h.StartClient();
        h.Engine.Pause();
        h.Step();
        h.RunUntil(Sec(40));
        h.Server = EngineHarness.DefaultServer;
        h.Engine.Resume();
        h.Step();

        Assert.Equal([Sec(0), Sec(40)], h.SentAt(Lwm2mRequestKind.Register));
        Assert.Equal(S.RegistrationSession, h.Engine.State);
    }
}
