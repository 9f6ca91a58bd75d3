using static Tern.Lwm2m.Definitions.BuiltIn.DefinitionBuilder;
using T = Tern.Lwm2m.Model.Lwm2mResourceType;

namespace Tern.Lwm2m.Definitions.BuiltIn;

/// <summary>Object 2, LwM2M Access Control (object version 1.1, LwM2M 1.0): per-server access rights to instances.</summary>
internal static class AccessControlObject
{
    /// <summary>The definition, as the OMA registry's 2.xml gives it (descriptions left out).</summary>
    public static ObjectDefinition Definition { get; } = Define(2, "LwM2M Access Control", "1.1", "1.0", Many, Optional, "urn:oma:lwm2m:oma:2:1.1",
    [
        Res(0, "Object ID", R, One, Mandatory, T.Integer, "1..65534"),
        Res(1, "Object Instance ID", R, One, Mandatory, T.Integer, "0..65535"),
        Res(2, "ACL", RW, Many, Optional, T.Integer, "0..31"),
        Res(3, "Access Control Owner", RW, One, Mandatory, T.Integer, "0..65535"),
    ]);
}
