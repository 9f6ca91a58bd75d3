using static Tern.Lwm2m.Definitions.BuiltIn.DefinitionBuilder;
using T = Tern.Lwm2m.Model.Lwm2mResourceType;

namespace Tern.Lwm2m.Definitions.BuiltIn;

/// <summary>Object 3303, Temperature (object version 1.1, LwM2M 1.0): an IPSO temperature sensor.</summary>
internal static class TemperatureObject
{
    /// <summary>The definition, as the OMA registry's 3303.xml gives it (descriptions left out).</summary>
    public static ObjectDefinition Definition { get; } = Define(3303, "Temperature", "1.1", "1.0", Many, Optional, "urn:oma:lwm2m:ext:3303:1.1",
    [
        Res(5518, "Timestamp", R, One, Optional, T.Time),
        Res(5601, "Min Measured Value", R, One, Optional, T.Float),
        Res(5602, "Max Measured Value", R, One, Optional, T.Float),
        Res(5603, "Min Range Value", R, One, Optional, T.Float),
        Res(5604, "Max Range Value", R, One, Optional, T.Float),
        Res(5605, "Reset Min and Max Measured Values", E, One, Optional, T.None),
        Res(5700, "Sensor Value", R, One, Mandatory, T.Float),
        Res(5701, "Sensor Units", R, One, Optional, T.String),
        Res(5750, "Application Type", RW, One, Optional, T.String),
        Res(6042, "Measurement Quality Indicator", R, One, Optional, T.Integer, "0..23"),
        Res(6049, "Measurement Quality Level", R, One, Optional, T.Integer, "0..100"),
        Res(6050, "Fractional Timestamp", R, One, Optional, T.Float, "0..1", "s"),
    ]);
}
