using static Tern.Lwm2m.Definitions.BuiltIn.DefinitionBuilder;
using T = Tern.Lwm2m.Model.Lwm2mResourceType;

namespace Tern.Lwm2m.Definitions.BuiltIn;

/// <summary>Object 3, Device (object version 1.2, LwM2M 1.1): device identity, power, time, reboot and reset.</summary>
internal static class DeviceObject
{
    /// <summary>The definition, as the OMA registry's 3.xml gives it (descriptions left out).</summary>
    public static ObjectDefinition Definition { get; } = Define(3, "Device", "1.2", "1.1", One, Mandatory, "urn:oma:lwm2m:oma:3:1.2",
    [
        Res(0, "Manufacturer", R, One, Optional, T.String),
        Res(1, "Model Number", R, One, Optional, T.String),
        Res(2, "Serial Number", R, One, Optional, T.String),
        Res(3, "Firmware Version", R, One, Optional, T.String),
        Res(4, "Reboot", E, One, Mandatory, T.None),
        Res(5, "Factory Reset", E, One, Optional, T.None),
        Res(6, "Available Power Sources", R, Many, Optional, T.Integer, "0..7"),
        Res(7, "Power Source Voltage", R, Many, Optional, T.Integer),
        Res(8, "Power Source Current", R, Many, Optional, T.Integer),
        Res(9, "Battery Level", R, One, Optional, T.Integer, "0..100", "/100"),
        Res(10, "Memory Free", R, One, Optional, T.Integer),
        Res(11, "Error Code", R, Many, Mandatory, T.Integer, "0..32"),
        Res(12, "Reset Error Code", E, One, Optional, T.None),
        Res(13, "Current Time", RW, One, Optional, T.Time),
        Res(14, "UTC Offset", RW, One, Optional, T.String),
        Res(15, "Timezone", RW, One, Optional, T.String),
        Res(16, "Supported Binding and Modes", R, One, Mandatory, T.String),
        Res(17, "Device Type", R, One, Optional, T.String),
        Res(18, "Hardware Version", R, One, Optional, T.String),
        Res(19, "Software Version", R, One, Optional, T.String),
        Res(20, "Battery Status", R, One, Optional, T.Integer, "0..6"),
        Res(21, "Memory Total", R, One, Optional, T.Integer),
        Res(22, "ExtDevInfo", R, Many, Optional, T.Objlnk),
    ]);
}
