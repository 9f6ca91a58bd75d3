using System.Net;
using Tern.Coap.Observe;
using Tern.Coap.Timing;
using Tern.Coap.Transport;

namespace Tern.Coap.Tests.Observe;

public class ObserverRegistryTests
{
    private static readonly CoapPeer Alice = new(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5683));
    private static readonly CoapPeer Bob = new(new IPEndPoint(IPAddress.Parse("192.0.2.2"), 5683));

    [Fact]
    public void Registrations_are_found_by_peer_and_token_and_by_resource()
    {
        var registry = new ObserverRegistry(new VirtualTimeProvider());

        Assert.True(registry.TryRegister(Alice, new byte[] { 0x4a }, "/temperature", out _));
        Assert.True(registry.TryRegister(Bob, new byte[] { 0x4a }, "/temperature", out _));
        Assert.True(registry.TryRegister(Alice, new byte[] { 0xb2 }, "/humidity", out _));

        Assert.Equal(3, registry.Count);
        Assert.Equal([Alice, Bob], registry.GetObservers("/temperature").Select(r => r.Peer));
        Assert.True(registry.TryGet(Alice, [0xb2], out ObserverRegistration humidity));
        Assert.Equal("/humidity", humidity.ResourceKey);
        Assert.False(registry.TryGet(Bob, [0xb2], out _));
    }

    [Fact]
    public void Same_peer_and_token_replaces_the_entry_and_keeps_its_sequence_increasing()
    {
        var registry = new ObserverRegistry(new VirtualTimeProvider());
        registry.TryRegister(Alice, new byte[] { 1 }, "/a", out ObserverRegistration first);
        Assert.Equal(0u, first.NextSequenceNumber());
        Assert.Equal(1u, first.NextSequenceNumber());

        registry.TryRegister(Alice, new byte[] { 1 }, "/b", out ObserverRegistration again);

        Assert.Same(first, again);
        Assert.Equal(1, registry.Count);
        Assert.Empty(registry.GetObservers("/a"));
        Assert.Single(registry.GetObservers("/b"));
        Assert.Equal(2u, again.NextSequenceNumber());
    }

    [Fact]
    public void Sequence_numbers_increase_strictly_and_wrap_modulo_two_to_the_twenty_four()
    {
        var registry = new ObserverRegistry(new VirtualTimeProvider());
        registry.TryRegister(Alice, new byte[] { 1 }, "/a", out ObserverRegistration registration, firstSequence: 0xFFFFFE);

        Assert.Equal([0xFFFFFEu, 0xFFFFFFu, 0u, 1u], Enumerable.Range(0, 4).Select(_ => registration.NextSequenceNumber()));
        Assert.Equal(1u, registration.LastSequence);
    }

    [Fact]
    public void Consecutive_sequence_numbers_are_each_newer_for_the_observing_side()
    {
        var registry = new ObserverRegistry(new VirtualTimeProvider());
        registry.TryRegister(Alice, new byte[] { 1 }, "/a", out ObserverRegistration registration, firstSequence: 0xFFFF00);
        var freshness = new ObservationFreshness(new VirtualTimeProvider());

        for (int i = 0; i < 1000; i++)
        {
            Assert.True(freshness.ShouldDeliver(registration.NextSequenceNumber()));
        }
    }

    [Fact]
    public void Removal_by_token_by_resource_and_by_peer()
    {
        var registry = new ObserverRegistry(new VirtualTimeProvider());
        registry.TryRegister(Alice, new byte[] { 1 }, "/a", out _);
        registry.TryRegister(Alice, new byte[] { 2 }, "/b", out _);
        registry.TryRegister(Bob, new byte[] { 3 }, "/a", out _);
        registry.TryRegister(Bob, new byte[] { 4 }, "/c", out _);

        Assert.True(registry.Remove(Alice, [1]));
        Assert.False(registry.Remove(Alice, [1]));
        Assert.Equal([Bob], registry.GetObservers("/a").Select(r => r.Peer));

        Assert.Single(registry.RemoveResource("/a"));
        Assert.Empty(registry.GetObservers("/a"));
        Assert.False(registry.TryGet(Bob, [3], out _));

        Assert.Equal(1, registry.RemovePeer(Bob));
        Assert.Equal(1, registry.Count);
        Assert.True(registry.TryGet(Alice, [2], out _));
    }

    [Fact]
    public void Full_registry_refuses_new_observers_but_still_refreshes_existing_ones()
    {
        var registry = new ObserverRegistry(new VirtualTimeProvider(), maxObservers: 2);
        Assert.True(registry.TryRegister(Alice, new byte[] { 1 }, "/a", out _));
        Assert.True(registry.TryRegister(Alice, new byte[] { 2 }, "/a", out _));

        Assert.False(registry.TryRegister(Bob, new byte[] { 1 }, "/a", out _));
        Assert.True(registry.TryRegister(Alice, new byte[] { 2 }, "/a", out _));
        Assert.Equal(2, registry.Count);

        registry.Remove(Alice, [1]);
        Assert.True(registry.TryRegister(Bob, new byte[] { 1 }, "/a", out _));
    }

    [Fact]
    public void Empty_and_eight_byte_tokens_are_distinct_keys_and_longer_tokens_are_rejected()
    {
        var registry = new ObserverRegistry(new VirtualTimeProvider());
        Assert.True(registry.TryRegister(Alice, ReadOnlyMemory<byte>.Empty, "/a", out _));
        Assert.True(registry.TryRegister(Alice, new byte[] { 0 }, "/a", out _));
        Assert.True(registry.TryRegister(Alice, new byte[8], "/a", out _));

        Assert.Equal(3, registry.Count);
        Assert.Throws<ArgumentException>(() => registry.TryRegister(Alice, new byte[9], "/a", out _));
        Assert.False(registry.Remove(Alice, new byte[9]));
    }

    [Fact]
    public void Notification_must_be_confirmable_once_24_hours_passed_without_one()
    {
        var clock = new VirtualTimeProvider();
        var registry = new ObserverRegistry(clock);
        registry.TryRegister(Alice, new byte[] { 1 }, "/a", out ObserverRegistration registration);

        clock.Advance(TimeSpan.FromHours(23));
        ObserveNotificationPlan early = registration.PlanNotification(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        ObserveNotificationPlan justBefore = registration.PlanNotification(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(1));
        ObserveNotificationPlan atDeadline = registration.PlanNotification(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromHours(12));
        ObserveNotificationPlan halfDayLater = registration.PlanNotification(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromHours(12));
        ObserveNotificationPlan dayAfterTheLastCon = registration.PlanNotification(clock.GetUtcNow());

        Assert.False(early.Confirmable);
        Assert.False(justBefore.Confirmable);
        Assert.True(atDeadline.Confirmable);
        Assert.False(halfDayLater.Confirmable);
        Assert.True(dayAfterTheLastCon.Confirmable);
        Assert.Equal([0u, 1u, 2u, 3u, 4u], new[] { early, justBefore, atDeadline, halfDayLater, dayAfterTheLastCon }.Select(p => p.SequenceNumber));
    }

    [Fact]
    public void A_confirmable_notification_chosen_by_the_server_restarts_the_24_hour_count()
    {
        var clock = new VirtualTimeProvider();
        var registry = new ObserverRegistry(clock);
        registry.TryRegister(Alice, new byte[] { 1 }, "/a", out ObserverRegistration registration);

        clock.Advance(TimeSpan.FromHours(20));
        Assert.True(registration.PlanNotification(clock.GetUtcNow(), preferConfirmable: true).Confirmable);
        clock.Advance(TimeSpan.FromHours(20));

        Assert.False(registration.MustBeConfirmable(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromHours(4));
        Assert.True(registration.MustBeConfirmable(clock.GetUtcNow()));
    }
}
