using System.CommandLine;
using Tern.Lwm2m.Server.Security;

namespace Tern.Cli.Commands;

/// <summary><c>--psk ENDPOINT:IDENTITY:HEXKEY</c> (repeatable) of <c>tern server</c>.</summary>
internal static class PskOption
{
    public static Option<string[]> Create(string name = "--psk", string description = "A DTLS pre-shared key for one endpoint, as ENDPOINT:IDENTITY:HEXKEY (repeatable)")
    {
        var option = new Option<string[]>(name)
        {
            Description = description,
            AllowMultipleArgumentsPerToken = false,
            Arity = ArgumentArity.ZeroOrMore,
        };
        option.Validators.Add(result =>
        {
            var store = new InMemorySecurityStore();
            foreach (string value in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!TryParse(value, out SecurityInfo? info, out string error))
                {
                    result.AddError(error.Replace("--psk", name, StringComparison.Ordinal));
                }
                else if (!store.TryPut(info!, out string? conflict))
                {
                    result.AddError($"{name} {value}: {conflict}");
                }
            }
        });
        return option;
    }

    /// <summary>Parses ENDPOINT:IDENTITY:HEXKEY; the identity may not contain ':', the endpoint neither.</summary>
    public static bool TryParse(string value, out SecurityInfo? info, out string error)
    {
        info = null;
        string[] parts = value.Split(':');
        if (parts.Length != 3 || parts.Any(string.IsNullOrEmpty))
        {
            error = $"--psk '{value}' must be ENDPOINT:IDENTITY:HEXKEY, e.g. my-device:my-identity:000102030405060708090a0b0c0d0e0f";
            return false;
        }

        if (!TryParseHex(parts[2], out byte[]? key))
        {
            error = $"--psk '{value}': the key '{parts[2]}' is not hexadecimal with an even number of digits";
            return false;
        }

        info = SecurityInfo.ForPsk(parts[0], parts[1], key!);
        error = "";
        return true;
    }

    /// <summary>Hex to bytes; false for odd lengths, non-hex digits or nothing.</summary>
    public static bool TryParseHex(string hex, out byte[]? bytes)
    {
        bytes = null;
        if (hex.Length == 0 || hex.Length % 2 != 0)
        {
            return false;
        }

        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>An in-memory store holding every (already validated) <c>--psk</c> value.</summary>
    public static InMemorySecurityStore ToStore(IEnumerable<string> values)
    {
        var store = new InMemorySecurityStore();
        foreach (string value in values)
        {
            if (TryParse(value, out SecurityInfo? info, out _))
            {
                store.TryPut(info!, out _);
            }
        }

        return store;
    }
}
