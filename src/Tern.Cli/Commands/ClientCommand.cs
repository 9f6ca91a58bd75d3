using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using Tern.Cli.Commands.Shell;
using Tern.Coap.Diagnostics;
using Tern.Coap.Dtls;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Cli.Commands;

/// <summary>
/// <c>tern client</c>: runs the LwM2M client engine against a server, prints its events one per line, and reads
/// shell commands on standard input (see <see cref="ShellParser"/>). Exit codes: see the constants.
/// </summary>
internal static partial class ClientCommand
{
    /// <summary>Stopped by <c>quit</c> or Ctrl-C (after de-registering, or trying to).</summary>
    public const int ExitOk = 0;

    /// <summary>A socket could not be opened (or the server name not resolved).</summary>
    public const int ExitCannotConnect = 1;

    /// <summary>The options or the saved state make no usable configuration.</summary>
    public const int ExitBadConfiguration = 2;

    /// <summary>The client entered Failure (for example, registration refused for good).</summary>
    public const int ExitClientFailed = 3;

    private static readonly TimeSpan DeregisterBound = TimeSpan.FromSeconds(20);

    public static Command Create(Func<TextReader>? standardInput = null)
    {
        var server = new Option<string>("--server") { Description = "The LwM2M server URI, coap://HOST[:PORT] or coaps://HOST[:PORT] (with --psk-* or --cert ...)", Required = true };
        server.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("coap" or "coaps"))
            {
                result.AddError($"--server '{value}' is not a coap:// or coaps:// URI, e.g. coap://127.0.0.1:5683");
            }
        });
        var endpoint = new Option<string>("--endpoint") { Description = "The endpoint client name to register with", Required = true };
        endpoint.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
            {
                result.AddError("--endpoint must not be empty");
            }
        });
        var bootstrap = new Option<bool>("--bootstrap") { Description = "--server is a bootstrap server: bootstrap first" };
        var stateDir = new Option<string?>("--state-dir") { Description = "Directory of saved state (written after a bootstrap; used instead of the options when present) and of firmware packages (a temporary one when not given)" };
        var pskIdentity = new Option<string?>("--psk-identity") { Description = "DTLS PSK identity (needs --psk-key and a coaps:// server)" };
        var pskKey = new Option<string?>("--psk-key") { Description = "DTLS pre-shared key in hexadecimal" };
        pskKey.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } hex && !PskOption.TryParseHex(hex, out _))
            {
                result.AddError($"--psk-key '{hex}' is not hexadecimal with an even number of digits");
            }
        });
        var certificate = new Option<string?>("--cert") { Description = "Client certificate file, PEM or DER (certificate mode, with --key and --server-cert)" };
        var privateKey = new Option<string?>("--key") { Description = "Client private key file (EC), PEM or DER" };
        var serverCertificate = new Option<string?>("--server-cert") { Description = "The server's certificate file, PEM or DER; it is pinned" };
        var lifetime = new Option<int>("--lifetime") { Description = "Registration lifetime in seconds", DefaultValueFactory = _ => 300 };
        lifetime.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--lifetime must not be negative");
            }
        });

        var version = new Option<string?>("--lwm2m-version") { Description = "Register with exactly this LwM2M version: 1.0, 1.1 or 1.2 (default: offer 1.2, then 1.1, then 1.0)" };
        version.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && ClientOptionValues.ParseVersion(text) is null)
            {
                result.AddError($"--lwm2m-version '{text}' is not 1.0, 1.1 or 1.2");
            }
        });
        var binding = new Option<string>("--binding") { Description = "Binding: U (UDP) or UQ (UDP, queue mode)", DefaultValueFactory = _ => "U" };
        binding.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is not ("U" or "UQ"))
            {
                result.AddError($"--binding '{result.GetValueOrDefault<string>()}' is not U or UQ");
            }
        });
        var format = new Option<string?>("--format") { Description = "Preferred content format: " + ClientOptionValues.FormatNames };
        format.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && ClientOptionValues.ParseFormat(text) is null)
            {
                result.AddError($"--format '{text}' is not one of {ClientOptionValues.FormatNames}");
            }
        });

        var msc = new Option<FileInfo?>("--msc") { Description = "Record the CoAP messages and write them as a Mermaid sequence chart to FILE when the client stops" };

        var command = new Command("client",
            "Run a demo LwM2M client (Device, Connectivity Monitoring, Location, Temperature, Firmware Update); prints its events and reads "
            + "shell commands on standard input (read, write, exec, create, delete, ls, update, stop, start, ...; 'help' lists them). "
            + "Exit codes: 0 quit or Ctrl-C, 1 no socket, 2 bad options or configuration, 3 the client failed.")
        {
            server, endpoint, bootstrap, stateDir, pskIdentity, pskKey, certificate, privateKey, serverCertificate, lifetime, version, binding, format, msc,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(pskIdentity) is null) != (result.GetValue(pskKey) is null))
            {
                result.AddError("--psk-identity and --psk-key go together");
            }

            int certificateParts = new[] { result.GetValue(certificate), result.GetValue(privateKey), result.GetValue(serverCertificate) }.Count(v => v is not null);
            if (certificateParts is not (0 or 3))
            {
                result.AddError("--cert, --key and --server-cert go together");
            }

            if (certificateParts > 0 && result.GetValue(pskIdentity) is not null)
            {
                result.AddError("Choose PSK (--psk-*) or certificates (--cert ...), not both");
            }

            if (ClientOptionValues.CheckFormatVersion(result.GetValue(format), result.GetValue(version)) is { } mismatch)
            {
                result.AddError(mismatch);
            }
        });
        command.SetAction((parse, cancellationToken) => RunAsync(
            new ClientSettings(
                parse.GetValue(server)!,
                parse.GetValue(endpoint)!,
                parse.GetValue(bootstrap),
                parse.GetValue(stateDir),
                parse.GetValue(pskIdentity),
                parse.GetValue(pskKey) is { } hex ? Convert.FromHexString(hex) : null,
                TimeSpan.FromSeconds(parse.GetValue(lifetime)))
            {
                CertificateFile = parse.GetValue(certificate),
                PrivateKeyFile = parse.GetValue(privateKey),
                ServerCertificateFile = parse.GetValue(serverCertificate),
                Version = parse.GetValue(version) is { } v ? ClientOptionValues.ParseVersion(v) : null,
                Binding = parse.GetValue(binding) ?? "U",
                PreferredContentFormat = parse.GetValue(format) is { } f ? ClientOptionValues.ParseFormat(f) : null,
                MscPath = parse.GetValue(msc)?.FullName,
            },
            standardInput?.Invoke() ?? Console.In,
            Console.Out,
            cancellationToken));
        return command;
    }

    /// <summary>Runs the client until <c>quit</c>, <paramref name="cancellationToken"/> (Ctrl-C) or Failure; returns the exit code.</summary>
    internal static Task<int> RunAsync(ClientSettings settings, TextReader input, TextWriter output, CancellationToken cancellationToken) =>
        RunAsync(settings, input, output, TimeProvider.System, cancellationToken);

    /// <summary>As <see cref="RunAsync(ClientSettings, TextReader, TextWriter, CancellationToken)"/>, on the clock <paramref name="time"/> (the simulated sensor and Current Time).</summary>
    internal static async Task<int> RunAsync(ClientSettings settings, TextReader input, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        var lines = new LineWriter(output) { OnTerminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected };
        Lwm2mClientConfiguration? configuration = LoadConfiguration(settings, lines);
        if (configuration is null)
        {
            return ExitBadConfiguration;
        }

        IReadOnlyList<string> errors = configuration.Validate();
        if (errors.Count > 0)
        {
            lines.Write("tern client: invalid configuration: " + string.Join(" ", errors));
            return ExitBadConfiguration;
        }

        Lwm2mClientTransport transport;
        CoapMessageRecorder? recorder = settings.MscPath is null ? null : new CoapMessageRecorder(time);
        try
        {
            // Follows the accounts, so that credentials a bootstrap server provisions are used for the LwM2M server.
            transport = await Lwm2mClientTransport.CreateForAccountsAsync(configuration, new Lwm2mClientTransportOptions { Coap = FirmwareEndpointOptions(), WrapTransport = recorder is null ? null : recorder.Wrap }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or DtlsException)
        {
            lines.Write($"tern client: invalid configuration: {e.Message}");
            return ExitBadConfiguration;
        }
        catch (SocketException e)
        {
            lines.Write($"tern client: cannot reach {settings.ServerUri}: {e.Message}");
            return ExitCannotConnect;
        }

        int code;
        await using (transport.ConfigureAwait(false))
        {
            transport.HandshakeFailed += (_, e) => lines.Write($"dtls-failed   {e.Kind}: {e.Message}");

            var defaults = new Lwm2mClientOptions(settings.Endpoint);
            var options = new Lwm2mClientOptions(settings.Endpoint)
            {
                AllowedVersions = settings.Version is { } only ? [only] : defaults.AllowedVersions,
                PreferredContentFormat = settings.PreferredContentFormat ?? defaults.PreferredContentFormat,
            };
            using var device = new DemoDevice(settings.Endpoint, settings.Binding, time);
            // The client comes after object 5, which is part of its data model; a coaps pull asks it for the accounts it has then.
            Lwm2mClient? running = null;
            FirmwareSetup firmware = OpenFirmware(settings, device, time, lines, () => running?.DataModel?.ReadConfiguration() ?? running?.Configuration ?? configuration);
            await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable firmwareScope = firmware.ConfigureAwait(false);
            var client = new Lwm2mClient(configuration, options, transport.Endpoint, device.Store, time, resolvePeer: transport.ResolvePeerAsync);
            running = client;
            firmware.Firmware.Reboot = () =>
            {
                lines.Write("reboot        restarting the client to run the new firmware");
                return client.RestartAsync();
            };
            transport.Follow(client);
            client.ConnectionClosed += transport.CloseConnection;
            device.Device.RebootRequested += (_, _) =>
            {
                lines.Write("reboot        restarting the client");
                _ = client.RestartAsync().AsTask();
            };
            await using (client.ConfigureAwait(false))
            {
                code = await RunClientAsync(client, device.Store, settings, input, lines, cancellationToken).ConfigureAwait(false);
            }
        }

        return recorder is null ? code : await WriteChartAsync(recorder, settings, lines.Write, code).ConfigureAwait(false);
    }

    private static async Task<int> RunClientAsync(Lwm2mClient client, Lwm2mObjectStore store, ClientSettings settings, TextReader input, LineWriter lines, CancellationToken cancellationToken)
    {
        string credentials = settings.CertificateFile is not null ? " certificate " + settings.CertificateFile : settings.PskIdentity is null ? "" : " PSK identity " + settings.PskIdentity;
        lines.Write($"client {settings.Endpoint} -> {settings.ServerUri}{(settings.Bootstrap ? " (bootstrap)" : "")}{credentials}");
        lines.Write("Type 'quit' (or Ctrl-C) to de-register and stop; 'help' lists the commands.");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var pumpStop = new CancellationTokenSource();
        Task pump = PumpEventsAsync(client, lines, failed, pumpStop.Token);
        _ = Task.Run(() => ReadCommandsAsync(client, store, input, lines, stop), CancellationToken.None);

        await client.StartAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAny(failed.Task, Task.Delay(Timeout.Infinite, stop.Token)).ConfigureAwait(false);
        int code = failed.Task.IsCompleted ? ExitClientFailed : ExitOk;
        if (code == ExitOk)
        {
            lines.Write(client.State is Lwm2mClientState.RegistrationSession or Lwm2mClientState.QueueMode ? "stopping: de-registering" : "stopping");
            using var bound = new CancellationTokenSource(DeregisterBound);
            try
            {
                await client.StopAsync(deregister: true, bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                lines.Write($"de-register got no answer within {DeregisterBound.TotalSeconds:0} s; stopping anyway");
            }
        }

        await pumpStop.CancelAsync().ConfigureAwait(false);
        await pump.ConfigureAwait(false);
        while (client.Events.TryRead(out Lwm2mClientEvent? late))
        {
            lines.Write(ClientEventText.Describe(late));
        }

        await stop.CancelAsync().ConfigureAwait(false); // ends the command reader
        lines.Write($"exit {code}");
        return code;
    }

    private static async Task PumpEventsAsync(Lwm2mClient client, LineWriter lines, TaskCompletionSource failed, CancellationToken token)
    {
        try
        {
            while (await client.Events.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (client.Events.TryRead(out Lwm2mClientEvent? clientEvent))
                {
                    lines.Write(ClientEventText.Describe(clientEvent));
                    if (clientEvent is Lwm2mStateChanged { To: Lwm2mClientState.Failure })
                    {
                        failed.TrySetResult();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static Lwm2mClientConfiguration? LoadConfiguration(ClientSettings settings, LineWriter lines)
    {
        if (settings.StateDirectory is { } directory)
        {
            Lwm2mStateLoadResult saved = new Lwm2mStateStore(directory).Load();
            switch (saved.Status)
            {
                case Lwm2mStateStatus.Loaded:
                    lines.Write($"using the saved state in {directory}");
                    return saved.Configuration;
                case Lwm2mStateStatus.Corrupted:
                    lines.Write($"tern client: {saved.Error} Remove or repair it to start from the options.");
                    return null;
            }
        }

        try
        {
            return settings.ToConfiguration();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lines.Write($"tern client: cannot read a certificate or key file: {e.Message}");
            return null;
        }
    }

    /// <summary>Writes whole lines with a time stamp, one writer at a time; on a terminal one line may be redrawn in place.</summary>
    private sealed class LineWriter(TextWriter output)
    {
        private readonly Lock _gate = new();
        private int _open;

        /// <summary>True when the output is a terminal, where <see cref="Redraw"/> overwrites its line.</summary>
        public bool OnTerminal { get; init; }

        public void Write(string text)
        {
            lock (_gate)
            {
                if (_open > 0)
                {
                    output.WriteLine(); // keep the last state of a redrawn line
                    _open = 0;
                }

                output.WriteLine($"{DateTimeOffset.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {text}");
                output.Flush();
            }
        }

        /// <summary>On a terminal, replaces the line <see cref="Redraw"/> wrote last (the next <see cref="Write"/> ends it); elsewhere a plain line.</summary>
        public void Redraw(string text)
        {
            if (!OnTerminal)
            {
                Write(text);
                return;
            }

            lock (_gate)
            {
                string line = $"{DateTimeOffset.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {text}";
                output.Write("\r" + line.PadRight(_open));
                output.Flush();
                _open = Math.Max(line.Length, 1);
            }
        }
    }
}
