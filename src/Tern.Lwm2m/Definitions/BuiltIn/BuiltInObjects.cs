namespace Tern.Lwm2m.Definitions.BuiltIn;

/// <summary>
/// Object definitions Tern knows without loading any file: the LwM2M core objects 0–7 and 9 and the
/// IPSO objects the samples use. Each mirrors the OMA registry's file for that object (the only version
/// in the registry copy Tern is tested against), without descriptions.
/// </summary>
public static class BuiltInObjects
{
    /// <summary>Object 0, LWM2M Security 1.2.</summary>
    public static ObjectDefinition Security => SecurityObject.Definition;

    /// <summary>Object 1, LwM2M Server 1.2.</summary>
    public static ObjectDefinition Server => ServerObject.Definition;

    /// <summary>Object 2, LwM2M Access Control 1.1.</summary>
    public static ObjectDefinition AccessControl => AccessControlObject.Definition;

    /// <summary>Object 3, Device 1.2.</summary>
    public static ObjectDefinition Device => DeviceObject.Definition;

    /// <summary>Object 4, Connectivity Monitoring 1.3.</summary>
    public static ObjectDefinition ConnectivityMonitoring => ConnectivityMonitoringObject.Definition;

    /// <summary>Object 5, Firmware Update 1.2.</summary>
    public static ObjectDefinition FirmwareUpdate => FirmwareUpdateObject.Definition;

    /// <summary>Object 6, Location 1.0.</summary>
    public static ObjectDefinition Location => LocationObject.Definition;

    /// <summary>Object 7, Connectivity Statistics 1.0.</summary>
    public static ObjectDefinition ConnectivityStatistics => ConnectivityStatisticsObject.Definition;

    /// <summary>Object 9, LWM2M Software Management 1.0.</summary>
    public static ObjectDefinition SoftwareManagement => SoftwareManagementObject.Definition;

    /// <summary>Object 3303, Temperature 1.1 (IPSO).</summary>
    public static ObjectDefinition Temperature => TemperatureObject.Definition;

    /// <summary>Object 3424, Water meter 1.1 (IPSO).</summary>
    public static ObjectDefinition WaterMeter => WaterMeterObject.Definition;

    /// <summary>Every built-in definition, in ascending object id.</summary>
    public static IReadOnlyList<ObjectDefinition> All { get; } =
    [
        Security, Server, AccessControl, Device, ConnectivityMonitoring, FirmwareUpdate, Location, ConnectivityStatistics,
        SoftwareManagement, Temperature, WaterMeter,
    ];
}
