using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Tls;

namespace Tern.Coap.Dtls.Internal;

/// <summary>
/// BouncyCastle's cipher factory with one fix: its CCM mode buffers a record's bytes and clears the buffer only when
/// the record authenticates, so one forged CCM record left garbage in front of every later record and the session
/// could decrypt nothing again. <see cref="GuardedCipher"/> drops forged records, but that only helps if the cipher
/// recovers; this CCM clears its state on failure too.
/// </summary>
internal sealed class ResettingCipherFactory : DefaultTlsCipherFactory
{
    protected override IAeadBlockCipher CreateAeadBlockCipher_Aes_Ccm() => new ResettingCcm(CreateAesEngine());

    private sealed class ResettingCcm(IBlockCipher cipher) : CcmBlockCipher(cipher)
    {
        public override int DoFinal(byte[] outBytes, int outOff)
        {
            try
            {
                return base.DoFinal(outBytes, outOff);
            }
            catch (InvalidCipherTextException)
            {
                Reset();
                throw;
            }
        }
    }
}
