using Tern.Coap.Messages;

namespace Tern.Lwm2m.Client.Engine;

/// <summary>Something the sans-I/O engine asks its driver to do.</summary>
public abstract record Lwm2mClientAction;

/// <summary>Send a confirmable request and report the outcome with <see cref="Lwm2mClientEngine.OnResponse"/> or <see cref="Lwm2mClientEngine.OnExchangeFailed"/>.</summary>
/// <param name="ExchangeId">The id to report the outcome under.</param>
/// <param name="Kind">What the request is.</param>
/// <param name="ServerUri">The server to send to.</param>
/// <param name="Request">The request; the driver assigns the message id and token.</param>
public sealed record Lwm2mSendRequest(long ExchangeId, Lwm2mRequestKind Kind, string ServerUri, CoapMessage Request) : Lwm2mClientAction;

/// <summary>Close the connection to a server.</summary>
/// <param name="ServerUri">The server.</param>
/// <param name="KeepContext">True on the way into QueueMode or Suspended, where the network context (e.g. a DTLS session) is kept.</param>
public sealed record Lwm2mCloseConnection(string ServerUri, bool KeepContext) : Lwm2mClientAction;

/// <summary>
/// Keep <paramref name="Configuration"/> (a bootstrap server just provided it) so a restart can register without
/// bootstrapping again; <see cref="Lwm2mClient"/> writes it to <see cref="Lwm2mClientOptions.StateDirectory"/>.
/// </summary>
/// <param name="Configuration">The Security, Server and Access Control instances now in use.</param>
public sealed record Lwm2mSaveConfiguration(Tern.Lwm2m.Client.Configuration.Lwm2mClientConfiguration Configuration) : Lwm2mClientAction;
