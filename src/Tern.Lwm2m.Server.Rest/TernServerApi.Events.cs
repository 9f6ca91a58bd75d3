using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tern.Lwm2m.Server.Registrations;
using Tern.Lwm2m.Server.Rest.Events;
using Tern.Lwm2m.Server.Rest.Json;

namespace Tern.Lwm2m.Server.Rest;

public static partial class TernServerApi
{
    /// <summary>The SSE event names the API emits.</summary>
    public static class EventNames
    {
        /// <summary>A client registered; data is the client.</summary>
        public const string Registration = "registration";

        /// <summary>A client updated its registration; data is the client.</summary>
        public const string Update = "update";

        /// <summary>A client de-registered; data names the endpoint and registration.</summary>
        public const string Deregistration = "deregistration";

        /// <summary>A registration expired; data names the endpoint and registration.</summary>
        public const string Expiry = "expiry";

        /// <summary>An observed client notified; data is the endpoint, path, observation id and value.</summary>
        public const string Notification = "notification";

        /// <summary>A client sent data (LwM2M Send); data is the endpoint and the records.</summary>
        public const string Send = "send";

        /// <summary>A bootstrap session ended; data is the endpoint, success, steps, discovered links and read nodes.</summary>
        public const string Bootstrap = "bootstrap";

        /// <summary>A firmware update started, progressed or finished; data names the endpoint, the update and the event.</summary>
        public const string Firmware = "firmware";
    }

    internal sealed partial class ApiContext
    {
        public void AttachEvents()
        {
            Server.Registered += OnRegistered;
            Server.Updated += OnUpdated;
            Server.Deregistered += OnDeregistered;
            Server.Expired += OnExpired;
            Server.NotificationReceived += OnNotification;
            Server.DataReceived += OnDataReceived;
            Server.Firmware.Changed += OnFirmware;
        }

        public void DetachEvents()
        {
            Server.Registered -= OnRegistered;
            Server.Updated -= OnUpdated;
            Server.Deregistered -= OnDeregistered;
            Server.Expired -= OnExpired;
            Server.NotificationReceived -= OnNotification;
            Server.DataReceived -= OnDataReceived;
            Server.Firmware.Changed -= OnFirmware;
        }

        private void OnFirmware(object? sender, Tern.Lwm2m.Server.Firmware.FirmwareUpdateEvent e) =>
            Events.Publish(new ServerEvent(EventNames.Firmware, JsonSerializer.Serialize(FirmwareEventDto.From(e), RestJson.Context.FirmwareEventDto)));

        private void OnRegistered(object? sender, RegistrationEventArgs e) => PublishClient(EventNames.Registration, e.Registration);

        private void OnUpdated(object? sender, RegistrationEventArgs e) => PublishClient(EventNames.Update, e.Registration);

        private void OnDeregistered(object? sender, RegistrationEventArgs e) => PublishDeparture(EventNames.Deregistration, e.Registration);

        private void OnExpired(object? sender, RegistrationEventArgs e) => PublishDeparture(EventNames.Expiry, e.Registration);

        private void PublishClient(string name, Registration registration) =>
            Events.Publish(new ServerEvent(name, JsonSerializer.Serialize(ClientDto.From(registration), RestJson.Context.ClientDto)));

        private void PublishDeparture(string name, Registration registration) =>
            Events.Publish(new ServerEvent(name, JsonSerializer.Serialize(
                new DepartureDto { Endpoint = registration.Endpoint, RegistrationId = registration.Id }, RestJson.Context.DepartureDto)));

        /// <summary>
        /// Streams events as <c>text/event-stream</c> until the caller disconnects. A comment line
        /// (<c>: connected</c>) goes out first, so a caller knows it will see every later event.
        /// </summary>
        public async Task StreamEventsAsync(HttpContext http)
        {
            using ServerEventHub.Subscription subscription = Events.Subscribe();
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            CancellationToken aborted = http.RequestAborted;
            try
            {
                await http.Response.WriteAsync(": connected\n\n", aborted).ConfigureAwait(false);
                await http.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                await foreach (ServerEvent e in subscription.Events.ReadAllAsync(aborted).ConfigureAwait(false))
                {
                    await http.Response.WriteAsync($"event: {e.Name}\ndata: {e.Data}\n\n", aborted).ConfigureAwait(false);
                    await http.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // The caller went away; the subscription closes with the using above.
            }
        }
    }
}
