using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.Reporting.ReportingHarness;

namespace Tern.Lwm2m.Client.Tests.Reporting;

public class ConfirmableTests
{
    [Theory]
    [InlineData("pmax=10&con=1", false, true)]
    [InlineData("pmax=10&con=0", true, false)]
    [InlineData("pmax=10", false, false)]
    [InlineData("pmax=10", true, true)]
    public void Con_chooses_the_message_type_and_the_option_decides_without_it(string query, bool defaultConfirmable, bool expected)
    {
        var h = new ReportingHarness(options: new ReportingOptions { DefaultConfirmable = defaultConfirmable });
        h.Write(query, Temperature);
        h.Observe(Temperature);

        h.RunUntil(10);

        Assert.Equal(expected, Assert.Single(h.Notifications).Notify.Confirmable);
    }

    [Fact]
    public void A_confirmable_notification_is_forced_once_a_day_even_with_con_0()
    {
        var h = new ReportingHarness();
        h.Write("pmax=3600&con=0", Temperature);
        h.Observe(Temperature);

        h.RunUntil(2 * 86400);

        double[] confirmable = [.. h.Notifications.Where(n => n.Notify.Confirmable).Select(n => n.At)];
        Assert.Equal([86400.0, 2 * 86400.0], confirmable);
        Assert.Equal(48, h.Notifications.Count());
    }

    [Fact]
    public void A_composite_notification_is_confirmable_when_any_path_asks_for_it()
    {
        var h = new ReportingHarness();
        h.Write("con=1", Alarm);
        h.Write("con=0", Temperature);
        h.Reporter.ObserveComposite(Ssid, [Temperature, Alarm], Token, null, h.Now);

        h.SetAt(1, Temperature, Lwm2mValue.FromFloat(30));

        Assert.True(Assert.Single(h.Notifications).Notify.Confirmable);
    }
}
