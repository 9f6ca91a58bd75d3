namespace Tern.Lwm2m.Tests.Formats;

/// <summary>A clock that always reads the same instant, for relative SenML times.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
