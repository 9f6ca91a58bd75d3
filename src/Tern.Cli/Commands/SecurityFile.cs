using System.Text;
using System.Text.Json;
using Tern.Lwm2m.Server.Security;

namespace Tern.Cli.Commands;

/// <summary>
/// <c>tern server --security-file FILE</c>: the LwM2M server's and the bootstrap server's security entries as JSON,
/// loaded at start and written back whenever the REST API changes either store, so the file survives a restart:
/// <code>
/// {
///   "server":    [ { "endpoint": "dev-1", "pskIdentity": "dev-1-id", "pskKey": "000102…" },
///                  { "endpoint": "dev-2", "certificate": true } ],
///   "bootstrap": [ { "endpoint": "dev-1", "pskIdentity": "dev-1-bs", "pskKey": "0f0e0d…" } ]
/// }
/// </code>
/// A certificate entry admits the client whose certificate CN is the endpoint name. Both sections are optional.
/// </summary>
internal sealed class SecurityFile
{
    private static readonly JsonDocumentOptions ReadOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 8 };
    private readonly Lock _gate = new();

    private SecurityFile(string path, InMemorySecurityStore server, InMemorySecurityStore bootstrap)
    {
        Path = path;
        ServerStore = server;
        BootstrapStore = bootstrap;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The LwM2M server's entries as loaded (plus whatever was added since).</summary>
    public InMemorySecurityStore ServerStore { get; }

    /// <summary>The bootstrap server's entries as loaded (plus whatever was added since).</summary>
    public InMemorySecurityStore BootstrapStore { get; }

    /// <summary>Raised with a one-line message when saving the file fails (the stores keep the change).</summary>
    public event Action<string>? SaveFailed;

    /// <summary>Reads and validates <paramref name="path"/>; on failure, <paramref name="error"/> is one line naming the bad entry.</summary>
    public static SecurityFile? Load(string path, out string error)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"--security-file {path}: cannot read it: {e.Message}";
            return null;
        }

        var server = new InMemorySecurityStore();
        var bootstrap = new InMemorySecurityStore();
        string? problem = Parse(text, server, bootstrap);
        error = problem is null ? "" : $"--security-file {path}: {problem}";
        return problem is null ? new SecurityFile(path, server, bootstrap) : null;
    }

    /// <summary>Fills the two stores from <paramref name="json"/>; null when valid, else what is wrong (one line).</summary>
    public static string? Parse(string json, InMemorySecurityStore server, InMemorySecurityStore bootstrap)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ReadOptions);
        }
        catch (JsonException e)
        {
            return $"not valid JSON: {OneLine(e.Message)}";
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return "the top level must be an object with \"server\" and/or \"bootstrap\" arrays of entries";
            }

            foreach (JsonProperty section in document.RootElement.EnumerateObject())
            {
                InMemorySecurityStore? store = section.Name switch { "server" => server, "bootstrap" => bootstrap, _ => null };
                if (store is null)
                {
                    return $"unknown section \"{section.Name}\" (expected \"server\" or \"bootstrap\")";
                }

                if (section.Value.ValueKind != JsonValueKind.Array)
                {
                    return $"\"{section.Name}\" must be an array of entries";
                }

                int index = 0;
                foreach (JsonElement entry in section.Value.EnumerateArray())
                {
                    if (ParseEntry(entry, store) is { } problem)
                    {
                        string name = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("endpoint", out JsonElement ep) && ep.ValueKind == JsonValueKind.String
                            ? $" (endpoint '{ep.GetString()}')" : "";
                        return $"{section.Name}[{index}]{name}: {problem}";
                    }

                    index++;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Wraps <paramref name="store"/> (<see cref="ServerStore"/> or <see cref="BootstrapStore"/>) so that every change that
    /// succeeds rewrites the file.
    /// </summary>
    public ISecurityStore Saving(ISecurityStore store) => new SavingStore(store, this);

    /// <summary>Writes both stores to the file (through a temporary file, so a crash never leaves half a file).</summary>
    public void Save()
    {
        lock (_gate)
        {
            string temporary = Path + ".tmp";
            try
            {
                File.WriteAllText(temporary, Write(ServerStore, BootstrapStore));
                File.Move(temporary, Path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                SaveFailed?.Invoke($"--security-file {Path}: cannot save the change: {e.Message}");
            }
        }
    }

    /// <summary>The file's JSON for the two stores (keys included: the file is the operator's).</summary>
    public static string Write(ISecurityStore server, ISecurityStore bootstrap)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(bootstrap);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach ((string name, ISecurityStore store) in new[] { ("server", server), ("bootstrap", bootstrap) })
            {
                writer.WriteStartArray(name);
                foreach (SecurityInfo info in store.GetAll())
                {
                    writer.WriteStartObject();
                    writer.WriteString("endpoint", info.Endpoint);
                    if (info.UsesCertificate)
                    {
                        writer.WriteBoolean("certificate", true);
                    }
                    else
                    {
                        writer.WriteString("pskIdentity", info.PskIdentity);
                        writer.WriteString("pskKey", Convert.ToHexStringLower(info.PskKey.Span));
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
    }

    private static string? ParseEntry(JsonElement entry, InMemorySecurityStore store)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return "an entry must be an object like {\"endpoint\":\"dev-1\",\"pskIdentity\":\"id\",\"pskKey\":\"0011…\"} or {\"endpoint\":\"dev-2\",\"certificate\":true}";
        }

        string? endpoint = null, identity = null, key = null;
        bool? certificate = null;
        foreach (JsonProperty property in entry.EnumerateObject())
        {
            switch (property.Name)
            {
                case "endpoint" when property.Value.ValueKind == JsonValueKind.String:
                    endpoint = property.Value.GetString();
                    break;
                case "pskIdentity" when property.Value.ValueKind == JsonValueKind.String:
                    identity = property.Value.GetString();
                    break;
                case "pskKey" when property.Value.ValueKind == JsonValueKind.String:
                    key = property.Value.GetString();
                    break;
                case "certificate" when property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    certificate = property.Value.GetBoolean();
                    break;
                case "endpoint" or "pskIdentity" or "pskKey":
                    return $"\"{property.Name}\" must be a string";
                case "certificate":
                    return "\"certificate\" must be true or false";
                default:
                    return $"unknown property \"{property.Name}\" (expected endpoint, pskIdentity, pskKey or certificate)";
            }
        }

        if (string.IsNullOrEmpty(endpoint))
        {
            return "\"endpoint\" is missing or empty";
        }

        if (store.GetByEndpoint(endpoint) is not null)
        {
            return $"endpoint '{endpoint}' appears twice in this section";
        }

        bool psk = identity is not null || key is not null;
        if (psk == (certificate == true))
        {
            return "give either \"pskIdentity\" and \"pskKey\", or \"certificate\": true";
        }

        SecurityInfo info;
        if (psk)
        {
            if (string.IsNullOrEmpty(identity) || string.IsNullOrEmpty(key))
            {
                return "a PSK entry needs both a non-empty \"pskIdentity\" and a non-empty \"pskKey\"";
            }

            if (!PskOption.TryParseHex(key, out byte[]? bytes))
            {
                return $"\"pskKey\" '{key}' is not hexadecimal with an even number of digits";
            }

            info = SecurityInfo.ForPsk(endpoint, identity, bytes!);
        }
        else
        {
            info = SecurityInfo.ForCertificate(endpoint);
        }

        return store.TryPut(info, out string? conflict) ? null : conflict;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>Delegates to the store and saves the file after each change that took effect.</summary>
    private sealed class SavingStore(ISecurityStore inner, SecurityFile file) : ISecurityStore
    {
        public SecurityInfo? GetByEndpoint(string endpoint) => inner.GetByEndpoint(endpoint);

        public SecurityInfo? GetByPskIdentity(string identity) => inner.GetByPskIdentity(identity);

        public IReadOnlyList<SecurityInfo> GetAll() => inner.GetAll();

        public bool TryPut(SecurityInfo info, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? conflict)
        {
            if (!inner.TryPut(info, out conflict))
            {
                return false;
            }

            file.Save();
            return true;
        }

        public bool Remove(string endpoint)
        {
            if (!inner.Remove(endpoint))
            {
                return false;
            }

            file.Save();
            return true;
        }
    }
}
