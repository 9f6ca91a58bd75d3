using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>
/// A tiny HTTP/1.1 file server on 127.0.0.1 for one image: honours <c>Range: bytes=N-</c> with 206, can cut a
/// connection after a set number of body bytes, and can speak TLS with a self-signed certificate. Records what
/// each request asked for. No sleeps: everything waits on sockets.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _image;
    private readonly Queue<int> _cuts;
    private readonly X509Certificate2? _certificate;
    private readonly bool _ignoreRange;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _bodyBytes;

    public LoopbackHttpServer(byte[] image, IEnumerable<int>? cutAfter = null, bool tls = false, bool ignoreRange = false)
    {
        _image = image;
        _ignoreRange = ignoreRange;
        _cuts = new Queue<int>(cutAfter ?? []);
        _certificate = tls ? SelfSigned() : null;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Uri(string path = "/fw/image.bin") =>
        $"{(_certificate is null ? "http" : "https")}://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}";

    /// <summary>The Range start of each request (null for none), in order.</summary>
    public ConcurrentQueue<long?> RangeStarts { get; } = new();

    public int Connections { get; private set; }

    /// <summary>Body bytes sent over all requests.</summary>
    public long BodyBytes => Interlocked.Read(ref _bodyBytes);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _certificate?.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Connections++;
            int? cut = _cuts.Count > 0 ? _cuts.Dequeue() : null;
            _ = Task.Run(() => ServeAsync(client, cut));
        }
    }

    private async Task ServeAsync(TcpClient client, int? cutAfter)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(_certificate);
                    stream = tls;
                }

                string head = await ReadHeadAsync(stream);
                string path = head.Split(' ')[1];
                long? start = null;
                foreach (string line in head.Split("\r\n"))
                {
                    if (line.StartsWith("Range: bytes=", StringComparison.OrdinalIgnoreCase))
                    {
                        start = long.Parse(line["Range: bytes=".Length..].TrimEnd('-'), CultureInfo.InvariantCulture);
                    }
                }

                RangeStarts.Enqueue(start);
                if (_ignoreRange)
                {
                    start = null;
                }
                if (path != "/fw/image.bin")
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                    return;
                }

                long from = start ?? 0;
                string status = start is null
                    ? $"HTTP/1.1 200 OK\r\nContent-Length: {_image.Length}\r\n"
                    : $"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {from}-{_image.Length - 1}/{_image.Length}\r\nContent-Length: {_image.Length - from}\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(status + "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n"));
                int count = (int)Math.Min(_image.Length - from, cutAfter ?? long.MaxValue);
                await stream.WriteAsync(_image.AsMemory((int)from, count));
                await stream.FlushAsync();
                Interlocked.Add(ref _bodyBytes, count);
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException)
            {
                // The client hung up (or refused our certificate).
            }
        }
    }

    private static async Task<string> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        byte[] one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one) == 1)
        {
            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
