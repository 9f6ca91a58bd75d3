using static Tern.Lwm2m.Definitions.BuiltIn.DefinitionBuilder;
using T = Tern.Lwm2m.Model.Lwm2mResourceType;

namespace Tern.Lwm2m.Definitions.BuiltIn;

/// <summary>Object 4, Connectivity Monitoring (object version 1.3, LwM2M 1.1): radio bearer and signal information.</summary>
internal static class ConnectivityMonitoringObject
{
    /// <summary>The definition, as the OMA registry's 4.xml gives it (descriptions left out).</summary>
    public static ObjectDefinition Definition { get; } = Define(4, "Connectivity Monitoring", "1.3", "1.1", One, Optional, "urn:oma:lwm2m:oma:4:1.3",
    [
        Res(0, "Network Bearer", R, One, Mandatory, T.Integer, "0..50"),
        Res(1, "Available Network Bearer", R, Many, Mandatory, T.Integer, "0..50"),
        Res(2, "Radio Signal Strength", R, One, Mandatory, T.Integer, units: "dBm"),
        Res(3, "Link Quality", R, One, Optional, T.Integer),
        Res(4, "IP Addresses", R, Many, Mandatory, T.String),
        Res(5, "Router IP Addresses", R, Many, Optional, T.String),
        Res(6, "Link Utilization", R, One, Optional, T.Integer, "0..100", "/100"),
        Res(7, "APN", R, Many, Optional, T.String),
        Res(8, "Cell ID", R, One, Optional, T.Integer),
        Res(9, "SMNC", R, One, Optional, T.Integer, "0..999"),
        Res(10, "SMCC", R, One, Optional, T.Integer, "0..999"),
        Res(11, "SignalSNR", R, One, Optional, T.Integer, units: "dB"),
        Res(12, "LAC", R, One, Optional, T.Integer),
        Res(13, "Coverage Enhancement Level", R, One, Optional, T.Integer, "0..4"),
    ]);
}
