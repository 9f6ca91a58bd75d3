using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;

namespace Tern.Lwm2m.Client.Tests.DataModel;

/// <summary>The Security object in the data model keeps every credential a DTLS account needs.</summary>
public class SecurityCredentialsRoundTripTests
{
    [Fact]
    public void Certificate_account_keeps_the_server_certificate_and_certificate_usage_through_the_data_model()
    {
        byte[] clientCertificate = [0x30, 0x82, 0x01];
        byte[] serverCertificate = [0x30, 0x82, 0x02, 0x99];
        byte[] privateKey = [0x30, 0x77];
        var account = new Lwm2mSecurityInstance(1, "coaps://dm.example:5684", false, Lwm2mSecurityMode.Certificate)
        {
            ShortServerId = 7,
            PublicKeyOrIdentity = clientCertificate,
            ServerPublicKey = serverCertificate,
            SecretKey = privateKey,
            CertificateUsage = 1,
        };
        var store = new Lwm2mObjectStore();

        store.LoadConfiguration(new Lwm2mClientConfiguration([account], [new Lwm2mServerInstance(0, 7, TimeSpan.FromMinutes(5))]));
        Lwm2mSecurityInstance read = store.ReadConfiguration().Securities.Single();

        Assert.Equal(serverCertificate, read.ServerPublicKey.ToArray());
        Assert.Equal((byte)1, read.CertificateUsage);
        Assert.Equal(clientCertificate, read.PublicKeyOrIdentity.ToArray());
        Assert.Equal(privateKey, read.SecretKey.ToArray());
        Assert.Empty(store.ReadConfiguration().Validate());
    }

    [Fact]
    public void An_absent_certificate_usage_stays_absent()
    {
        var store = new Lwm2mObjectStore();
        var psk = new Lwm2mSecurityInstance(0, "coaps://dm.example", false, Lwm2mSecurityMode.PreSharedKey)
        {
            ShortServerId = 1, PublicKeyOrIdentity = "id"u8.ToArray(), SecretKey = new byte[] { 1, 2, 3 },
        };

        store.LoadConfiguration(new Lwm2mClientConfiguration([psk], [new Lwm2mServerInstance(0, 1, TimeSpan.FromMinutes(5))]));

        Assert.Null(store.ReadConfiguration().Securities.Single().CertificateUsage);
        Assert.True(store.ReadConfiguration().Securities.Single().ServerPublicKey.IsEmpty);
    }
}
