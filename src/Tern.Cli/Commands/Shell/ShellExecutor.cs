using System.Globalization;
using System.Text;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Model;

namespace Tern.Cli.Commands.Shell;

/// <summary>
/// Runs one parsed shell command against the client and its store and returns the lines to print. Values go
/// through the store, so the client (and its observers) see them as any application change. Runs on the shell
/// thread; the client's asynchronous calls are waited for there.
/// </summary>
internal static class ShellExecutor
{
    /// <summary>What a command the shell parses but this executor does not know answers.</summary>
    public const string NotAvailable = "not available in this build";

    /// <exception cref="ArgumentException">The store refused the path or value (printed as one error line).</exception>
    /// <exception cref="InvalidOperationException">The value is not of the asked type (printed as one error line).</exception>
    public static IReadOnlyList<string> Execute(ShellCommand command, Lwm2mClient client, Lwm2mObjectStore store, Stack<Lwm2mStoreLock> locks, string help) => command switch
    {
        ReadCommand read => [Read(store, read)],
        WriteCommand write => [Write(store, write)],
        ExecCommand exec => [Exec(store, exec)],
        CreateCommand create => [$"created {Path(store.CreateInstance(create.Path.ObjectId!.Value, create.Path.InstanceId!.Value), create.Path)}"],
        DeleteCommand delete => [store.DeleteInstance(delete.Path.ObjectId!.Value, delete.Path.InstanceId!.Value) ? $"deleted {delete.Path}" : $"error: no instance {delete.Path}"],
        ListCommand list => List(store, list.Path),
        StopCommand { Force: false } => Wait(client.DisableServerAsync(null), "stopping: de-registering"),
        StopCommand { Force: true } => Wait(client.PauseAsync(), "stopped without de-registering"),
        SendCommand send => [Send(client, send)],
        CacheCommand cache => [Cache(client, cache)],
        SimpleCommand simple => Simple(simple.Kind, client, store, locks, help),
        _ => ["error: unhandled command"],
    };

    /// <summary>Formats <paramref name="value"/> as <paramref name="type"/> asks; the error says why it cannot.</summary>
    public static bool TryFormat(Lwm2mValue value, ShellValueType type, out string text)
    {
        text = "";
        switch (type.Kind)
        {
            case ShellValueKind.Default:
                text = value.Type == Lwm2mResourceType.Float ? value.AsFloat().ToString("R", CultureInfo.InvariantCulture) : value.ToString();
                return true;
            case ShellValueKind.String when value.Type is Lwm2mResourceType.String or Lwm2mResourceType.Corelnk:
                text = value.AsString();
                return true;
            case ShellValueKind.Boolean when value.Type == Lwm2mResourceType.Boolean:
                text = value.AsBoolean() ? "true" : "false";
                return true;
            case ShellValueKind.Float when value.Type == Lwm2mResourceType.Float:
                text = value.AsFloat().ToString("R", CultureInfo.InvariantCulture);
                return true;
            case ShellValueKind.Time when value.Type == Lwm2mResourceType.Time:
                text = value.AsUnixTime().ToString(CultureInfo.InvariantCulture);
                return true;
            case ShellValueKind.Unsigned when value.Type == Lwm2mResourceType.UnsignedInteger || (value.Type == Lwm2mResourceType.Integer && value.AsInteger() >= 0):
                ulong u = value.Type == Lwm2mResourceType.Integer ? (ulong)value.AsInteger() : value.AsUnsignedInteger();
                text = u.ToString(CultureInfo.InvariantCulture);
                return type.Bits == 64 || u < 1UL << type.Bits;
            case ShellValueKind.Signed when value.Type == Lwm2mResourceType.Integer || (value.Type == Lwm2mResourceType.UnsignedInteger && value.AsUnsignedInteger() <= long.MaxValue):
                long s = value.Type == Lwm2mResourceType.Integer ? value.AsInteger() : (long)value.AsUnsignedInteger();
                text = s.ToString(CultureInfo.InvariantCulture);
                return type.Bits == 64 || (s >= -(1L << (type.Bits - 1)) && s < 1L << (type.Bits - 1));
            default:
                return false;
        }
    }

    private static string Send(Lwm2mClient client, SendCommand send)
    {
        var result = client.SendAsync(send.Paths).GetAwaiter().GetResult();
        string paths = string.Join(' ', send.Paths);
        return result.IsAccepted
            ? $"send {result.Status.ToString().ToLowerInvariant()}: {paths}"
            : $"error: send {result.Status.ToString().ToLowerInvariant()}{(result.Error is null ? "" : ": " + result.Error)}";
    }

    private static string Cache(Lwm2mClient client, CacheCommand cache)
    {
        if (client.Reporter is not { } reporter)
        {
            return "error: this client has no reporting layer";
        }

        reporter.Cache.Enable(cache.Path, cache.Capacity);
        return $"cache {cache.Path}: keeps the last {cache.Capacity} values";
    }

    private static string[] Observations(Lwm2mClient client, Lwm2mObjectStore store)
    {
        if (client.Reporter is not { } reporter)
        {
            return ["error: this client has no reporting layer"];
        }

        var lines = new List<string>();
        foreach (var server in store.ReadConfiguration().Servers)
        {
            foreach (var observation in reporter.Observations(server.ShortServerId).Items)
            {
                lines.Add($"server {server.ShortServerId} token {Convert.ToHexString(observation.Token.Span)} {(observation.IsComposite ? "composite " : "")}{string.Join(' ', observation.Paths)}");
            }
        }

        return lines.Count == 0 ? ["no observations"] : [.. lines];
    }

