/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_tpm_quote.c - libFuzzer target: TPM quotes.  The input is
 *   key (1 byte: even = the P-256 test key, odd = the RSA-2048 one),
 *   msglen (2 bytes, big-endian), the TPMS_ATTEST, then the TPMT_SIGNATURE;
 * the three parsers (message, signature, the AK's TPM public area) run on
 * the whole input too.  The PCR values are fixed (PCR n
 * of sha256 and sha384 holds n in its first byte), as
 * scripts/mk-quote-seeds.py assumes when it signs the seeds with
 * testdata/keys/{p256,rsa2048}.key.pem, so seeds reach every check. */
#include <stdint.h>
#include <string.h>
#include <fwtrail/fwtrail.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char p256_pem[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEf3YVwLUl3BpkzWDOmuhY8Cf0Dy1G\n"
	"6KRqlqHM7rwoxPBF/wd34PkCs5Qj0MathxtLpyINWufiw59GgkOsDxutbA==\n"
	"-----END PUBLIC KEY-----\n";

static const char rsa_pem[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA4DVaPkU+vHc/R7oU0BFR\n"
	"xWWAhQADilEf1F2Ty0jI4uGsJLaM2hZisHuctG43j8Y0A34h+DqFUQ1uaD4Ig1YL\n"
	"ze/ylNGAYCNU0BXDkhxSfGVcBX27N4RjPPtURHEHlc0Qw5VlixpsCrf2ywZW/hxd\n"
	"zXfWZmZcVoSxvQRSXHLaP/vU9iGuPM751kqSExpKEOEzXff9xzWmNhgmiAXVNO0j\n"
	"eBOt03XxklnZH7O4l+SefUCGMaY4nZyT3WI4Q+rd5Ju+lZfsQiUGF7PpN92OnNR8\n"
	"Pa+WXG1QAcuIRFMVaJz5AycuTKirYXret+fsiQs3NcJjbRM/MEmHX4gxu1reqBM/\n"
	"DQIDAQAB\n"
	"-----END PUBLIC KEY-----\n";

static const unsigned char nonce[] = { 0x5c, 0xa1, 0xab, 0x1e };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fwt_ctx *ctx = NULL;
	fwt_pubkey *ak = NULL;
	fwt_pcrs *pcrs = NULL;
	fwt_tpm_attest a;
	fwt_tpm_signature s;
	fwt_quote_result r;
	fwt_quote_options o = FWT_QUOTE_OPTIONS_INIT;
	unsigned char v[64];
	unsigned pcr;
	size_t mlen;
	const char *pem;

	(void)fwt_tpm_attest_parse(NULL, data, size, &a);
	(void)fwt_tpm_signature_parse(NULL, data, size, &s);
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 0;
	{ /* the AK's TPM public area parser on the whole input too */
		fwt_tpm_public tp;
		if (fwt_tpm_public_parse(ctx, &ak, &tp, data, size, "ak") == FWT_OK)
			fwt_pubkey_free(ak);
		ak = NULL;
	}
	if (size < 3)
		goto out;
	pem = data[0] & 1 ? rsa_pem : p256_pem;
	mlen = (size_t)data[1] << 8 | data[2];
	if (mlen > size - 3)
		mlen = size - 3;
	if (fwt_pubkey_parse(ctx, &ak, pem, strlen(pem), "ak") != FWT_OK || fwt_pcrs_new(ctx, &pcrs) != FWT_OK)
		goto out;
	for (pcr = 0; pcr < FWT_PCR_COUNT; pcr++) {
		memset(v, 0, sizeof(v));
		v[0] = (unsigned char)pcr;
		if (fwt_pcrs_set(pcrs, FWT_DIGEST_SHA256, pcr, v, 32) != FWT_OK ||
		    fwt_pcrs_set(pcrs, FWT_DIGEST_SHA384, pcr, v, 48) != FWT_OK)
			goto out;
	}
	o.nonce = nonce;
	o.nonce_len = sizeof(nonce);
	o.need_pcrs = data[0] & 2 ? 0x81u : 0;
	if (fwt_tpm_quote_verify(ctx, data + 3, mlen, data + 3 + mlen, size - 3 - mlen, ak, pcrs, &o, &r) == FWT_OK &&
	    r.failed != FWT_QUOTE_OK)
		__builtin_trap(); /* a yes must say nothing failed */
	(void)fwt_quote_check_name(r.failed);
out:
	fwt_pcrs_free(pcrs);
	fwt_pubkey_free(ak);
	fwt_ctx_free(ctx);
	return 0;
}
