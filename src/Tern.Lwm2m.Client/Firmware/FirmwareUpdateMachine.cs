using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Firmware;

/// <summary>
/// The object 5 state machine of LwM2M 1.1 (TS Core, Firmware Update state diagram), without I/O: told what
/// happened (a write, an execute, a download's end, the installer's verdict, time passing), it moves State and
/// Update Result and says whether the operation is allowed. The caller stores packages, runs downloads and saves
/// <see cref="Snapshot"/> after every change.
/// <code>
///   Idle ──write URI / first Package block──▶ Downloading ──complete + verified──▶ Downloaded ──Execute Update──▶ Updating
///    ▲  ◀──failure (2,3,4,5,6,7,9) / Cancel (10) / empty URI or Package (0)──┘        │  ▲ defer (11)            │
///    ├──────────────── Cancel (10) / empty URI or Package (0) ◀──────────────────────┘  └──────────────────────┘ │
///    └──────────────────────────────── success (1) ◀──── failure (8) returns to Downloaded ◀────────────────────┘
/// </code>
/// </summary>
public sealed class FirmwareUpdateMachine
{
    private readonly List<string> _transitions = [];
    private FirmwareUpdateSnapshot _s;

    /// <summary>Starts from a persisted (or initial) snapshot.</summary>
    public FirmwareUpdateMachine(FirmwareUpdateSnapshot snapshot) => _s = snapshot ?? throw new ArgumentNullException(nameof(snapshot));

    /// <summary>Everything to persist.</summary>
    public FirmwareUpdateSnapshot Snapshot => _s;

    /// <summary>/5/0/3.</summary>
    public FirmwareUpdateState State => _s.State;

    /// <summary>/5/0/5.</summary>
    public FirmwareUpdateResult Result => _s.Result;

    /// <summary>When a deferred update must start at the latest; the driver wakes up then.</summary>
    public DateTimeOffset? NextWakeUp => DeferredUntil ?? _s.DeferDeadline;

    /// <summary>Every state change so far, as "Idle -> Downloading", for logs and tests.</summary>
    public IReadOnlyList<string> Transitions => _transitions;

    /// <summary>Write of a non-empty /5/0/1: starts a pull from Idle; refused in any other state.</summary>
    public FirmwareOperationStatus StartPull(string uri, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        if (_s.State != FirmwareUpdateState.Idle)
        {
            return FirmwareOperationStatus.MethodNotAllowed;
        }

        _s = _s with { PackageUri = uri };
        MoveTo(FirmwareUpdateState.Downloading, FirmwareUpdateResult.Initial, now);
        return FirmwareOperationStatus.Changed;
    }

    /// <summary>The first block of a /5/0/0 push: starts a download from Idle; refused elsewhere.</summary>
    public FirmwareOperationStatus StartPush(DateTimeOffset now)
    {
        if (_s.State != FirmwareUpdateState.Idle)
        {
            return FirmwareOperationStatus.MethodNotAllowed;
        }

        _s = _s with { PackageUri = "" };
        MoveTo(FirmwareUpdateState.Downloading, FirmwareUpdateResult.Initial, now);
        return FirmwareOperationStatus.Changed;
    }

    /// <summary>
    /// An empty /5/0/1 or a NULL /5/0/0: back to Idle with result 0 (the caller deletes the package). Refused while
    /// Updating, where the image is being installed.
    /// </summary>
    public FirmwareOperationStatus Reset(DateTimeOffset now)
    {
        if (_s.State == FirmwareUpdateState.Updating)
        {
            return FirmwareOperationStatus.MethodNotAllowed;
        }

        _s = _s with { PackageUri = "", DeferDeadline = null };
        MoveTo(FirmwareUpdateState.Idle, FirmwareUpdateResult.Initial, now);
        return FirmwareOperationStatus.Changed;
    }

    /// <summary>The package is stored whole and verified: Downloading → Downloaded.</summary>
    public void DownloadSucceeded(DateTimeOffset now)
    {
        RequireState(FirmwareUpdateState.Downloading);
        MoveTo(FirmwareUpdateState.Downloaded, FirmwareUpdateResult.Initial, now);
    }

    /// <summary>The download or its verification failed: Downloading → Idle with <paramref name="result"/> (2–7 or 9).</summary>
    public void DownloadFailed(FirmwareUpdateResult result, DateTimeOffset now)
    {
        if (result is FirmwareUpdateResult.Initial or FirmwareUpdateResult.Success or FirmwareUpdateResult.UpdateFailed or FirmwareUpdateResult.Cancelled or FirmwareUpdateResult.Deferred)
        {
            throw new ArgumentOutOfRangeException(nameof(result), result, "A download ends in 2–7 or 9.");
        }

        RequireState(FirmwareUpdateState.Downloading);
        MoveTo(FirmwareUpdateState.Idle, result, now);
    }

    /// <summary>Execute /5/0/2: allowed only in Downloaded (else 4.05). The caller then asks the application whether to proceed.</summary>
    public FirmwareOperationStatus RequestUpdate() =>
        _s.State == FirmwareUpdateState.Downloaded ? FirmwareOperationStatus.Changed : FirmwareOperationStatus.MethodNotAllowed;

