using System.Text.Json.Serialization;
using Tern.Lwm2m.Server.Security;

namespace Tern.Lwm2m.Server.Rest.Json;

/// <summary>
/// A security entry as JSON: <c>{"pskIdentity":"…","pskKey":"hex"}</c> for a pre-shared key, or
/// <c>{"certificate":true}</c> for a client certificate whose CN is the endpoint name. Responses never carry the key.
/// </summary>
public sealed class SecurityDto
{
    /// <summary>The endpoint (set in responses; ignored in requests, where the URL names it).</summary>
    [JsonPropertyName("endpoint")]
    public string? Endpoint { get; set; }

    /// <summary>The PSK identity.</summary>
    [JsonPropertyName("pskIdentity")]
    public string? PskIdentity { get; set; }

    /// <summary>The pre-shared key in hexadecimal (requests only).</summary>
    [JsonPropertyName("pskKey")]
    public string? PskKey { get; set; }

    /// <summary>True for certificate authentication.</summary>
    [JsonPropertyName("certificate")]
    public bool? Certificate { get; set; }

    /// <summary>The response form of <paramref name="info"/>, without the key.</summary>
    public static SecurityDto From(SecurityInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new SecurityDto { Endpoint = info.Endpoint, PskIdentity = info.PskIdentity, Certificate = info.UsesCertificate ? true : null };
    }

    /// <summary>Builds the entry of <paramref name="endpoint"/>, or says what is wrong with the request.</summary>
    public bool TryToSecurityInfo(string endpoint, out SecurityInfo? info, out string error)
    {
        info = null;
        bool psk = PskIdentity is not null || PskKey is not null;
        if (psk == (Certificate == true))
        {
            error = "Give either pskIdentity and pskKey, or \"certificate\": true.";
            return false;
        }

        if (!psk)
        {
            info = SecurityInfo.ForCertificate(endpoint);
            error = "";
            return true;
        }

        if (string.IsNullOrEmpty(PskIdentity) || string.IsNullOrEmpty(PskKey))
        {
            error = "PSK needs both a non-empty pskIdentity and a non-empty pskKey.";
            return false;
        }

        byte[] key;
        try
        {
            key = Convert.FromHexString(PskKey);
        }
        catch (FormatException)
        {
            error = $"pskKey must be hexadecimal with an even number of digits, e.g. 000102030405060708090a0b0c0d0e0f.";
            return false;
        }

        info = SecurityInfo.ForPsk(endpoint, PskIdentity, key);
        error = "";
        return true;
    }
}
