using static Tern.Lwm2m.Definitions.BuiltIn.DefinitionBuilder;
using T = Tern.Lwm2m.Model.Lwm2mResourceType;

namespace Tern.Lwm2m.Definitions.BuiltIn;

/// <summary>Object 0, LWM2M Security (object version 1.2, LwM2M 1.1): keys and addresses for reaching a server.</summary>
internal static class SecurityObject
{
    /// <summary>The definition, as the OMA registry's 0.xml gives it (descriptions left out).</summary>
    public static ObjectDefinition Definition { get; } = Define(0, "LWM2M Security", "1.2", "1.1", Many, Mandatory, "urn:oma:lwm2m:oma:0:1.2",
    [
        Res(0, "LWM2M  Server URI", NoOps, One, Mandatory, T.String, "0..255"),
        Res(1, "Bootstrap-Server", NoOps, One, Mandatory, T.Boolean),
        Res(2, "Security Mode", NoOps, One, Mandatory, T.Integer, "0..4"),
        Res(3, "Public Key or Identity", NoOps, One, Mandatory, T.Opaque),
        Res(4, "Server Public Key", NoOps, One, Mandatory, T.Opaque),
        Res(5, "Secret Key", NoOps, One, Mandatory, T.Opaque),
        Res(6, "SMS Security Mode", NoOps, One, Optional, T.Integer, "0..255"),
        Res(7, "SMS Binding Key Parameters", NoOps, One, Optional, T.Opaque, "6"),
        Res(8, "SMS Binding Secret Key(s)", NoOps, One, Optional, T.Opaque, "16,32,48"),
        Res(9, "LwM2M Server SMS Number", NoOps, One, Optional, T.String),
        Res(10, "Short Server ID", NoOps, One, Optional, T.Integer, "1..65534"),
        Res(11, "Client Hold Off Time", NoOps, One, Optional, T.Integer, units: "s"),
        Res(12, "Bootstrap-Server Account Timeout", NoOps, One, Optional, T.Integer, units: "s"),
        Res(13, "Matching Type", NoOps, One, Optional, T.UnsignedInteger, "0..3"),
        Res(14, "SNI", NoOps, One, Optional, T.String),
        Res(15, "Certificate Usage", NoOps, One, Optional, T.UnsignedInteger, "0..3"),
        Res(16, "DTLS/TLS Ciphersuite", NoOps, Many, Optional, T.UnsignedInteger),
        Res(17, "OSCORE Security Mode", NoOps, One, Optional, T.Objlnk),
        Res(18, "Groups To Use by Client", NoOps, Many, Optional, T.UnsignedInteger, "0..65535"),
        Res(19, "Signature Algorithms Supported by Server", NoOps, Many, Optional, T.UnsignedInteger, "0..65535"),
        Res(20, "Signature Algorithms To Use by Client", NoOps, Many, Optional, T.UnsignedInteger, "0..65535"),
        Res(21, "Signature Algorithm Certs Supported by Server", NoOps, Many, Optional, T.UnsignedInteger, "0..65535"),
        Res(22, "TLS 1.3 Features To Use by Client", NoOps, One, Optional, T.UnsignedInteger, "0..65535"),
        Res(23, "TLS Extensions Supported by Server", NoOps, One, Optional, T.UnsignedInteger, "0..65535"),
        Res(24, "TLS Extensions To Use by Client", NoOps, One, Optional, T.UnsignedInteger, "0..65535"),
        Res(25, "Secondary LwM2M Server URI", NoOps, Many, Optional, T.String, "0..255"),
        Res(26, "MQTT Server", NoOps, One, Optional, T.Objlnk),
        Res(27, "LwM2M COSE Security", NoOps, Many, Optional, T.Objlnk),
        Res(28, "RDS Destination Port", NoOps, One, Optional, T.Integer, "0..15"),
        Res(29, "RDS Source Port", NoOps, One, Optional, T.Integer, "0..15"),
        Res(30, "RDS Application ID", NoOps, One, Optional, T.String),
    ]);
}