    /// <summary>
    /// The application postponed the update: the state stays Downloaded with result 11 until <paramref name="until"/>,
    /// never beyond the Maximum Defer Period counted from the first deferral. Returns false, changing nothing, when
    /// no deferral is allowed (period 0) or the deadline has passed: the update must start now.
    /// </summary>
    public bool Defer(DateTimeOffset until, DateTimeOffset now)
    {
        RequireState(FirmwareUpdateState.Downloaded);
        DateTimeOffset deadline = _s.DeferDeadline ?? now + _s.MaximumDeferPeriod;
        if (_s.MaximumDeferPeriod <= TimeSpan.Zero || now >= deadline)
        {
            return false;
        }

        _s = _s with { DeferDeadline = deadline };
        DeferredUntil = until < deadline ? until : deadline;
        SetResult(FirmwareUpdateResult.Deferred);
        return true;
    }

    /// <summary>When the application asked to be asked again (at most the deferral deadline).</summary>
    public DateTimeOffset? DeferredUntil { get; private set; }

    /// <summary>True once the deferral deadline has passed: the update starts without asking.</summary>
    public bool MustUpdateNow(DateTimeOffset now) => _s.DeferDeadline is { } deadline && now >= deadline;

    /// <summary>Installation begins: Downloaded → Updating, result reset to 0.</summary>
    public void BeginUpdate(DateTimeOffset now)
    {
        RequireState(FirmwareUpdateState.Downloaded);
        _s = _s with { DeferDeadline = null };
        DeferredUntil = null;
        MoveTo(FirmwareUpdateState.Updating, FirmwareUpdateResult.Initial, now);
    }

    /// <summary>
    /// The installer's verdict (now, or after the reboot): success → Idle with 1; failure → Downloaded with 8 so the
    /// server may retry, or Idle with 5 when the image itself proved bad.
    /// </summary>
    public void UpdateFinished(bool success, bool imageBad, DateTimeOffset now)
    {
        RequireState(FirmwareUpdateState.Updating);
        if (success)
        {
            MoveTo(FirmwareUpdateState.Idle, FirmwareUpdateResult.Success, now);
        }
        else if (imageBad)
        {
            MoveTo(FirmwareUpdateState.Idle, FirmwareUpdateResult.IntegrityCheckFailure, now);
        }
        else
        {
            MoveTo(FirmwareUpdateState.Downloaded, FirmwareUpdateResult.UpdateFailed, now);
        }
    }

    /// <summary>
    /// Execute /5/0/10: from Downloading or Downloaded (or an Idle with nothing installed) to Idle with result 10;
    /// 4.05 while Updating or when the installation already completed (TS: Cancel after the update is not allowed).
    /// </summary>
    public FirmwareOperationStatus Cancel(DateTimeOffset now)
    {
        if (_s.State == FirmwareUpdateState.Updating || (_s.State == FirmwareUpdateState.Idle && _s.Result == FirmwareUpdateResult.Success))
        {
            return FirmwareOperationStatus.MethodNotAllowed;
        }

        _s = _s with { DeferDeadline = null };
        DeferredUntil = null;
        MoveTo(FirmwareUpdateState.Idle, FirmwareUpdateResult.Cancelled, now);
        return FirmwareOperationStatus.Changed;
    }

    /// <summary>Writes /5/0/6 and /5/0/7 (the client sets them from the package it stored).</summary>
    public void SetPackageInfo(string name, string version) => _s = _s with { PackageName = name ?? "", PackageVersion = version ?? "" };

    /// <summary>Write /5/0/11: 0–2, else 4.00.</summary>
    public FirmwareOperationStatus SetSeverity(long value)
    {
        if (value is < 0 or > 2)
        {
            return FirmwareOperationStatus.BadRequest;
        }

        _s = _s with { Severity = (FirmwareSeverity)value };
        return FirmwareOperationStatus.Changed;
    }

    /// <summary>Write /5/0/13 in seconds (0: no deferral allowed).</summary>
    public FirmwareOperationStatus SetMaximumDeferPeriod(ulong seconds)
    {
        if (seconds > (ulong)TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return FirmwareOperationStatus.BadRequest;
        }

        _s = _s with { MaximumDeferPeriod = TimeSpan.FromSeconds(seconds) };
        return FirmwareOperationStatus.Changed;
    }

    private void SetResult(FirmwareUpdateResult result) => _s = _s with { Result = result };

    private void MoveTo(FirmwareUpdateState state, FirmwareUpdateResult result, DateTimeOffset now)
    {
        if (state != _s.State)
        {
            _transitions.Add($"{_s.State} -> {state}");
            _s = _s with { LastStateChange = now };
        }

        _s = _s with { State = state, Result = result };
    }

    private void RequireState(FirmwareUpdateState expected)
    {
        if (_s.State != expected)
        {
            throw new InvalidOperationException($"Object 5 is {_s.State}, not {expected}; this step only follows {expected}.");
        }
    }
}
