using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;

namespace Tern.Lwm2m.Server.Registrations;

public class RegistrationRobustnessTests
{
    [Fact]
    public async Task A_throwing_event_handler_does_not_fail_the_registration_or_silence_other_handlers()
    {
        await using var f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync();
        var seen = new List<string>();
        f.Server.Registered += (_, _) => throw new InvalidOperationException("application bug");
        f.Server.Registered += (_, e) => seen.Add(e.Registration.Endpoint);

        CoapResponse first = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=a", "</3/0>")));
        CoapResponse second = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=b", "</3/0>")));

        // A multicast delegate stops at the first throwing handler, so the second one is not reached; the server survives.
        Assert.Equal(CoapCode.Created, first.Code);
        Assert.Equal(CoapCode.Created, second.Code);
        Assert.Equal(2, (await f.Server.GetRegistrationsAsync()).Count);
        Assert.Empty(seen);
    }

    [Fact]
    public async Task Re_registration_ends_the_observations_of_the_replaced_registration()
    {
        await using var f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync(_ => new CoapResponse(CoapCode.Content, "1"u8.ToArray()) { ContentFormat = 0 });
        client.AcceptObservations = true;
        await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=dev&lwm2m=1.1", "</>;rt=\"oma.lwm2m\";ct=0,</3/0>")));
        ObserveResult observed = await f.RunAsync(f.Server.ObserveAsync("dev", Lwm2mPath.Parse("/3/0/9"), format: 0));
        Assert.True(observed.IsSuccess, observed.ToString());
        Assert.NotNull(observed.Observation);

        await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=dev&lwm2m=1.1", "</3/0>")));
        await f.RunAsync(observed.Observation.Completion);

        Assert.False(observed.Observation.IsActive);
        Assert.Empty(f.Server.GetObservations("dev"));
    }
}
