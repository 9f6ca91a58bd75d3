using static Tern.Lwm2m.Definitions.BuiltIn.DefinitionBuilder;
using T = Tern.Lwm2m.Model.Lwm2mResourceType;

namespace Tern.Lwm2m.Definitions.BuiltIn;

/// <summary>Object 7, Connectivity Statistics (object version 1.0, LwM2M 1.0): counters of bytes and messages sent and received.</summary>
internal static class ConnectivityStatisticsObject
{
    /// <summary>The definition, as the OMA registry's 7.xml gives it (descriptions left out).</summary>
    public static ObjectDefinition Definition { get; } = Define(7, "Connectivity Statistics", "1.0", "1.0", One, Optional, "urn:oma:lwm2m:oma:7",
    [
        Res(0, "SMS Tx Counter", R, One, Optional, T.Integer),
        Res(1, "SMS Rx Counter", R, One, Optional, T.Integer),
        Res(2, "Tx Data", R, One, Optional, T.Integer),
        Res(3, "Rx Data", R, One, Optional, T.Integer),
        Res(4, "Max Message Size", R, One, Optional, T.Integer, units: "B"),
        Res(5, "Average Message Size", R, One, Optional, T.Integer, units: "B"),
        Res(6, "Start", E, One, Mandatory, T.None),
        Res(7, "Stop", E, One, Mandatory, T.None),
        Res(8, "Collection Period", RW, One, Optional, T.Integer, units: "s"),
    ]);
}
