using static Tern.Lwm2m.Definitions.BuiltIn.DefinitionBuilder;
using T = Tern.Lwm2m.Model.Lwm2mResourceType;

namespace Tern.Lwm2m.Definitions.BuiltIn;

/// <summary>Object 1, LwM2M Server (object version 1.2, LwM2M 1.2): registration settings for one server.</summary>
internal static class ServerObject
{
    /// <summary>The definition, as the OMA registry's 1.xml gives it (descriptions left out).</summary>
    public static ObjectDefinition Definition { get; } = Define(1, "LwM2M Server", "1.2", "1.2", Many, Mandatory, "urn:oma:lwm2m:oma:1:1.2",
    [
        Res(0, "Short Server ID", R, One, Mandatory, T.Integer, "1..65534"),
        Res(1, "Lifetime", RW, One, Mandatory, T.Integer, units: "s"),
        Res(2, "Default Minimum Period", RW, One, Optional, T.Integer, units: "s"),
        Res(3, "Default Maximum Period", RW, One, Optional, T.Integer, units: "s"),
        Res(4, "Disable", E, One, Optional, T.None),
        Res(5, "Disable Timeout", RW, One, Optional, T.Integer, units: "s"),
        Res(6, "Notification Storing When Disabled or Offline", RW, One, Mandatory, T.Boolean),
        Res(7, "Binding", RW, One, Mandatory, T.String),
        Res(8, "Registration Update Trigger", E, One, Mandatory, T.None),
        Res(9, "Bootstrap-Request Trigger", E, One, Optional, T.None),
        Res(10, "APN Link", RW, One, Optional, T.Objlnk),
        Res(11, "TLS-DTLS Alert Code", R, One, Optional, T.UnsignedInteger, "0..255"),
        Res(12, "Last Bootstrapped", R, One, Optional, T.Time),
        Res(13, "Registration Priority Order", R, One, Optional, T.UnsignedInteger),
        Res(14, "Initial Registration Delay Timer", RW, One, Optional, T.UnsignedInteger, units: "s"),
        Res(15, "Registration Failure Block", R, One, Optional, T.Boolean),
        Res(16, "Bootstrap on Registration Failure", R, One, Optional, T.Boolean),
        Res(17, "Communication Retry Count", RW, One, Optional, T.UnsignedInteger),
        Res(18, "Communication Retry Timer", RW, One, Optional, T.UnsignedInteger, units: "s"),
        Res(19, "Communication Sequence Delay Timer", RW, One, Optional, T.UnsignedInteger, units: "s"),
        Res(20, "Communication Sequence Retry Count", RW, One, Optional, T.UnsignedInteger),
        Res(21, "Trigger", RW, One, Optional, T.Boolean),
        Res(22, "Preferred Transport", RW, One, Optional, T.String, "The possible values are those listed in the LwM2M Core Specification"),
        Res(23, "Mute Send", RW, One, Optional, T.Boolean),
        Res(24, "Alternate APN Links", RW, Many, Optional, T.Objlnk),
        Res(25, "Supported Server Versions", RW, Many, Optional, T.String),
        Res(26, "Default Notification Mode", RW, One, Optional, T.Integer, "0..1"),
        Res(27, "Profile ID Hash Algorithm", RW, One, Optional, T.UnsignedInteger, "0..255"),
    ]);
}
