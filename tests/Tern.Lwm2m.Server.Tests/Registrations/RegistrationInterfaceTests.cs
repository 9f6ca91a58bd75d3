using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server.Registrations;

public class RegistrationInterfaceTests
{
    private const string WakaamaLinks = "</>;rt=\"oma.lwm2m\";ct=110,</1>;ver=1.1,</1/0>,</3/0>,</3303/0>";

    private static string Location(CoapResponse response) =>
        "/" + string.Join('/', response.Options.Where(o => o.Number == CoapOptionNumber.LocationPath).Select(o => o.GetString()));

    [Fact]
    public async Task Register_is_answered_created_with_a_location_and_stores_what_the_client_said()
    {
        await using var f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync();
        var events = new List<RegistrationEventArgs>();
        f.Server.Registered += (_, e) => events.Add(e);
        DateTimeOffset start = f.Clock.GetUtcNow();

        CoapResponse response = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=wakaama-1&lt=300&lwm2m=1.1&b=U", WakaamaLinks)));

        Assert.Equal(CoapCode.Created, response.Code);
        Registration? stored = await f.Server.GetRegistrationAsync("wakaama-1");
        Assert.NotNull(stored);
        Assert.Equal("/rd/" + stored.Id, Location(response));
        Assert.Equal("1.1", stored.Lwm2mVersion);
        Assert.Equal("U", stored.Binding);
        Assert.False(stored.QueueMode);
        Assert.Equal(TimeSpan.FromSeconds(300), stored.Lifetime);
        Assert.Equal([(ushort)110], stored.ContentFormats);
        Assert.Equal(["/1", "/1/0", "/3/0", "/3303/0"], stored.ObjectLinks.Select(l => l.Target));
        Assert.Equal("1.1", stored.ObjectVersions[1]);
        Assert.Equal(client.Address, stored.Peer);
        Assert.Equal(start, stored.RegisteredAt);
        Assert.Equal(start + TimeSpan.FromSeconds(300), stored.ExpiresAt);
        Assert.Equal("wakaama-1", Assert.Single(events).Registration.Endpoint);
    }

    [Fact]
    public async Task Register_without_parameters_takes_the_defaults_of_the_specification()
    {
        await using var f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync();

        CoapResponse response = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=bare", "</3/0>")));

        Assert.Equal(CoapCode.Created, response.Code);
        Registration stored = (await f.Server.GetRegistrationAsync("bare"))!;
        Assert.Equal("1.0", stored.Lwm2mVersion);
        Assert.Equal("U", stored.Binding);
        Assert.Equal(TimeSpan.FromDays(1), stored.Lifetime);
        Assert.Empty(stored.ContentFormats);
    }

