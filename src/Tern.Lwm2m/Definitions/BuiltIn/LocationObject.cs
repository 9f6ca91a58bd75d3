using static Tern.Lwm2m.Definitions.BuiltIn.DefinitionBuilder;
using T = Tern.Lwm2m.Model.Lwm2mResourceType;

namespace Tern.Lwm2m.Definitions.BuiltIn;

/// <summary>Object 6, Location (object version 1.0, LwM2M 1.0): position and velocity.</summary>
internal static class LocationObject
{
    /// <summary>The definition, as the OMA registry's 6.xml gives it (descriptions left out).</summary>
    public static ObjectDefinition Definition { get; } = Define(6, "Location", "1.0", "1.0", One, Optional, "urn:oma:lwm2m:oma:6",
    [
        Res(0, "Latitude", R, One, Mandatory, T.Float, units: "lat"),
        Res(1, "Longitude", R, One, Mandatory, T.Float, units: "lon"),
        Res(2, "Altitude", R, One, Optional, T.Float, units: "m"),
        Res(3, "Radius", R, One, Optional, T.Float, units: "m"),
        Res(4, "Velocity", R, One, Optional, T.Opaque),
        Res(5, "Timestamp", R, One, Mandatory, T.Time),
        Res(6, "Speed", R, One, Optional, T.Float, units: "m/s"),
    ]);
}
