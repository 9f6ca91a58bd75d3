using static Tern.Lwm2m.Definitions.BuiltIn.DefinitionBuilder;
using T = Tern.Lwm2m.Model.Lwm2mResourceType;

namespace Tern.Lwm2m.Definitions.BuiltIn;

/// <summary>Object 9, LWM2M Software Management (object version 1.0, LwM2M 1.0): software package download, install and activation.</summary>
internal static class SoftwareManagementObject
{
    /// <summary>The definition, as the OMA registry's 9.xml gives it (descriptions left out).</summary>
    public static ObjectDefinition Definition { get; } = Define(9, "LWM2M Software Management", "1.0", "1.0", Many, Optional, "urn:oma:lwm2m:oma:9",
    [
        Res(0, "PkgName", R, One, Mandatory, T.String, "0..255 bytes"),
        Res(1, "PkgVersion", R, One, Mandatory, T.String, "0..255 bytes"),
        Res(2, "Package", W, One, Optional, T.Opaque),
        Res(3, "Package URI", W, One, Optional, T.String, "0..255 bytes"),
        Res(4, "Install", E, One, Mandatory, T.None),
        Res(5, "Checkpoint", R, One, Optional, T.Objlnk),
        Res(6, "Uninstall", E, One, Mandatory, T.None),
        Res(7, "Update State", R, One, Mandatory, T.Integer, "0..4"),
        Res(8, "Update Supported Objects", RW, One, Optional, T.Boolean),
        Res(9, "Update Result", R, One, Mandatory, T.Integer, "0..200"),
        Res(10, "Activate", E, One, Mandatory, T.None),
        Res(11, "Deactivate", E, One, Mandatory, T.None),
        Res(12, "Activation State", R, One, Mandatory, T.Boolean),
        Res(13, "Package Settings", RW, One, Optional, T.Objlnk),
        Res(14, "User Name", W, One, Optional, T.String, "0..255 bytes"),
        Res(15, "Password", W, One, Optional, T.String, "0..255 bytes"),
        Res(16, "Status Reason", R, One, Optional, T.String),
        Res(17, "Software Component Link", R, Many, Optional, T.Objlnk),
        Res(18, "Software Component tree length", R, One, Optional, T.Integer, "0..255"),
    ]);
}
