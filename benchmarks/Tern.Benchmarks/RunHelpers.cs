using System.Globalization;

namespace Tern.Benchmarks;

/// <summary>The "--name value" arguments of the figure-printing modes.</summary>
internal static class RunArguments
{
    /// <summary>The number after <paramref name="name"/>, or <paramref name="fallback"/> when the option is absent.</summary>
    public static double Option(string[] args, string name, double fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}

/// <summary>Summaries of the rounds the figure-printing modes time.</summary>
internal static class RunFigures
{
    /// <summary>The median (mean of the middle two for an even count); 0 for no values.</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
