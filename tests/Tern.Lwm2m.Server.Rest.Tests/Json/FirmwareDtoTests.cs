using System.Text.Json;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Firmware;
using Tern.Lwm2m.Server.Rest.Json;

namespace Tern.Lwm2m.Server.Rest.Tests.Json;

/// <summary>
/// The JSON of a firmware update's status and of its SSE events, field by field as clients of the REST API read it: the
/// names and values of the members (and which are left out), not their order, which JSON objects do not have.
/// </summary>
public class FirmwareDtoTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static string Write(FirmwareUpdateEvent update) => JsonSerializer.Serialize(FirmwareEventDto.From(update), RestJson.Context.FirmwareEventDto);

    private static void AssertSameMembers(string expected, string actual)
    {
        static string[] Members(string json)
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return [.. document.RootElement.EnumerateObject().Select(p => p.Name + "=" + p.Value.GetRawText()).Order(StringComparer.Ordinal)];
        }

        Assert.Equal(Members(expected), Members(actual));
    }

    [Fact]
    public void A_finished_pull_status_carries_every_field_it_has()
    {
        var status = new FirmwareUpdateStatus
        {
            Id = "u1", Endpoint = "dev-1", Delivery = FirmwareDelivery.Pull, PackageUri = new Uri("coap://10.0.0.1:5683/fw/abc"), ImageBytes = 5000,
            Phase = FirmwareUpdatePhase.Failed, State = FirmwareUpdateState.Idle, Result = FirmwareUpdateResult.IntegrityCheckFailure,
            Reason = "bad crc", FirmwareVersion = "1.2", StartedAt = At, FinishedAt = At.AddMinutes(3),
        };

        string json = JsonSerializer.Serialize(FirmwareStatusDto.From(status), RestJson.Context.FirmwareStatusDto);

        AssertSameMembers(
            """{"id":"u1","endpoint":"dev-1","method":"pull","packageUri":"coap://10.0.0.1:5683/fw/abc","imageBytes":5000,"phase":"failed","finished":true,"state":0,"result":5,"resultName":"Integrity check failure for new downloaded package","reason":"bad crc","firmwareVersion":"1.2","startedAt":"2026-03-01T12:00:00+00:00","finishedAt":"2026-03-01T12:03:00+00:00"}""",
            json);
    }

    [Fact]
    public void A_push_just_started_leaves_out_what_it_does_not_know_yet()
    {
        var status = new FirmwareUpdateStatus { Id = "u2", Endpoint = "dev-2", Delivery = FirmwareDelivery.Push, ImageBytes = 10, Phase = FirmwareUpdatePhase.Started, StartedAt = At };

        string json = JsonSerializer.Serialize(FirmwareStatusDto.From(status), RestJson.Context.FirmwareStatusDto);

        AssertSameMembers("""{"id":"u2","endpoint":"dev-2","method":"push","imageBytes":10,"phase":"started","finished":false,"startedAt":"2026-03-01T12:00:00+00:00"}""", json);
    }

    [Fact]
    public void A_started_event_carries_the_size_and_the_package_uri()
    {
        AssertSameMembers(
            """{"endpoint":"dev-1","updateId":"u1","event":"started","total":5000,"packageUri":"coap://h/fw/abc","time":"2026-03-01T12:00:00+00:00"}""",
            Write(new FotaStarted("dev-1", "u1", At, FirmwareDelivery.Pull, new Uri("coap://h/fw/abc"), 5000)));
    }

    [Fact]
    public void A_progress_event_carries_bytes_and_total()
    {
        AssertSameMembers(
            """{"endpoint":"dev-1","updateId":"u1","event":"progress","bytes":1024,"total":5000,"time":"2026-03-01T12:00:00+00:00"}""",
            Write(new FotaProgress("dev-1", "u1", At, 1024, 5000)));
    }

    [Fact]
    public void A_succeeded_event_carries_result_1_and_the_new_version()
    {
        AssertSameMembers(
            """{"endpoint":"dev-1","updateId":"u1","event":"succeeded","result":1,"resultName":"Firmware updated successfully","firmwareVersion":"2.0","time":"2026-03-01T12:00:00+00:00"}""",
            Write(new FotaSucceeded("dev-1", "u1", At, "2.0")));
    }

    [Fact]
    public void A_failed_event_carries_the_result_its_name_and_the_reason()
    {
        AssertSameMembers(
            """{"endpoint":"dev-1","updateId":"u1","event":"failed","result":7,"resultName":"Invalid URI","reason":"no such image","time":"2026-03-01T12:00:00+00:00"}""",
            Write(new FotaFailed("dev-1", "u1", At, FirmwareUpdateResult.InvalidUri, "Invalid URI", "no such image")));
        AssertSameMembers(
            """{"endpoint":"dev-1","updateId":"u1","event":"failed","reason":"timed out","time":"2026-03-01T12:00:00+00:00"}""",
            Write(new FotaFailed("dev-1", "u1", At, null, null, "timed out")));
    }

    [Theory]
    [InlineData("downloading")]
    [InlineData("downloaded")]
    [InlineData("updating")]
    [InlineData("reregistered")]
    [InlineData("cancelled")]
    public void The_other_events_carry_only_their_name(string name)
    {
        FirmwareUpdateEvent update = name switch
        {
            "downloading" => new FotaDownloading("dev-1", "u1", At),
            "downloaded" => new FotaDownloaded("dev-1", "u1", At),
            "updating" => new FotaUpdating("dev-1", "u1", At),
            "reregistered" => new FotaReregistered("dev-1", "u1", At, "r7"),
            _ => new FotaCancelled("dev-1", "u1", At),
        };

        AssertSameMembers($$"""{"endpoint":"dev-1","updateId":"u1","event":"{{name}}","time":"2026-03-01T12:00:00+00:00"}""", Write(update));
    }
}
