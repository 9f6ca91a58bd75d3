namespace WaterMeter;

/// <summary>
/// The sample's command line. No arguments: the scripted scenario on an embedded server (the default chart file).
/// <c>--server URI</c>: a real meter against that server until Ctrl-C. Bad input gives an error, never an exception.
/// </summary>
/// <param name="ServerUri">The server to run against, or null for the scripted scenario.</param>
/// <param name="Endpoint">The endpoint name.</param>
/// <param name="Bootstrap">True when <paramref name="ServerUri"/> is a bootstrap server.</param>
/// <param name="ChartPath">Where the message sequence chart goes, or null for none.</param>
/// <param name="Help">True when usage was asked for.</param>
public sealed record MeterArguments(string? ServerUri, string Endpoint, bool Bootstrap, string? ChartPath, bool Help)
{
    /// <summary>The chart file of the scripted scenario unless <c>--msc</c> names another.</summary>
    public const string DefaultChartPath = "water-meter-msc.md";

    /// <summary>The endpoint name unless <c>--endpoint</c> names another.</summary>
    public const string DefaultEndpoint = "tern-water-meter";

    /// <summary>How to call the sample.</summary>
    public const string Usage =
        """
        usage: WaterMeter [--msc FILE]
                 runs the scripted scenario (bootstrap, register, read, observe, send, leak, de-register) on an
                 embedded Tern bootstrap server and LwM2M server over loopback UDP, and writes its message sequence
                 chart to FILE (default water-meter-msc.md)
               WaterMeter --server coap://HOST[:PORT] [--endpoint NAME] [--bootstrap] [--msc FILE]
                 runs the meter against that LwM2M server (or bootstrap server) until Ctrl-C, then de-registers
        """;

    /// <summary>True for the scripted scenario, false for a real run against <see cref="ServerUri"/>.</summary>
    public bool IsScenario => ServerUri is null;

    /// <summary>Reads the command line; returns the arguments or one line saying what is wrong.</summary>
    public static (MeterArguments? Arguments, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? server = null, endpoint = null, chart = null;
        bool bootstrap = false, help = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "--server" or "--endpoint" or "--msc" or "--bootstrap" && !seen.Add(arg))
            {
                return (null, $"{arg} is given twice");
            }

            switch (arg)
            {
                case "-h" or "--help":
                    help = true;
                    break;
                case "--bootstrap":
                    bootstrap = true;
                    break;
                case "--server" or "--endpoint" or "--msc":
                    if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        return (null, $"{arg} needs a value");
                    }

                    string value = args[++i];
                    if (arg == "--server")
                    {
                        server = value;
                    }
                    else if (arg == "--endpoint")
                    {
                        endpoint = value;
                    }
                    else
                    {
                        chart = value;
                    }

                    break;
                default:
                    return (null, $"unknown argument '{arg}'");
            }
        }

        if (help)
        {
            return (new MeterArguments(null, DefaultEndpoint, false, null, true), null);
        }

        if (server is null && (endpoint is not null || bootstrap))
        {
            return (null, "--endpoint and --bootstrap go with --server");
        }

        if (server is not null && (!Uri.TryCreate(server, UriKind.Absolute, out Uri? uri) || uri.Scheme != "coap" || uri.Host.Length == 0))
        {
            return (null, $"--server '{server}' is not a coap:// URI, e.g. coap://leshan.eclipseprojects.io:5683 (the sample has no DTLS credentials)");
        }

        if (endpoint is not null && string.IsNullOrWhiteSpace(endpoint))
        {
            return (null, "--endpoint must not be empty");
        }

        if (chart is not null && (string.IsNullOrWhiteSpace(chart) || chart.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
        {
            return (null, $"--msc '{chart}' is not a file name");
        }

        return (new MeterArguments(server, endpoint ?? DefaultEndpoint, bootstrap, server is null ? chart ?? DefaultChartPath : chart, false), null);
    }
}