    [Theory]
    [InlineData("ep=q10&lwm2m=1.0&b=UQ", true)]
    [InlineData("ep=q11&lwm2m=1.1&b=U&Q", true)]
    [InlineData("ep=u11&lwm2m=1.1&b=U", false)]
    public async Task Queue_mode_is_read_from_the_10_binding_or_the_11_Q_parameter(string query, bool queueMode)
    {
        await using var f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync();

        await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register(query, "</3/0>")));

        Registration stored = Assert.Single(await f.Server.GetRegistrationsAsync());
        Assert.Equal(queueMode, stored.QueueMode);
    }

    [Fact]
    public async Task Alternate_root_path_is_stripped_from_object_links_and_kept_for_requests()
    {
        await using var f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync();

        await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=alt&lwm2m=1.1", "</lwm2m>;rt=\"oma.lwm2m\";ct=\"60 110\",</lwm2m/3/0>")));

        Registration stored = (await f.Server.GetRegistrationAsync("alt"))!;
        Assert.Equal("/lwm2m", stored.RootPath);
        Assert.Equal([(ushort)60, (ushort)110], stored.ContentFormats);
        Assert.Equal("/3/0", Assert.Single(stored.ObjectLinks).Target);
    }

    [Fact]
    public async Task Update_refreshes_the_lifetime_and_address_and_raises_updated_with_the_previous_registration()
    {
        await using var f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync();
        FakeClient moved = await f.AddClientAsync(seed: 8);
        var updates = new List<RegistrationEventArgs>();
        f.Server.Updated += (_, e) => updates.Add(e);
        CoapResponse created = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=dev&lt=100&lwm2m=1.1", "</3/0>")));
        await f.Network.RunForAsync(TimeSpan.FromSeconds(40));

        var update = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post }.SetUriPath(Location(created))
            .AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, "lt=200"));
        update.ContentFormat = 40;
        update.Payload = "</3/0>,</5/0>"u8.ToArray();
        CoapResponse changed = await f.RunAsync(moved.Endpoint.SendAsync(f.Server.LocalEndPoint, update));

        Assert.Equal(CoapCode.Changed, changed.Code);
        Registration stored = (await f.Server.GetRegistrationAsync("dev"))!;
        Assert.Equal(TimeSpan.FromSeconds(200), stored.Lifetime);
        Assert.Equal(moved.Address, stored.Peer);
        Assert.Equal(f.Clock.GetUtcNow(), stored.UpdatedAt);
        Assert.True(stored.RegisteredAt < stored.UpdatedAt);
        Assert.Equal(["/3/0", "/5/0"], stored.ObjectLinks.Select(l => l.Target));
        RegistrationEventArgs e = Assert.Single(updates);
        Assert.Equal(TimeSpan.FromSeconds(100), e.Previous!.Lifetime);
    }

    [Fact]
    public async Task Update_or_deregister_of_an_unknown_registration_is_not_found()
    {
        await using var f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync();

        CoapResponse update = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, new CoapMessage { Code = CoapCode.Post }.SetUriPath("/rd/nope")));
        CoapResponse delete = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, new CoapMessage { Code = CoapCode.Delete }.SetUriPath("/rd/nope")));

        Assert.Equal(CoapCode.NotFound, update.Code);
        Assert.Equal(CoapCode.NotFound, delete.Code);
    }

    [Fact]
    public async Task Deregister_removes_the_registration_and_raises_deregistered()
    {
        await using var f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync();
        var gone = new List<string>();
        f.Server.Deregistered += (_, e) => gone.Add(e.Registration.Endpoint);
        CoapResponse created = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=dev", "</3/0>")));

        CoapResponse deleted = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, new CoapMessage { Code = CoapCode.Delete }.SetUriPath(Location(created))));

        Assert.Equal(CoapCode.Deleted, deleted.Code);
        Assert.Null(await f.Server.GetRegistrationAsync("dev"));
        Assert.Equal(["dev"], gone);
    }

    [Fact]
    public async Task Registration_expires_when_its_lifetime_runs_out_without_update()
    {
        await using var f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync();
        var expired = new List<string>();
        f.Server.Expired += (_, e) => expired.Add(e.Registration.Endpoint);
        await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=dev&lt=60", "</3/0>")));

        await f.Network.RunForAsync(TimeSpan.FromSeconds(59));
        Assert.NotNull(await f.Server.GetRegistrationAsync("dev"));
        Assert.Empty(expired);

        await f.Network.RunForAsync(TimeSpan.FromSeconds(2));
        Assert.Null(await f.Server.GetRegistrationAsync("dev"));
        Assert.Equal(["dev"], expired);
    }

    [Fact]
    public async Task Update_before_expiry_moves_the_expiry_a_whole_lifetime_on()
    {
        await using var f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync();
        var expired = new List<DateTimeOffset>();
        f.Server.Expired += (_, _) => expired.Add(f.Clock.GetUtcNow());
        DateTimeOffset start = f.Clock.GetUtcNow();
        CoapResponse created = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=dev&lt=60", "</3/0>")));

        await f.Network.RunForAsync(TimeSpan.FromSeconds(50));
        await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, new CoapMessage { Code = CoapCode.Post }.SetUriPath(Location(created))));
        DateTimeOffset updatedAt = f.Clock.GetUtcNow();
        await f.Network.RunForAsync(TimeSpan.FromSeconds(100));

        Assert.Equal([updatedAt + TimeSpan.FromSeconds(60)], expired);
        Assert.True(expired[0] > start + TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Registering_the_same_endpoint_again_replaces_the_old_registration()
    {
        await using var f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync();
        var registered = new List<RegistrationEventArgs>();
        f.Server.Registered += (_, e) => registered.Add(e);
        CoapResponse first = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=dev&lt=60", "</3/0>")));
        CoapResponse second = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=dev&lt=600", "</3/0>")));

        Registration stored = Assert.Single(await f.Server.GetRegistrationsAsync());
        Assert.Equal(Location(second), "/rd/" + stored.Id);
        Assert.NotEqual(Location(first), Location(second));
        Assert.Equal("/rd/" + registered[1].Previous!.Id, Location(first));
        CoapResponse staleUpdate = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, new CoapMessage { Code = CoapCode.Post }.SetUriPath(Location(first))));
        Assert.Equal(CoapCode.NotFound, staleUpdate.Code);

        // The replaced registration's expiry timer must not remove the new one.
        await f.Network.RunForAsync(TimeSpan.FromSeconds(120));
        Assert.NotNull(await f.Server.GetRegistrationAsync("dev"));
    }
}
