using Tern.Cli.Commands.Shell;
using Tern.Lwm2m.Model;

namespace Tern.Cli.Tests.Commands.Shell;

public sealed class ShellExecutorTests
{
    [Fact]
    public void Values_format_as_the_asked_type_and_refuse_other_types()
    {
        Assert.True(ShellExecutor.TryFormat(Lwm2mValue.FromInteger(200), new ShellValueType(ShellValueKind.Unsigned, 8), out string text));
        Assert.Equal("200", text);
        Assert.False(ShellExecutor.TryFormat(Lwm2mValue.FromInteger(256), new ShellValueType(ShellValueKind.Unsigned, 8), out _));
        Assert.False(ShellExecutor.TryFormat(Lwm2mValue.FromInteger(-1), new ShellValueType(ShellValueKind.Unsigned, 64), out _));
        Assert.True(ShellExecutor.TryFormat(Lwm2mValue.FromInteger(-32768), new ShellValueType(ShellValueKind.Signed, 16), out text));
        Assert.Equal("-32768", text);
        Assert.False(ShellExecutor.TryFormat(Lwm2mValue.FromInteger(32768), new ShellValueType(ShellValueKind.Signed, 16), out _));
        Assert.True(ShellExecutor.TryFormat(Lwm2mValue.FromFloat(21.5), new ShellValueType(ShellValueKind.Float), out text));
        Assert.Equal("21.5", text);
        Assert.True(ShellExecutor.TryFormat(Lwm2mValue.FromBoolean(true), new ShellValueType(ShellValueKind.Boolean), out text));
        Assert.Equal("true", text);
        Assert.True(ShellExecutor.TryFormat(Lwm2mValue.FromUnixTime(1700000000), new ShellValueType(ShellValueKind.Time), out text));
        Assert.Equal("1700000000", text);
        Assert.True(ShellExecutor.TryFormat(Lwm2mValue.FromString("Tern"), new ShellValueType(ShellValueKind.String), out text));
        Assert.Equal("Tern", text);
        Assert.False(ShellExecutor.TryFormat(Lwm2mValue.FromString("Tern"), new ShellValueType(ShellValueKind.Float), out _));
        Assert.False(ShellExecutor.TryFormat(Lwm2mValue.FromFloat(1), new ShellValueType(ShellValueKind.String), out _));
    }

    [Fact]
    public void The_simulated_temperature_moves_slowly_around_21_degrees()
    {
        Assert.Equal(21.0, DemoDevice.Temperature(TimeSpan.Zero));
        Assert.Equal(23.0, DemoDevice.Temperature(TimeSpan.FromSeconds(150)));
        Assert.Equal(19.0, DemoDevice.Temperature(TimeSpan.FromSeconds(450)));
        double step = Math.Abs(DemoDevice.Temperature(DemoDevice.SensorPeriod) - DemoDevice.Temperature(TimeSpan.Zero));
        Assert.InRange(step, 0.1, 0.3);
    }
}
