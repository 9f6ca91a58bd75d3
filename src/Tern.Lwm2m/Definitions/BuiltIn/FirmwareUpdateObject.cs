using static Tern.Lwm2m.Definitions.BuiltIn.DefinitionBuilder;
using T = Tern.Lwm2m.Model.Lwm2mResourceType;

namespace Tern.Lwm2m.Definitions.BuiltIn;

/// <summary>Object 5, Firmware Update (object version 1.2, LwM2M 1.1): firmware download and update state machine.</summary>
internal static class FirmwareUpdateObject
{
    /// <summary>The definition, as the OMA registry's 5.xml gives it (descriptions left out).</summary>
    public static ObjectDefinition Definition { get; } = Define(5, "Firmware Update", "1.2", "1.1", One, Optional, "urn:oma:lwm2m:oma:5:1.2",
    [
        Res(0, "Package", W, One, Mandatory, T.Opaque),
        Res(1, "Package URI", RW, One, Mandatory, T.String, "0..255"),
        Res(2, "Update", E, One, Mandatory, T.None),
        Res(3, "State", R, One, Mandatory, T.Integer, "0..3"),
        Res(5, "Update Result", R, One, Mandatory, T.Integer, "0..11"),
        Res(6, "PkgName", R, One, Optional, T.String, "0..255"),
        Res(7, "PkgVersion", R, One, Optional, T.String, "0..255"),
        Res(8, "Firmware Update Protocol Support", R, Many, Optional, T.Integer, "0..5"),
        Res(9, "Firmware Update Delivery Method", R, One, Mandatory, T.Integer, "0..2"),
        Res(10, "Cancel", E, One, Optional, T.None),
        Res(11, "Severity", RW, One, Optional, T.Integer, "0..2"),
        Res(12, "Last State Change Time", R, One, Optional, T.Time),
        Res(13, "Maximum Defer Period", RW, One, Optional, T.UnsignedInteger, units: "s"),
        Res(14, "Automatic Upgrade at Download", RW, One, Optional, T.Boolean),
    ]);
}
