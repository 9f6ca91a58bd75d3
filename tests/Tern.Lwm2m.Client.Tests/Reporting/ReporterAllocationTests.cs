using System.Diagnostics.CodeAnalysis;
using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Tests.Reporting;

public class ReporterAllocationTests
{
    private static readonly Lwm2mPath Temperature = new(3303, 0, 5700);

    [Fact]
    public void A_notification_in_steady_state_allocates_at_most_512_bytes_and_a_silent_evaluation_nothing()
    {
        var data = new PrebuiltNodes();
        var reporter = new Lwm2mReporter(data);
        reporter.AddServer(new ReportingServerSettings(1));
        Assert.True(reporter.WriteAttributes(1, Temperature, ["st=1"]).IsSuccess);
        reporter.Observe(1, Temperature, [7], null, DateTimeOffset.UnixEpoch);
        var now = DateTimeOffset.UnixEpoch;

        long Run(int rounds, Lwm2mSingleResource a, Lwm2mSingleResource b)
        {
            int taken = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < rounds; i++)
            {
                now += TimeSpan.FromSeconds(1);
                data.Current = i % 2 == 0 ? a : b;
                reporter.OnValueChanged(Temperature, now);
                reporter.Step(now);
                while (reporter.TryTakeAction(out _))
                {
                    taken++;
                }
            }

            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(a == b || Math.Abs(Value(a) - Value(b)) < 1 ? 0 : rounds, taken);
            return bytes / rounds;
        }

        Run(200, data.High, data.Low);
        Assert.InRange(Run(1000, data.High, data.Low), 1, 512);
        Assert.Equal(0, Run(1000, data.Low, data.Near));
    }

    private static double Value(Lwm2mSingleResource r) => r.Value.AsFloat();

    private sealed class PrebuiltNodes : IReportingDataSource
    {
        public Lwm2mSingleResource Low { get; } = new(5700, Lwm2mValue.FromFloat(20));

        public Lwm2mSingleResource Near { get; } = new(5700, Lwm2mValue.FromFloat(20.5));

        public Lwm2mSingleResource High { get; } = new(5700, Lwm2mValue.FromFloat(30));

        public Lwm2mSingleResource? Current { get; set; }

        public bool TryRead(Lwm2mPath path, [NotNullWhen(true)] out Lwm2mNode? node)
        {
            node = Current ?? Low;
            return true;
        }

        public bool TryGetResourceType(Lwm2mPath path, out Lwm2mResourceType type)
        {
            type = Lwm2mResourceType.Float;
            return true;
        }
    }
}
