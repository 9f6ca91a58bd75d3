using System.Net;
using System.Text;
using CoapDemo;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;

// A Tern CoAP server and a Tern client in one process, talking over loopback UDP. Every step has a time limit,
// so the demo ends within seconds whatever happens; it exits 0 only when every exchange succeeded.
TimeSpan stepLimit = TimeSpan.FromSeconds(5);
using var whole = new CancellationTokenSource(TimeSpan.FromSeconds(30));
var resources = new DemoResources();

await using CoapEndpoint server = await CoapEndpoint.StartAsync(
    await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)),
    new CoapEndpointOptions { Handler = resources });
await using CoapEndpoint client = await CoapEndpoint.StartAsync(
    await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)));
CoapPeer serverPeer = server.LocalEndPoint;
Console.WriteLine($"Tern CoAP server on coap://{serverPeer}, client on {client.LocalEndPoint}");

try
{
    // 1. A plain GET.
    CoapResponse hello = await client.SendAsync(serverPeer, Request(CoapCode.Get, "/hello"), whole.Token).WaitAsync(stepLimit);
    Console.WriteLine($"GET /hello             -> {hello.Code} \"{hello.PayloadText}\"");

    // 2. A body too big for one datagram: PUT and GET go block-wise (RFC 7959).
    byte[] body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 200).Select(i => $"block-wise line {i:D3}\n")));
    CoapMessage put = Request(CoapCode.Put, "/files/report.txt");
    put.Payload = body;
    CoapResponse stored = await client.SendAsync(serverPeer, put, whole.Token).WaitAsync(stepLimit);
    Console.WriteLine($"PUT /files/report.txt  -> {stored.Code} ({body.Length} bytes sent)");
    CoapResponse fetched = await client.SendAsync(serverPeer, Request(CoapCode.Get, "/files/report.txt"), whole.Token).WaitAsync(stepLimit);
    bool same = fetched.Payload.Span.SequenceEqual(body);
    Console.WriteLine($"GET /files/report.txt  -> {fetched.Code} ({fetched.Payload.Length} bytes, {(same ? "identical" : "DIFFERENT")})");

    // 3. Observe: the server pushes three notifications, each confirmable and acknowledged.
    var received = new List<string>();
    var gotThree = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    CoapObservation observation = await client.ObserveAsync(serverPeer, Request(CoapCode.Get, "/counter"), notification =>
    {
        lock (received)
        {
            received.Add(notification.PayloadText);
            Console.WriteLine($"  notification {received.Count}: {notification.Code} \"{notification.PayloadText}\"");
            if (received.Count == 3)
            {
                gotThree.TrySetResult();
            }
        }

        return ValueTask.CompletedTask;
    }, whole.Token).WaitAsync(stepLimit);
    Console.WriteLine($"GET /counter (observe) -> {observation.Response.Code} \"{observation.Response.PayloadText}\", active: {observation.IsActive}");
    CoapObserver observer = await resources.CounterObserver.WaitAsync(stepLimit);
    for (int i = 1; i <= 3; i++)
    {
        await observer.NotifyAsync(CoapResponse.Text(CoapCode.Content, i.ToString()), confirmable: true, whole.Token).WaitAsync(stepLimit);
    }

    await gotThree.Task.WaitAsync(stepLimit);
    await observation.DisposeAsync().AsTask().WaitAsync(stepLimit);
    Console.WriteLine("Observation cancelled (GET with Observe=1)");

    // 4. A CoAP ping: an empty CON answered by RST.
    await client.PingAsync(serverPeer, whole.Token).WaitAsync(stepLimit);
    Console.WriteLine("Ping                   -> pong (RST)");

    return same && hello.IsSuccess && stored.IsSuccess ? 0 : 1;
}
catch (Exception e) when (e is CoapException or TimeoutException or OperationCanceledException)
{
    Console.Error.WriteLine($"Demo failed: {e.GetType().Name}: {e.Message}");
    return 1;
}

static CoapMessage Request(CoapCode code, string path) =>
    new CoapMessage { Type = CoapMessageType.Confirmable, Code = code }.SetUriPath(path);
