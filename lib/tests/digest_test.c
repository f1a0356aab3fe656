/* SPDX-License-Identifier: Apache-2.0 */
/* digest_test.c - FIPS 180-4 vectors, the one-pass multi-hash (on one thread
 * and on several), algorithm names and ids. */
#include <stdlib.h>
#include <string.h>
#include <fwtrail/fwtrail.h>
#include <openssl/evp.h>
#include "t.h"

static fwt_ctx *ctx;

static void hex(char *out, const unsigned char *p, size_t n)
{
	fwt_hex_encode(out, p, n);
}

/* FIPS 180-4 examples (NIST CSRC "Example Algorithms"): "abc", the empty
 * string, and the two-block messages. */
static void test_fips_vectors(void)
{
	static const char m448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char m896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
	                           "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	fwt_digests d;
	char h[129];

	T_EQ_INT(fwt_digest_buffer(ctx, FWT_DIGEST_SHA256 | FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512, "abc", 3, &d),
	         FWT_OK);
	hex(h, d.sha256, 32);
	T_EQ_STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex(h, d.sha384, 48);
	T_EQ_STR(h, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
	            "8086072ba1e7cc2358baeca134c825a7");
	hex(h, d.sha512, 64);
	T_EQ_STR(h, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	T_EQ_INT(fwt_digest_buffer(ctx, FWT_DIGEST_SHA512 | FWT_DIGEST_SHA1, "", 0, &d), FWT_OK);
	hex(h, d.sha512, 64);
	T_EQ_STR(h, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
	            "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
	hex(h, d.sha1, 20);
	T_EQ_STR(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	T_EQ_INT(fwt_digest_buffer(ctx, FWT_DIGEST_SHA256, m448, strlen(m448), &d), FWT_OK);
	hex(h, d.sha256, 32);
	T_EQ_STR(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	T_EQ_INT(fwt_digest_buffer(ctx, FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512, m896, strlen(m896), &d), FWT_OK);
	hex(h, d.sha384, 48);
	T_EQ_STR(h, "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
	            "fcc7c71a557e2db966c3e9fa91746039");
	hex(h, d.sha512, 64);
	T_EQ_STR(h, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
	            "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
}

/* One million 'a' (FIPS 180-4 long message), through a reader both on one
 * thread and on the threaded path (size unknown forces it). */
static ssize_t million_a(void *payload, void *buf, size_t len)
{
	size_t *left = payload, n = len < *left ? len : *left;

	memset(buf, 'a', n);
	*left -= n;
	return (ssize_t)n;
}

static void test_million_a_threaded(void)
{
	fwt_digest_options o = FWT_DIGEST_OPTIONS_INIT;
	fwt_reader *r;
	fwt_digests d;
	size_t left = 1000000;
	char h[129];

	o.algs = FWT_DIGEST_SHA256 | FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512;
	T_EQ_INT(fwt_reader_from_callback(ctx, &r, million_a, &left, "a"), FWT_OK);
	T_EQ_INT(fwt_digest_reader(ctx, r, &o, &d), FWT_OK);
	fwt_reader_free(r);
	T_EQ_INT(d.bytes, 1000000);
	hex(h, d.sha256, 32);
	T_EQ_STR(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	hex(h, d.sha384, 48);
	T_EQ_STR(h, "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b"
	            "07b8b3dc38ecc4ebae97ddd87f3d8985");
	hex(h, d.sha512, 64);
	T_EQ_STR(h, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
	            "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}

/* The threaded pass equals the buffer pass on an awkward size. */
static void test_threaded_equals_solo(void)
{
	size_t n = 9 * (1u << 20) + 12345, i;
	unsigned char *buf = malloc(n);
	fwt_digest_options o = FWT_DIGEST_OPTIONS_INIT;
	fwt_reader *r;
	fwt_digests a, b;

	T_ASSERT(buf != NULL);
	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)(i * 2654435761u >> 13);
	o.algs = FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512;
	T_EQ_INT(fwt_reader_from_memory(ctx, &r, buf, n, "m"), FWT_OK);
	T_EQ_INT(fwt_digest_reader(ctx, r, &o, &a), FWT_OK);
	fwt_reader_free(r);
	T_EQ_INT(fwt_digest_buffer(ctx, o.algs, buf, n, &b), FWT_OK);
	free(buf);
	T_EQ_MEM(a.sha384, b.sha384, 48);
	T_EQ_MEM(a.sha512, b.sha512, 64);
	T_EQ_INT(a.bytes, n);
	T_ASSERT(fwt_digests_get(&a, FWT_DIGEST_SHA256) == NULL);
}

static void test_streaming(void)
{
	fwt_hash *h;
	unsigned char out[64], ref[64];

	T_EQ_INT(fwt_hash_new(ctx, &h, FWT_DIGEST_SHA512), FWT_OK);
	T_EQ_INT(fwt_hash_update(h, "a", 1), FWT_OK);
	T_EQ_INT(fwt_hash_update(h, "bc", 2), FWT_OK);
	T_EQ_INT(fwt_hash_final(h, out), FWT_OK);
	T_EQ_INT(fwt_digest_oneshot(ctx, FWT_DIGEST_SHA512, "abc", 3, ref), FWT_OK);
	T_EQ_MEM(out, ref, 64);
	/* reusable after final */
	T_EQ_INT(fwt_hash_update(h, "abc", 3), FWT_OK);
	T_EQ_INT(fwt_hash_final(h, out), FWT_OK);
	T_EQ_MEM(out, ref, 64);
	fwt_hash_free(h);
	T_EQ_INT(fwt_hash_new(ctx, &h, FWT_DIGEST_SM3), FWT_EUNSUPPORTED);
}

/* Every algorithm, fed in uneven pieces and reused after each final,
 * against OpenSSL's EVP one-shot of the same bytes. */
static void test_streaming_all_algs(void)
{
	static const struct {
		fwt_digest_alg alg;
		const char *evp;
	} t[] = {
		{ FWT_DIGEST_SHA1, "SHA1" },
		{ FWT_DIGEST_SHA256, "SHA256" },
		{ FWT_DIGEST_SHA384, "SHA384" },
		{ FWT_DIGEST_SHA512, "SHA512" },
	};
	static const size_t cuts[] = { 0, 1, 55, 56, 64, 111, 112, 128, 999, 1000 };
	unsigned char msg[1000], out[64], ref[64];
	unsigned int rlen;
	size_t i, k, n;
	fwt_hash *h;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)(i * 131 + 7);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = fwt_digest_size(t[i].alg);
		T_ASSERT(EVP_Digest(msg, sizeof(msg), ref, &rlen, EVP_get_digestbyname(t[i].evp), NULL) == 1);
		T_EQ_INT(rlen, n);
		T_EQ_INT(fwt_hash_new(ctx, &h, t[i].alg), FWT_OK);
		for (k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
			memset(out, 0, sizeof(out));
			T_EQ_INT(fwt_hash_update(h, msg, cuts[k]), FWT_OK);
			T_EQ_INT(fwt_hash_update(h, msg + cuts[k], sizeof(msg) - cuts[k]), FWT_OK);
			T_EQ_INT(fwt_hash_final(h, out), FWT_OK);
			T_EQ_MEM(out, ref, n);
		}
		fwt_hash_free(h);
	}
	T_EQ_INT(fwt_hash_update(NULL, msg, 1), FWT_EINVAL);
	T_EQ_INT(fwt_hash_final(NULL, out), FWT_EINVAL);
}

static void test_names_and_ids(void)
{
	fwt_digest_alg a;
	unsigned mask;
	char bad[16];

	T_EQ_INT(fwt_digest_from_name("SHA-384", &a), FWT_OK);
	T_EQ_INT(a, FWT_DIGEST_SHA384);
	T_EQ_INT(fwt_digest_from_name("sha2-512", &a), FWT_OK);
	T_EQ_INT(a, FWT_DIGEST_SHA512);
	T_EQ_INT(fwt_digest_from_name("md5", &a), FWT_EUNSUPPORTED);
	T_EQ_INT(fwt_digest_from_name("sha384sha384sha384", &a), FWT_EUNSUPPORTED);
	T_EQ_INT(fwt_digest_parse_list("sha256,sha512", &mask, bad, sizeof(bad)), FWT_OK);
	T_EQ_INT(mask, FWT_DIGEST_SHA256 | FWT_DIGEST_SHA512);
	T_EQ_INT(fwt_digest_parse_list("sha256,,sha512", &mask, bad, sizeof(bad)), FWT_EUNSUPPORTED);
	mask = FWT_DIGEST_SHA384;
	T_EQ_INT(fwt_digest_parse_list("sha256,whirlpool", &mask, bad, sizeof(bad)), FWT_EUNSUPPORTED);
	T_EQ_STR(bad, "whirlpool");
	T_EQ_INT(mask, FWT_DIGEST_SHA384); /* unchanged on failure */
	T_EQ_INT(fwt_digest_cose_id(FWT_DIGEST_SHA384), -43);
	T_EQ_INT(fwt_digest_from_cose_id(-44, &a), FWT_OK);
	T_EQ_INT(a, FWT_DIGEST_SHA512);
	T_EQ_INT(fwt_digest_tcg_id(FWT_DIGEST_SHA256), 0x000b);
	T_EQ_INT(fwt_digest_from_tcg_id(0x0004, &a), FWT_OK);
	T_EQ_INT(a, FWT_DIGEST_SHA1);
	T_EQ_INT(fwt_digest_from_tcg_id(0x9999, &a), FWT_EUNSUPPORTED);
	T_EQ_STR(fwt_digest_tag(FWT_DIGEST_SHA384), "SHA384");
	T_EQ_INT(fwt_digest_size(FWT_DIGEST_SHA1), 20);
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 2;
	T_RUN(test_fips_vectors);
	T_RUN(test_million_a_threaded);
	T_RUN(test_threaded_equals_solo);
	T_RUN(test_streaming);
	T_RUN(test_streaming_all_algs);
	T_RUN(test_names_and_ids);
	fwt_ctx_free(ctx);
	return t_done();
}
