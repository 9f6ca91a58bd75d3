using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>Conversion between the Security (0) and Server (1) objects and <see cref="Lwm2mClientConfiguration"/>.</summary>
public sealed partial class Lwm2mObjectStore
{
    /// <summary>
    /// The configuration the Security (0), Server (1) and Access Control (2) instances describe now (e.g. after a bootstrap server wrote
    /// them). Resources without a value take the TS defaults <see cref="Lwm2mServerInstance"/> documents. Never throws on
    /// odd values: ids out of range are clamped so that <see cref="Lwm2mClientConfiguration.Validate"/> reports them.
    /// </summary>
    public Lwm2mClientConfiguration ReadConfiguration()
    {
        using (Lock())
        {
            var securities = GetInstanceIds(0).Select(i => ReadSecurity(i)).ToList();
            var servers = GetInstanceIds(1).Select(i => ReadServer(i)).ToList();
            var accessControls = HasObject(2) ? GetInstanceIds(2).Select(i => ReadAccessControl(i)).ToList() : [];
            return new Lwm2mClientConfiguration(securities, servers, accessControls);
        }
    }

    /// <summary>
    /// Replaces every Security (0) and Server (1) instance with those of <paramref name="configuration"/>, declaring
    /// the two objects when needed, and the Access Control (2) instances when the store declares object 2 or the
    /// configuration has some. Raises one <see cref="ValuesChanged"/> and one <see cref="InstancesChanged"/>.
    /// </summary>
    public void LoadConfiguration(Lwm2mClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        using (Lock())
        {
            foreach (int objectId in new[] { 0, 1 })
            {
                if (!HasObject(objectId))
                {
                    AddObject(objectId);
                }

                foreach (int instanceId in GetInstanceIds(objectId))
                {
                    DeleteInstance(objectId, instanceId);
                }
            }

            foreach (Lwm2mSecurityInstance security in configuration.Securities)
            {
                CreateInstance(0, security.InstanceId, SecurityResources(security));
            }

            foreach (Lwm2mServerInstance server in configuration.Servers)
            {
                CreateInstance(1, server.InstanceId, ServerResources(server));
            }

            // Access Control (2) is replaced too when the store declares it or the configuration has instances of it.
            if (configuration.AccessControls.Count > 0 && !HasObject(2))
            {
                AddObject(2);
            }

            if (HasObject(2))
            {
                foreach (int instanceId in GetInstanceIds(2))
                {
                    DeleteInstance(2, instanceId);
                }

                foreach (Lwm2mAccessControlInstance acl in configuration.AccessControls)
                {
                    CreateInstance(2, acl.InstanceId, AccessControlResources(acl));
                }
            }
        }
    }

    private static IEnumerable<Lwm2mResource> SecurityResources(Lwm2mSecurityInstance s)
    {
        yield return new Lwm2mSingleResource(0, Lwm2mValue.FromString(s.ServerUri));
        yield return new Lwm2mSingleResource(1, Lwm2mValue.FromBoolean(s.IsBootstrapServer));
        yield return new Lwm2mSingleResource(2, Lwm2mValue.FromInteger((int)s.SecurityMode));
        yield return new Lwm2mSingleResource(3, Lwm2mValue.FromOpaque(s.PublicKeyOrIdentity.ToArray()));
        yield return new Lwm2mSingleResource(4, Lwm2mValue.FromOpaque(s.ServerPublicKey.ToArray()));
        yield return new Lwm2mSingleResource(5, Lwm2mValue.FromOpaque(s.SecretKey.ToArray()));
        if (s.ShortServerId is { } ssid)
        {
            yield return new Lwm2mSingleResource(10, Lwm2mValue.FromInteger(ssid));
        }

        if (s.ClientHoldOffTime is { } holdOff)
        {
            yield return new Lwm2mSingleResource(11, Lwm2mValue.FromInteger((long)holdOff.TotalSeconds));
        }

        if (s.CertificateUsage is { } usage)
        {
            yield return new Lwm2mSingleResource(15, Lwm2mValue.FromUnsignedInteger(usage));
        }
    }

