using System.Globalization;
using Tern.Coap.Messages;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Registrations;

/// <summary>The parameters of a Register or Update request, parsed and checked; absent fields stay null.</summary>
internal sealed record RegistrationRequest
{
    public string? Endpoint { get; init; }

    public string? Lwm2mVersion { get; init; }

    public TimeSpan? Lifetime { get; init; }

    public string? Binding { get; init; }

    public bool QueueMode { get; init; }

    public string? SmsNumber { get; init; }

    /// <summary>The parsed payload, or null when the request carried none.</summary>
    public RegistrationLinks? Links { get; init; }
}

/// <summary>What the registration payload says: root path, advertised formats, object links and versions.</summary>
internal sealed record RegistrationLinks(string RootPath, IReadOnlyList<ushort> ContentFormats, IReadOnlyList<CoreLink> ObjectLinks, IReadOnlyDictionary<int, string> ObjectVersions);

/// <summary>Why a registration request was refused: the CoAP code to answer and a diagnostic payload.</summary>
internal sealed record RegistrationError(CoapCode Code, string Message);

/// <summary>Parses Register/Update query parameters and link-format payloads. Bad input yields a <see cref="RegistrationError"/>, never an exception.</summary>
internal static class RegistrationRequestParser
{
    /// <summary>The LwM2M versions Tern serves.</summary>
    public static readonly IReadOnlyList<string> SupportedVersions = ["1.0", "1.1", "1.2"];

    private const int MaxEndpointLength = 255;
    private const string BindingLetters = "USQNT";

    public static (RegistrationRequest? Request, RegistrationError? Error) Parse(IEnumerable<string> queries, ReadOnlySpan<byte> payload, ushort? contentFormat, bool isRegister)
    {
        var request = new RegistrationRequest();
        foreach (string query in queries)
        {
            int eq = query.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? query : query[..eq];
            string? value = eq < 0 ? null : query[(eq + 1)..];
            switch (name)
            {
                case "ep" when isRegister:
                    if (string.IsNullOrEmpty(value) || value.Length > MaxEndpointLength)
                    {
                        return Fail(CoapCode.BadRequest, $"The endpoint name 'ep' must have 1 to {MaxEndpointLength} characters.");
                    }

                    request = request with { Endpoint = value };
                    break;
                case "lt":
                    if (!uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint seconds) || seconds == 0)
                    {
                        return Fail(CoapCode.BadRequest, $"The lifetime 'lt' must be a positive number of seconds, not '{value}'.");
                    }

                    request = request with { Lifetime = TimeSpan.FromSeconds(seconds) };
                    break;
                case "lwm2m" when isRegister:
                    if (ParseVersion(value) is { } versionError)
                    {
                        return (null, versionError);
                    }

                    request = request with { Lwm2mVersion = value };
                    break;
                case "b":
                    if (string.IsNullOrEmpty(value) || value.Any(c => !BindingLetters.Contains(c, StringComparison.Ordinal)))
                    {
                        return Fail(CoapCode.BadRequest, $"The binding 'b' must be made of the letters {BindingLetters}, not '{value}'.");
                    }

                    request = request with { Binding = value };
                    break;
                case "Q":
                    if (value is not null)
                    {
                        return Fail(CoapCode.BadRequest, "The queue-mode parameter 'Q' takes no value.");
                    }

                    request = request with { QueueMode = true };
                    break;
                case "sms":
                    request = request with { SmsNumber = value };
                    break;
                default:
                    // Unknown parameters (and ep/lwm2m in an Update) are ignored, as other servers do.
                    break;
            }
        }

        if (isRegister && request.Endpoint is null)
        {
            return Fail(CoapCode.BadRequest, "Register needs the endpoint name parameter 'ep'.");
        }

        if (payload.IsEmpty)
        {
            return (request, null);
        }

        if (contentFormat is { } format && format != Formats.Lwm2mContentFormat.LinkFormat)
        {
            return Fail(CoapCode.BadRequest, $"The registration payload must be link format (40), not content format {format}.");
        }

        (RegistrationLinks? links, RegistrationError? linkError) = ParseLinks(payload);
        return linkError is null ? (request with { Links = links }, null) : (null, linkError);
    }

    private static RegistrationError? ParseVersion(string? value)
    {
        if (value is not null && SupportedVersions.Contains(value, StringComparer.Ordinal))
        {
            return null;
        }

        string[] parts = value?.Split('.') ?? [];
        bool wellFormed = parts.Length == 2 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
        return wellFormed
            ? new RegistrationError(CoapCode.PreconditionFailed, $"LwM2M version {value} is not supported; this server speaks {string.Join(", ", SupportedVersions)}.")
            : new RegistrationError(CoapCode.BadRequest, $"The LwM2M version 'lwm2m' must look like 1.1, not '{value}'.");
    }

    private static (RegistrationLinks?, RegistrationError?) ParseLinks(ReadOnlySpan<byte> payload)
    {
        var parsed = CoreLinkFormat.Parse(payload);
        if (!parsed.IsSuccess)
        {
            return (null, new RegistrationError(CoapCode.BadRequest, $"The registration payload is not valid link format: {parsed.Error}"));
        }

        IReadOnlyList<CoreLink> all = parsed.Value!;
        string root = "";
        IReadOnlyList<ushort> formats = [];
        foreach (CoreLink link in all)
        {
            if (string.Equals(link["rt"], "oma.lwm2m", StringComparison.Ordinal))
            {
                root = link.Target.TrimEnd('/');
                formats = link.ContentFormats;
                if (link.Has("ct") && formats.Count == 0)
                {
                    return (null, new RegistrationError(CoapCode.BadRequest, $"The content formats 'ct' of {link.Target} must be numbers: '{link["ct"]}'."));
                }
            }
        }

        var objects = new List<CoreLink>();
        var versions = new Dictionary<int, string>();
        foreach (CoreLink link in all)
        {
            if (string.Equals(link["rt"], "oma.lwm2m", StringComparison.Ordinal))
            {
                continue;
            }

            string target = link.Target;
            if (root.Length > 0)
            {
                if (!target.StartsWith(root + "/", StringComparison.Ordinal))
                {
                    return (null, new RegistrationError(CoapCode.BadRequest, $"The link {target} is outside the root path {root}."));
                }

                target = target[root.Length..];
            }

            if (!Lwm2mPath.TryParse(target, out Lwm2mPath path) || path.Level is not (Lwm2mPathLevel.Object or Lwm2mPathLevel.ObjectInstance))
            {
                return (null, new RegistrationError(CoapCode.BadRequest, $"The link {link.Target} does not name an object or object instance."));
            }

            objects.Add(link with { Target = path.ToString() });
            if (link["ver"] is { } version && path.Level == Lwm2mPathLevel.Object)
            {
                versions[path.ObjectId!.Value] = version;
            }
        }

        return (new RegistrationLinks(root, formats, objects, versions), null);
    }

    private static (RegistrationRequest?, RegistrationError?) Fail(CoapCode code, string message) => (null, new RegistrationError(code, message));
}
