using Tern.Lwm2m.Client.Firmware;
using S = Tern.Lwm2m.Model.FirmwareUpdateState;
using R = Tern.Lwm2m.Model.FirmwareUpdateResult;
using O = Tern.Lwm2m.Client.Firmware.FirmwareOperationStatus;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>The object 5 state machine of LwM2M 1.1, transition by transition.</summary>
public class FirmwareUpdateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static FirmwareUpdateMachine In(S state, R result = R.Initial, TimeSpan? maxDefer = null) =>
        new(FirmwareUpdateSnapshot.Initial with { State = state, Result = result, MaximumDeferPeriod = maxDefer ?? TimeSpan.Zero });

    [Fact]
    public void Writing_a_uri_in_idle_starts_downloading_and_resets_the_result()
    {
        FirmwareUpdateMachine m = In(S.Idle, R.ConnectionLost);
        Assert.Equal(O.Changed, m.StartPull("coap://a/fw", T0));
        Assert.Equal((S.Downloading, R.Initial), (m.State, m.Result));
        Assert.Equal(T0, m.Snapshot.LastStateChange);
        Assert.Equal(["Idle -> Downloading"], m.Transitions);
    }

    [Theory]
    [InlineData(S.Downloading)]
    [InlineData(S.Downloaded)]
    [InlineData(S.Updating)]
    public void A_uri_or_a_push_outside_idle_is_refused_with_method_not_allowed(S state)
    {
        Assert.Equal(O.MethodNotAllowed, In(state).StartPull("coap://a/fw", T0));
        Assert.Equal(O.MethodNotAllowed, In(state).StartPush(T0));
    }

    [Theory]
    [InlineData(R.NotEnoughFlash)]
    [InlineData(R.OutOfRam)]
    [InlineData(R.ConnectionLost)]
    [InlineData(R.IntegrityCheckFailure)]
    [InlineData(R.UnsupportedPackageType)]
    [InlineData(R.InvalidUri)]
    [InlineData(R.UnsupportedProtocol)]
    public void A_failed_download_returns_to_idle_with_its_result(R result)
    {
        FirmwareUpdateMachine m = In(S.Downloading);
        m.DownloadFailed(result, T0);
        Assert.Equal((S.Idle, result), (m.State, m.Result));
    }

    [Theory]
    [InlineData(R.Initial)]
    [InlineData(R.Success)]
    [InlineData(R.UpdateFailed)]
    [InlineData(R.Cancelled)]
    [InlineData(R.Deferred)]
    public void A_download_cannot_fail_with_a_result_that_is_not_a_download_failure(R result) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => In(S.Downloading).DownloadFailed(result, T0));

    [Fact]
    public void A_complete_download_moves_to_downloaded()
    {
        FirmwareUpdateMachine m = In(S.Downloading);
        m.DownloadSucceeded(T0);
        Assert.Equal((S.Downloaded, R.Initial), (m.State, m.Result));
    }

    [Theory]
    [InlineData(S.Idle)]
    [InlineData(S.Downloading)]
    [InlineData(S.Updating)]
    public void Update_outside_downloaded_is_refused_with_method_not_allowed(S state) =>
        Assert.Equal(O.MethodNotAllowed, In(state).RequestUpdate());

    [Fact]
    public void Update_in_downloaded_goes_to_updating_then_idle_with_1_on_success()
    {
        FirmwareUpdateMachine m = In(S.Downloaded);
        Assert.Equal(O.Changed, m.RequestUpdate());
        m.BeginUpdate(T0);
        Assert.Equal((S.Updating, R.Initial), (m.State, m.Result));
        m.UpdateFinished(success: true, imageBad: false, T0.AddSeconds(5));
        Assert.Equal((S.Idle, R.Success), (m.State, m.Result));
        Assert.Equal(["Downloaded -> Updating", "Updating -> Idle"], m.Transitions);
    }

    [Fact]
    public void A_failed_installation_returns_to_downloaded_with_8_and_a_bad_image_to_idle_with_5()
    {
        FirmwareUpdateMachine failed = In(S.Updating);
        failed.UpdateFinished(success: false, imageBad: false, T0);
        FirmwareUpdateMachine bad = In(S.Updating);
        bad.UpdateFinished(success: false, imageBad: true, T0);

        Assert.Equal((S.Downloaded, R.UpdateFailed), (failed.State, failed.Result));
        Assert.Equal((S.Idle, R.IntegrityCheckFailure), (bad.State, bad.Result));
    }

    [Theory]
    [InlineData(S.Downloading)]
    [InlineData(S.Downloaded)]
    public void Reset_by_an_empty_uri_or_package_returns_to_idle_with_0(S state)
    {
        FirmwareUpdateMachine m = In(state, R.Deferred);
        Assert.Equal(O.Changed, m.Reset(T0));
        Assert.Equal((S.Idle, R.Initial), (m.State, m.Result));
    }

    [Fact]
    public void Reset_while_updating_is_refused() => Assert.Equal(O.MethodNotAllowed, In(S.Updating).Reset(T0));

    [Theory]
    [InlineData(S.Downloading)]
    [InlineData(S.Downloaded)]
    public void Cancel_before_the_update_returns_to_idle_with_10(S state)
    {
        FirmwareUpdateMachine m = In(state);
        Assert.Equal(O.Changed, m.Cancel(T0));
        Assert.Equal((S.Idle, R.Cancelled), (m.State, m.Result));
    }

    [Fact]
    public void Cancel_while_updating_or_after_a_completed_update_is_refused()
    {
        Assert.Equal(O.MethodNotAllowed, In(S.Updating).Cancel(T0));
        Assert.Equal(O.MethodNotAllowed, In(S.Idle, R.Success).Cancel(T0));
    }

    [Fact]
    public void Deferral_keeps_downloaded_with_11_and_never_reaches_past_the_maximum_defer_period()
    {
        FirmwareUpdateMachine m = In(S.Downloaded, maxDefer: TimeSpan.FromMinutes(30));

        Assert.True(m.Defer(T0.AddMinutes(10), T0));
        Assert.Equal((S.Downloaded, R.Deferred), (m.State, m.Result));
        Assert.Equal(T0.AddMinutes(10), m.NextWakeUp);
        Assert.True(m.Defer(T0.AddHours(5), T0.AddMinutes(10)));
        Assert.Equal(T0.AddMinutes(30), m.NextWakeUp);
        Assert.False(m.Defer(T0.AddHours(5), T0.AddMinutes(30)));
        Assert.True(m.MustUpdateNow(T0.AddMinutes(30)));
    }

    [Fact]
    public void Deferral_is_refused_when_the_maximum_defer_period_is_0()
    {
        FirmwareUpdateMachine m = In(S.Downloaded);
        Assert.False(m.Defer(T0.AddMinutes(10), T0));
        Assert.Equal(R.Initial, m.Result);
    }

    [Fact]
    public void Severity_outside_0_to_2_is_a_bad_request()
    {
        FirmwareUpdateMachine m = In(S.Idle);
        Assert.Equal(O.BadRequest, m.SetSeverity(3));
        Assert.Equal(O.Changed, m.SetSeverity(0));
        Assert.Equal(FirmwareSeverity.Critical, m.Snapshot.Severity);
    }

    [Theory]
    [InlineData(O.Changed, 2, 4)]
    [InlineData(O.Continue, 2, 31)]
    [InlineData(O.MethodNotAllowed, 4, 5)]
    [InlineData(O.Incomplete, 4, 8)]
    [InlineData(O.TooLarge, 4, 13)]
    [InlineData(O.BadRequest, 4, 0)]
    [InlineData(O.InternalError, 5, 0)]
    public void Each_status_maps_to_its_coap_code(O status, int codeClass, int detail) =>
        Assert.Equal(new Tern.Coap.Messages.CoapCode(codeClass, detail), status.ToCoapCode());
}