    private static string Read(Lwm2mObjectStore store, ReadCommand read)
    {
        if (!store.TryGetValue(read.Path, out Lwm2mValue value))
        {
            return $"error: {read.Path} has no value";
        }

        return TryFormat(value, read.Type, out string text)
            ? $"{read.Path} = {text}"
            : $"error: {read.Path} holds {value.Type} {value}, which does not fit {read.Type}";
    }

    private static string Write(Lwm2mObjectStore store, WriteCommand write)
    {
        Lwm2mValue value = write.Value;
        if (value.Type == Lwm2mResourceType.Integer)
        {
            store.SetValue(write.Path, value.AsInteger()); // the store converts to the resource's integer, float or time type
        }
        else if (value.Type == Lwm2mResourceType.UnsignedInteger && value.AsUnsignedInteger() <= long.MaxValue)
        {
            store.SetValue(write.Path, (long)value.AsUnsignedInteger());
        }
        else
        {
            store.SetValue(write.Path, value);
        }

        return $"written {write.Path} = {store.GetValue(write.Path)}";
    }

    private static string Exec(Lwm2mObjectStore store, ExecCommand exec)
    {
        if (!store.Exists(exec.Path.ObjectInstance()))
        {
            return $"error: no instance {exec.Path.ObjectInstance()}";
        }

        byte[] payload = Encoding.ASCII.GetBytes(exec.Argument ?? "");
        if (!Lwm2mExecuteArguments.TryParse(payload, out Lwm2mExecuteArguments? arguments, out string? error))
        {
            return $"error: bad execute argument: {error}";
        }

        ILwm2mObjectHandler? handler = store.GetHandler(exec.Path.ObjectId!.Value);
        Lwm2mStatus status = handler?.OnExecute(exec.Path, arguments) ?? Lwm2mStatus.Ok;
        return $"executed {exec.Path}: {status}";
    }

    private static string Path(int instanceId, Lwm2mPath asked) => $"/{asked.ObjectId}/{instanceId}";

    private static Lwm2mPath ObjectInstance(this Lwm2mPath path) => Lwm2mPath.Parse($"/{path.ObjectId}/{path.InstanceId}");

    private static List<string> List(Lwm2mObjectStore store, Lwm2mPath path)
    {
        var output = new List<string>();
        if (path.IsRoot)
        {
            foreach (int objectId in store.ObjectIds)
            {
                output.AddRange(List(store, Lwm2mPath.Parse($"/{objectId}")));
            }

            return output;
        }

        switch (store.GetNode(path))
        {
            case null:
                output.Add($"error: nothing at {path}");
                break;
            case Lwm2mObject o:
                output.Add($"/{o.Id} {store.GetDefinition(o.Id)?.Name}");
                foreach (Lwm2mObjectInstance instance in o.Instances)
                {
                    AddInstance(output, o.Id, instance);
                }

                break;
            case Lwm2mObjectInstance instance:
                AddInstance(output, path.ObjectId!.Value, instance);
                break;
            case Lwm2mResource resource:
                AddResource(output, $"/{path.ObjectId}/{path.InstanceId}", resource);
                break;
            case Lwm2mResourceInstance ri:
                output.Add($"{path} = {Show(ri.Value)}");
                break;
        }

        return output;
    }

    private static void AddInstance(List<string> output, int objectId, Lwm2mObjectInstance instance)
    {
        output.Add($"/{objectId}/{instance.Id}");
        foreach (Lwm2mResource resource in instance.Resources)
        {
            AddResource(output, $"/{objectId}/{instance.Id}", resource);
        }
    }

    private static void AddResource(List<string> output, string instancePath, Lwm2mResource resource)
    {
        switch (resource)
        {
            case Lwm2mSingleResource single:
                output.Add($"{instancePath}/{single.Id} = {Show(single.Value)}");
                break;
            case Lwm2mMultipleResource multiple:
                foreach (Lwm2mResourceInstance ri in multiple.Instances)
                {
                    output.Add($"{instancePath}/{multiple.Id}/{ri.Id} = {Show(ri.Value)}");
                }

                break;
        }
    }

    private static string Show(Lwm2mValue value)
    {
        TryFormat(value, default, out string text);
        return text;
    }

    private static string[] Wait(ValueTask pending, string done)
    {
        pending.AsTask().GetAwaiter().GetResult();
        return [done];
    }

    private static string[] Simple(SimpleCommandKind kind, Lwm2mClient client, Lwm2mObjectStore store, Stack<Lwm2mStoreLock> locks, string help)
    {
        switch (kind)
        {
            case SimpleCommandKind.Start:
                return Wait(client.RestartAsync(), "starting");
            case SimpleCommandKind.Update:
                return Wait(client.TriggerUpdateAsync(), "update requested");
            case SimpleCommandKind.Pause:
                return Wait(client.PauseAsync(), "paused");
            case SimpleCommandKind.Resume:
                return Wait(client.ResumeAsync(), "resumed");
            case SimpleCommandKind.Lock:
                locks.Push(store.Lock());
                return [$"locked (depth {locks.Count})"];
            case SimpleCommandKind.Unlock:
                if (!locks.TryPop(out Lwm2mStoreLock held))
                {
                    return ["error: not locked"];
                }

                held.Dispose();
                return [$"unlocked (depth {locks.Count})"];
            case SimpleCommandKind.State:
                return [$"state         {client.State}"];
            case SimpleCommandKind.Help:
                return [help];
            case SimpleCommandKind.Observations:
                return Observations(client, store);
            default:
                return [NotAvailable];
        }
    }
}
