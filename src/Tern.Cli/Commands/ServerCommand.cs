using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tern.Coap.Diagnostics;
using Tern.Lwm2m.Server;
using Tern.Lwm2m.Server.Diagnostics;
using Tern.Lwm2m.Server.Firmware;
using Tern.Lwm2m.Server.Registrations;
using Tern.Lwm2m.Server.Rest;

namespace Tern.Cli.Commands;

/// <summary><c>tern server</c>: runs the LwM2M server and its REST API until Ctrl-C or <c>quit</c>.</summary>
internal static partial class ServerCommand
{
    public static Command Create()
    {
        var coapPort = PortOption("--coap-port", "UDP port of the LwM2M server", TernServerHostOptions.DefaultCoapPort);
        var bootstrapPort = PortOption("--bootstrap-port", "UDP port of the bootstrap server", TernServerHostOptions.DefaultBootstrapPort);
        var httpPort = PortOption("--http-port", "TCP port of the REST API", TernServerHostOptions.DefaultHttpPort);
        var coapsPort = PortOption("--coaps-port", "UDP port of the LwM2M server's DTLS (PSK) listener", TernServerHostOptions.DefaultCoapsPort);
        var psk = PskOption.Create();
        var bootstrapCoapsPort = PortOption("--bootstrap-coaps-port", "UDP port of the bootstrap server's DTLS listener", TernServerHostOptions.DefaultBootstrapCoapsPort);
        var bootstrapPsk = PskOption.Create("--bootstrap-psk", "A pre-shared key one endpoint bootstraps with over DTLS, as ENDPOINT:IDENTITY:HEXKEY (repeatable)");
        var securityFile = SecurityFileOption();
        var dtlsIdle = DtlsIdleTimeoutOption();
        var bind = new Option<string>("--bind")
        {
            Description = "Address to listen on (both CoAP and HTTP)",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        bind.Validators.Add(result =>
        {
            if (!IPAddress.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError($"--bind '{result.GetValueOrDefault<string>()}' is not an IP address, e.g. 127.0.0.1 or ::");
            }
        });

        var msc = new Option<FileInfo?>("--msc") { Description = "Record the CoAP messages and write them as a Mermaid sequence chart to FILE when the server stops" };

        var firmware = new Option<string[]>("--firmware")
        {
            Description = "Update ENDPOINT with FILE once it registers: ENDPOINT=FILE[:push|pull] (pull, the default, serves FILE at coap://SERVER/fw/ID); repeatable. Other updates: POST /api/clients/ENDPOINT/firmware",
        };
        firmware.Validators.Add(result =>
        {
            foreach (string value in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (ParseFirmware(value, out _) is { } error)
                {
                    result.AddError(error);
                }
            }
        });

        var certificate = CertificateOption();
        var key = KeyOption();
        var clientCa = ClientCaOption();
        var certificateEndpoint = CertificateEndpointOption();

        var command = new Command("server", "Run the LwM2M server with its REST API (Ctrl-C or 'quit' stops it)") { coapPort, bootstrapPort, httpPort, bind, coapsPort, psk, msc, firmware };
        command.Options.Add(bootstrapCoapsPort);
        command.Options.Add(bootstrapPsk);
        command.Options.Add(securityFile);
        command.Options.Add(dtlsIdle);
        command.Options.Add(certificate);
        command.Options.Add(key);
        command.Options.Add(clientCa);
        command.Options.Add(certificateEndpoint);
        command.Validators.Add(result => ValidateCertificateOptions(result, certificate, key, clientCa, certificateEndpoint));
        command.SetAction((parse, cancellationToken) => TryPrepare(parse, Console.Error, out Prepared? run)
            ? RunAsync(run!.Options, Console.In, Console.Out, cancellationToken, run.Recorder, run.MscPath, run.Firmware, run.SecurityFile)
            : Task.FromResult(ExitBadSecurity));
        return command;
    }

    /// <summary>What a parsed <c>tern server</c> command line runs: the host's options and the extras of <see cref="RunAsync"/>.</summary>
    internal sealed record Prepared(TernServerHostOptions Options, CoapMessageRecorder? Recorder, string? MscPath, IReadOnlyList<FirmwarePlan> Firmware, SecurityFile? SecurityFile);

    /// <summary>
    /// Turns a parsed (valid) <c>tern server</c> command line into what <see cref="RunAsync"/> needs, reading the security
    /// file and the certificate files. False, after one line on <paramref name="error"/>, when one of them is unusable.
    /// </summary>
    internal static bool TryPrepare(ParseResult parse, TextWriter error, out Prepared? prepared)
    {
        ArgumentNullException.ThrowIfNull(parse);
        prepared = null;
        if (!TryLoadSecurity(parse.GetValue<FileInfo?>("--security-file")?.FullName, parse.GetValue<string[]>("--psk") ?? [], parse.GetValue<string[]>("--bootstrap-psk") ?? [],
                error, out SecurityStores stores)
            || !TryLoadCertificates(parse.GetValue<FileInfo?>("--cert")?.FullName, parse.GetValue<FileInfo?>("--key")?.FullName,
                [.. (parse.GetValue<FileInfo[]>("--client-ca") ?? []).Select(f => f.FullName)], parse.GetValue<string[]>("--cert-endpoint") ?? [],
                stores.Server, error, out ServerCertificates? certificates))
        {
            return false;
        }

        FileInfo? msc = parse.GetValue<FileInfo?>("--msc");
        CoapMessageRecorder? recorder = msc is null ? null : new CoapMessageRecorder();
        var options = new TernServerHostOptions
        {
            Bind = IPAddress.Parse(parse.GetValue<string>("--bind")!),
            CoapPort = parse.GetValue<int>("--coap-port"),
            BootstrapPort = parse.GetValue<int>("--bootstrap-port"),
            HttpPort = parse.GetValue<int>("--http-port"),
            CoapsPort = parse.GetValue<int>("--coaps-port"),
            Security = stores.Server,
            BootstrapCoapsPort = parse.GetValue<int>("--bootstrap-coaps-port"),
            BootstrapSecurity = stores.Bootstrap,
            DtlsIdleTimeout = parse.GetValue<int>("--dtls-idle-timeout") is > 0 and var idle ? TimeSpan.FromSeconds(idle) : null,
            WrapTransport = recorder is null ? null : recorder.Wrap,
            Certificate = certificates?.Credentials,
            TrustedClientCertificates = certificates?.ClientCas ?? [],
            // With a server certificate, a CA-issued certificate alone does not admit an endpoint: it must be listed.
            Server = certificates is null ? null : new Lwm2mServerOptions { RequireCertificateEntry = true },
        };
        FirmwarePlan[] firmware = [.. (parse.GetValue<string[]>("--firmware") ?? []).Select(v => { ParseFirmware(v, out FirmwarePlan plan); return plan; })];
        prepared = new Prepared(options, recorder, msc?.FullName, firmware, stores.File);
        return true;
    }

    /// <summary>
    /// Runs the host until <paramref name="cancellationToken"/> fires or <paramref name="input"/> says <c>quit</c>; then,
    /// with <paramref name="mscPath"/>, writes what <paramref name="recorder"/> (wrapped into the options' transports) saw.
    /// </summary>
    internal static async Task<int> RunAsync(TernServerHostOptions options, TextReader input, TextWriter output, CancellationToken cancellationToken,
        CoapMessageRecorder? recorder = null, string? mscPath = null, IReadOnlyList<FirmwarePlan>? firmware = null, SecurityFile? securityFile = null)
    {
        TernServerHost host;
        try
        {
            host = await TernServerHost.StartAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            await Console.Error.WriteLineAsync($"tern server: cannot listen: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (host.ConfigureAwait(false))
        {
            Lwm2mServer server = host.Server;
            var gate = new Lock();
            void Line(string text)
            {
                lock (gate)
                {
                    output.WriteLine($"{DateTimeOffset.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {text}");
                }
            }

            server.Registered += (_, e) => Line($"registered    {Describe(e.Registration)}");
            server.Updated += (_, e) => Line($"updated       {Describe(e.Registration)}");
            server.Deregistered += (_, e) => Line($"deregistered  {e.Registration.Endpoint}");
            server.Expired += (_, e) => Line($"expired       {e.Registration.Endpoint}");
            if (host.Transport.Dtls is { } dtls)
            {
                dtls.HandshakeFailed += (_, e) => Line($"dtls-refused  {e.Peer} {e.Error.Kind}: {e.Error.Message}");
            }

            WatchFirmware(server, firmware ?? [], Line);
            WatchBootstrapSecurity(host, securityFile, Line);
            WatchProvisioning(host, Line);

            host.Bootstrap.SessionEnded += (_, e) => Line($"bootstrap     {e.Endpoint} {(e.Success ? "finished" : "failed: " + e.Failure)}");

            Line($"LwM2M server on coap://{Format(host.CoapEndPoint)}, bootstrap server on coap://{Format(host.BootstrapEndPoint)}, REST API on {host.HttpAddress}api/clients");
            if (host.CoapsEndPoint is { } coaps)
            {
                IReadOnlyList<Tern.Lwm2m.Server.Security.SecurityInfo> entries = host.Security.GetAll();
                int certificates = entries.Count(e => e.UsesCertificate);
                Line($"DTLS on coaps://{Format(coaps)} with {entries.Count - certificates} PSK entries and {certificates} certificate entries (add more with PUT {host.HttpAddress}api/security/ENDPOINT)");
            }

            AnnounceBootstrapDtls(host, securityFile, Line);
            AnnounceCertificates(host, options, Line);
            Line("Ctrl-C or 'quit' stops the server.");

            using var quit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _ = Task.Run(() => WatchForQuitAsync(input, quit), CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, quit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or quit: fall through to a clean shutdown.
            }

            Line("stopping");
        }

        return recorder is null || mscPath is null ? 0 : await WriteChartAsync(recorder, mscPath, output).ConfigureAwait(false);
    }

    // After the host is disposed, so the chart holds every message up to the last.
    private static async Task<int> WriteChartAsync(CoapMessageRecorder recorder, string path, TextWriter output)
    {
        try
        {
            await Lwm2mSequenceChart.WriteFileAsync(path, recorder, showTime: true, title: "tern server").ConfigureAwait(false);
            await output.WriteLineAsync($"message sequence chart written to {path}").ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"tern server: cannot write the chart: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task WatchForQuitAsync(TextReader input, CancellationTokenSource quit)
    {
        try
        {
            string? line;
            while ((line = await input.ReadLineAsync(quit.Token).ConfigureAwait(false)) is not null)
            {
                if (string.Equals(line.Trim(), "quit", StringComparison.OrdinalIgnoreCase))
                {
                    await quit.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
            // End of input (e.g. stdin is /dev/null): keep running until Ctrl-C.
        }
        catch (OperationCanceledException)
        {
            // Stopped by Ctrl-C.
        }
        catch (ObjectDisposedException)
        {
            // The server already stopped.
        }
    }

    /// <summary>An update <c>--firmware</c> asked for: <see cref="File"/> goes to <see cref="Endpoint"/> when it registers.</summary>
    internal sealed record FirmwarePlan(string Endpoint, string File, FirmwareDelivery Delivery);

    /// <summary>Parses <c>ENDPOINT=FILE[:push|pull]</c>; null when valid, else the error to show.</summary>
    internal static string? ParseFirmware(string value, out FirmwarePlan plan)
    {
        plan = new FirmwarePlan("", "", FirmwareDelivery.Pull);
        int equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == value.Length - 1)
        {
            return $"--firmware '{value}' is not ENDPOINT=FILE[:push|pull]";
        }

        string file = value[(equals + 1)..];
        FirmwareDelivery delivery = FirmwareDelivery.Pull;
        foreach ((string suffix, FirmwareDelivery method) in new[] { (":push", FirmwareDelivery.Push), (":pull", FirmwareDelivery.Pull) })
        {
            if (file.EndsWith(suffix, StringComparison.Ordinal))
            {
                (file, delivery) = (file[..^suffix.Length], method);
            }
        }

        FileInfo info = new(file);
        if (!info.Exists || info.Length == 0)
        {
            return $"--firmware '{value}': '{file}' is {(info.Exists ? "empty" : "not a file")}";
        }

        plan = new FirmwarePlan(value[..equals], info.FullName, delivery);
        return null;
    }

    /// <summary>Prints firmware events, and starts each planned update the first time its endpoint registers.</summary>
    private static void WatchFirmware(Lwm2mServer server, IReadOnlyList<FirmwarePlan> plans, Action<string> line)
    {
        server.Firmware.Changed += (_, e) => line($"firmware      {e.Endpoint} {e switch
        {
            FotaFailed f => $"failed: {f.Reason}",
            FotaSucceeded s => $"succeeded, firmware version {s.FirmwareVersion ?? "unknown"}",
            FotaStarted s => $"started ({s.Delivery.ToString().ToLowerInvariant()}, {s.ImageBytes} bytes{(s.PackageUri is { } u ? " from " + u : "")})",
            _ => e.GetType().Name.Replace("Fota", "", StringComparison.Ordinal).ToLowerInvariant(),
        }}");
        var pending = new System.Collections.Concurrent.ConcurrentDictionary<string, FirmwarePlan>(plans.Select(p => KeyValuePair.Create(p.Endpoint, p)), StringComparer.Ordinal);
        server.Registered += (_, e) =>
        {
            if (pending.TryRemove(e.Registration.Endpoint, out FirmwarePlan? plan))
            {
                _ = Task.Run(async () =>
                {
                    try
                    {
                        byte[] image = await File.ReadAllBytesAsync(plan.File).ConfigureAwait(false);
                        FirmwareUpdateOutcome outcome = await server.Firmware.StartAsync(plan.Endpoint, new FirmwareUpdateRequest(image, plan.Delivery)).ConfigureAwait(false);
                        if (!outcome.IsSuccess)
                        {
                            line($"firmware      {plan.Endpoint} refused: {outcome.Message}");
                        }
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        line($"firmware      {plan.Endpoint} cannot read {plan.File}: {ex.Message}");
                    }
                });
            }
        };
    }

    private static string Describe(Registration r) =>
        $"{r.Endpoint} lwm2m={r.Lwm2mVersion} lt={(long)r.Lifetime.TotalSeconds} b={r.Binding}{(r.QueueMode ? " queue" : "")} from {r.Peer}";

    private static string Format(IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : endPoint.ToString();

    private static Option<int> PortOption(string name, string description, int defaultPort)
    {
        var option = new Option<int>(name) { Description = $"{description} (0 picks a free port)", DefaultValueFactory = _ => defaultPort };
        option.Validators.Add(result =>
        {
            int port = result.GetValueOrDefault<int>();
            if (port is < 0 or > 65535)
            {
                result.AddError($"{name} {port} is outside 0 to 65535");
            }
        });
        return option;
    }
}
