using static Tern.Lwm2m.Definitions.BuiltIn.DefinitionBuilder;
using T = Tern.Lwm2m.Model.Lwm2mResourceType;

namespace Tern.Lwm2m.Definitions.BuiltIn;

/// <summary>Object 3424, Water meter (object version 1.1, LwM2M 1.0): an IPSO water meter reading.</summary>
internal static class WaterMeterObject
{
    /// <summary>The definition, as the OMA registry's 3424.xml gives it (descriptions left out).</summary>
    public static ObjectDefinition Definition { get; } = Define(3424, "Water meter", "1.1", "1.0", Many, Optional, "urn:oma:lwm2m:ext:3424:1.1",
    [
        Res(1, "Cumulated water volume", R, One, Mandatory, T.Float, units: "m3"),
        Res(2, "Cumulated water meter value reset", E, One, Optional, T.None),
        Res(3, "Type of meter", RW, One, Optional, T.String),
        Res(4, "Cumulated pulse value", R, One, Optional, T.Integer),
        Res(5, "Cumulated pulse value reset", E, One, Optional, T.None),
        Res(6, "Pulse ratio", RW, One, Optional, T.Integer),
        Res(7, "Minimum flow rate", R, One, Optional, T.Float, units: "m3/s"),
        Res(8, "Maximum flow rate", R, One, Optional, T.Float, units: "m3/s"),
        Res(9, "Leak suspected", R, One, Optional, T.Boolean),
        Res(10, "Leak detected", R, One, Optional, T.Boolean),
        Res(11, "Back flow detected", R, One, Optional, T.Boolean),
        Res(12, "Blocked meter", R, One, Optional, T.Boolean),
        Res(13, "Fraud detected", R, One, Optional, T.Boolean),
        Res(5518, "Timestamp", R, One, Optional, T.Time),
        Res(6042, "Measurement Quality Indicator", R, One, Optional, T.Integer, "0..23"),
        Res(6049, "Measurement Quality Level", R, One, Optional, T.Integer, "0..100"),
        Res(6050, "Fractional Timestamp", R, One, Optional, T.Float, "0..1", "s"),
    ]);
}
