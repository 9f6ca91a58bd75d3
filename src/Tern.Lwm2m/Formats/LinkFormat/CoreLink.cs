using System.Globalization;

namespace Tern.Lwm2m.Formats.LinkFormat;

/// <summary>One link parameter: <c>ct=110</c>, <c>rt="oma.lwm2m"</c>, or a bare name like <c>obs</c>.</summary>
/// <param name="Name">The parameter name (parmname).</param>
/// <param name="Value">The unescaped value, or null for a parameter without a value.</param>
/// <param name="Quoted">True when the value was (or is to be) written as a quoted string.</param>
public sealed record CoreLinkParameter(string Name, string? Value, bool Quoted = false);

/// <summary>One link of an RFC 6690 link-format payload: the target between angle brackets and its parameters.</summary>
/// <param name="Target">The URI reference, e.g. <c>/3/0</c>.</param>
/// <param name="Parameters">The parameters in payload order.</param>
public sealed record CoreLink(string Target, IReadOnlyList<CoreLinkParameter> Parameters)
{
    /// <summary>A link without parameters.</summary>
    public CoreLink(string target)
        : this(target, [])
    {
    }

    /// <summary>The value of the first parameter called <paramref name="name"/>, or null (also for a bare parameter).</summary>
    public string? this[string name] => Find(name)?.Value;

    /// <summary>True when a parameter called <paramref name="name"/> is present, with or without a value.</summary>
    public bool Has(string name) => Find(name) is not null;

    /// <summary>The content formats of the <c>ct</c> parameter (<c>ct=110</c> or <c>ct="60 110"</c>); empty when absent or not numbers.</summary>
    public IReadOnlyList<ushort> ContentFormats
    {
        get
        {
            if (this["ct"] is not { } ct)
            {
                return [];
            }

            var formats = new List<ushort>();
            foreach (string part in ct.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!ushort.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out ushort format))
                {
                    return [];
                }

                formats.Add(format);
            }

            return formats;
        }
    }

    private CoreLinkParameter? Find(string name)
    {
        for (int k = 0; k < Parameters.Count; k++)
        {
            if (string.Equals(Parameters[k].Name, name, StringComparison.Ordinal))
            {
                return Parameters[k];
            }
        }

        return null;
    }

    /// <inheritdoc />
    public bool Equals(CoreLink? other) =>
        other is not null && string.Equals(Target, other.Target, StringComparison.Ordinal) && Parameters.SequenceEqual(other.Parameters);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Target), Parameters.Count);

    /// <summary>The link in link format, e.g. <c>&lt;/3/0&gt;;ver=1.1</c>.</summary>
    public override string ToString() => CoreLinkFormat.Format([this]);
}

/// <summary>Bounds on what the link-format parser accepts, so any input costs bounded memory.</summary>
/// <param name="MaxLinks">The most links in one payload.</param>
/// <param name="MaxParametersPerLink">The most parameters on one link.</param>
public sealed record CoreLinkLimits(int MaxLinks = 4096, int MaxParametersPerLink = 32)
{
    /// <summary>The default limits.</summary>
    public static CoreLinkLimits Default { get; } = new();
}