    private static IEnumerable<Lwm2mResource> AccessControlResources(Lwm2mAccessControlInstance a)
    {
        yield return new Lwm2mSingleResource(0, Lwm2mValue.FromInteger(a.ObjectId));
        yield return new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(a.ObjectInstanceId));
        if (a.Acl.Count > 0)
        {
            yield return new Lwm2mMultipleResource(2, Lwm2mResourceType.Integer,
                [.. a.Acl.Select(e => new Lwm2mResourceInstance(e.ShortServerId, Lwm2mValue.FromInteger((long)e.Rights)))]);
        }

        yield return new Lwm2mSingleResource(3, Lwm2mValue.FromInteger(a.Owner));
    }

    private static IEnumerable<Lwm2mResource> ServerResources(Lwm2mServerInstance s)
    {
        yield return new Lwm2mSingleResource(0, Lwm2mValue.FromInteger(s.ShortServerId));
        yield return new Lwm2mSingleResource(1, Lwm2mValue.FromInteger((long)s.Lifetime.TotalSeconds));
        if (s.DefaultMinPeriod is { } pmin)
        {
            yield return new Lwm2mSingleResource(2, Lwm2mValue.FromInteger((long)pmin.TotalSeconds));
        }

        if (s.DefaultMaxPeriod is { } pmax)
        {
            yield return new Lwm2mSingleResource(3, Lwm2mValue.FromInteger((long)pmax.TotalSeconds));
        }

        yield return new Lwm2mSingleResource(5, Lwm2mValue.FromInteger((long)s.DisableTimeout.TotalSeconds));
        yield return new Lwm2mSingleResource(6, Lwm2mValue.FromBoolean(s.NotificationStoring));
        yield return new Lwm2mSingleResource(7, Lwm2mValue.FromString(s.Binding));
        yield return new Lwm2mSingleResource(16, Lwm2mValue.FromBoolean(s.BootstrapOnRegistrationFailure));
        yield return new Lwm2mSingleResource(17, Lwm2mValue.FromUnsignedInteger(s.CommunicationRetryCount));
        yield return new Lwm2mSingleResource(18, Lwm2mValue.FromUnsignedInteger((ulong)s.CommunicationRetryTimer.TotalSeconds));
        yield return new Lwm2mSingleResource(19, Lwm2mValue.FromUnsignedInteger((ulong)s.SequenceDelayTimer.TotalSeconds));
        yield return new Lwm2mSingleResource(20, Lwm2mValue.FromUnsignedInteger(s.SequenceRetryCount));
        if (s.PreferredTransport is { } transport)
        {
            yield return new Lwm2mSingleResource(22, Lwm2mValue.FromString(transport));
        }
    }

    private Lwm2mSecurityInstance ReadSecurity(int instanceId)
    {
        var path = new Lwm2mPath(0, instanceId);
        return new Lwm2mSecurityInstance(
            (ushort)instanceId,
            Text(path.Append(0)) ?? string.Empty,
            Flag(path.Append(1)) ?? false,
            (Lwm2mSecurityMode)(Number(path.Append(2)) ?? (long)Lwm2mSecurityMode.NoSec))
        {
            PublicKeyOrIdentity = Bytes(path.Append(3)),
            SecretKey = Bytes(path.Append(5)),
            ServerPublicKey = Bytes(path.Append(4)),
            CertificateUsage = Number(path.Append(15)) is { } usage and >= 0 and <= 255 ? (byte)usage : null,
            ShortServerId = Number(path.Append(10)) is { } ssid ? Id(ssid) : null,
            ClientHoldOffTime = Number(path.Append(11)) is { } holdOff ? Seconds(holdOff) : null,
        };
    }

    private Lwm2mServerInstance ReadServer(int instanceId)
    {
        var path = new Lwm2mPath(1, instanceId);
        var defaults = new Lwm2mServerInstance(0, 0, TimeSpan.Zero);
        return new Lwm2mServerInstance((ushort)instanceId, Id(Number(path.Append(0)) ?? 0), Seconds(Number(path.Append(1)) ?? 0), Text(path.Append(7)) ?? "U")
        {
            DefaultMinPeriod = Number(path.Append(2)) is { } pmin ? Seconds(pmin) : null,
            DefaultMaxPeriod = Number(path.Append(3)) is { } pmax ? Seconds(pmax) : null,
            DisableTimeout = Number(path.Append(5)) is { } disable ? Seconds(disable) : defaults.DisableTimeout,
            NotificationStoring = Flag(path.Append(6)) ?? defaults.NotificationStoring,
            BootstrapOnRegistrationFailure = Flag(path.Append(16)) ?? defaults.BootstrapOnRegistrationFailure,
            CommunicationRetryCount = (uint)Math.Clamp(Number(path.Append(17)) ?? defaults.CommunicationRetryCount, 0, uint.MaxValue),
            CommunicationRetryTimer = Number(path.Append(18)) is { } retry ? Seconds(retry) : defaults.CommunicationRetryTimer,
            SequenceDelayTimer = Number(path.Append(19)) is { } delay ? Seconds(delay) : defaults.SequenceDelayTimer,
            SequenceRetryCount = (uint)Math.Clamp(Number(path.Append(20)) ?? defaults.SequenceRetryCount, 0, uint.MaxValue),
            PreferredTransport = Text(path.Append(22)),
        };
    }

    private Lwm2mAccessControlInstance ReadAccessControl(int instanceId)
    {
        var path = new Lwm2mPath(2, instanceId);
        var acl = GetNode(path.Append(2)) is Lwm2mMultipleResource entries
            ? entries.Instances.Select(e => new Lwm2mAclEntry(Id(e.Id), Rights(e.Value))).ToList()
            : [];
        return new Lwm2mAccessControlInstance((ushort)instanceId, Id(Number(path.Append(0)) ?? 0), Id(Number(path.Append(1)) ?? 0), Id(Number(path.Append(3)) ?? 0)) { Acl = acl };
    }

    /// <summary>The rights an ACL value grants: the five defined bits; reserved bits and negative or non-integer values grant nothing.</summary>
    private static Lwm2mAccessRights Rights(Lwm2mValue value) =>
        value.Type == Lwm2mResourceType.Integer && value.AsInteger() is >= 0 and var bits ? (Lwm2mAccessRights)(bits & (long)Lwm2mAccessControl.All) : Lwm2mAccessRights.None;

    private static ushort Id(long value) => (ushort)Math.Clamp(value, 0, ushort.MaxValue);

    private static TimeSpan Seconds(long value) => TimeSpan.FromSeconds(Math.Clamp(value, -TimeSpan.MaxValue.TotalSeconds / 2, TimeSpan.MaxValue.TotalSeconds / 2));

    private string? Text(Lwm2mPath path) => TryGetValue(path, out Lwm2mValue v) && v.Type == Lwm2mResourceType.String ? v.AsString() : null;

    private bool? Flag(Lwm2mPath path) => TryGetValue(path, out Lwm2mValue v) && v.Type == Lwm2mResourceType.Boolean ? v.AsBoolean() : null;

    private byte[] Bytes(Lwm2mPath path) => TryGetValue(path, out Lwm2mValue v) && v.Type == Lwm2mResourceType.Opaque ? v.AsOpaque() : [];

    private long? Number(Lwm2mPath path) => TryGetValue(path, out Lwm2mValue v) ? v.Type switch
    {
        Lwm2mResourceType.Integer => v.AsInteger(),
        Lwm2mResourceType.UnsignedInteger => (long)Math.Min(v.AsUnsignedInteger(), long.MaxValue),
        _ => null,
    } : null;
}
