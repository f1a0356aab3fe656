/* SPDX-License-Identifier: Apache-2.0 */
/* ecfast.c - ECDSA P-521 verification with a table made for the key.
 *
 * A trust store verifies many reports with the same few keys.  OpenSSL's
 * verify (3.0) treats the key's point Q as new each time: u1*G + u2*Q costs
 * 521 doublings shared by both products, and s is inverted by a
 * constant-time exponentiation, which guards a secret when signing and
 * guards nothing when verifying (about a fifth of the verify).  Here the
 * key gets a second copy of the curve whose generator is Q, with the table
 * OpenSSL's P-521 code precomputes for a generator (about a third of one
 * verify, once per key): u2*Q then costs what u1*G does, and s is inverted
 * by Euclid's algorithm.  A verify takes about two thirds of the time.
 *
 * The equation and its checks are those of FIPS 186-5, 6.4.2 (as OpenSSL's
 * ossl_ecdsa_simple_verify_sig applies them), on OpenSSL's own arithmetic:
 * r and s in [1, n-1]; e the leftmost bits of the digest, as many as n has;
 * w = s^-1, u1 = e*w, u2 = r*w (mod n); R = u1*G + u2*Q, not the point at
 * infinity; valid when x(R) mod n = r.  Only public values are involved.
 */
/* EC_GROUP_precompute_mult: deprecated in OpenSSL 3.0, not removed */
#define OPENSSL_API_COMPAT 10101
#include <stdlib.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include "internal.h"
#include "ecfast.h"
#include "banned.h"

struct fwt__ecfast {
	OSSL_LIB_CTX *libctx; /* the library context of the key (lives as long as the process) */
	EC_GROUP *g; /* the curve with its generator G (OpenSSL's built-in table) */
	EC_GROUP *q; /* the same curve with the key's point Q as generator, and a table for it */
};

void fwt__ecfast_free(fwt__ecfast *f)
{
	if (!f)
		return;
	EC_GROUP_free(f->g);
	EC_GROUP_free(f->q);
	free(f);
}

fwt__ecfast *fwt__ecfast_new(OSSL_LIB_CTX *libctx, EVP_PKEY *pkey)
{
	unsigned char pub[1 + 2 * 66];
	size_t len = 0;
	fwt__ecfast *f = NULL;
	EC_POINT *q = NULL;
	BN_CTX *bc = NULL;
	int ok = 0;

	if (!pkey || !EVP_PKEY_is_a(pkey, "EC") ||
	    !EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub), &len) ||
	    !(f = calloc(1, sizeof(*f))))
		goto out;
	f->libctx = libctx;
	if (!(bc = BN_CTX_new_ex(libctx)) || !(f->g = EC_GROUP_new_by_curve_name_ex(libctx, NULL, NID_secp521r1)) ||
	    !(f->q = EC_GROUP_new_by_curve_name_ex(libctx, NULL, NID_secp521r1)) || !(q = EC_POINT_new(f->g)))
		goto out;
	/* the point decodes on P-521 only (the key is P-521 by its group), is
	 * not the point at infinity, and the cofactor is 1: Q has order n */
	if (EC_POINT_oct2point(f->g, q, pub, len, bc) != 1 || EC_POINT_is_at_infinity(f->g, q) ||
	    EC_POINT_is_on_curve(f->g, q, bc) != 1)
		goto out;
	ok = EC_GROUP_set_generator(f->q, q, EC_GROUP_get0_order(f->g), EC_GROUP_get0_cofactor(f->g)) == 1 &&
	     EC_GROUP_precompute_mult(f->q, bc) == 1;
out:
	EC_POINT_free(q);
	BN_CTX_free(bc);
	if (!ok) {
		fwt__ecfast_free(f);
		f = NULL;
	}
	return f;
}

int fwt__ecfast_verify(const fwt__ecfast *f, const unsigned char *dg, size_t dglen, const unsigned char *rb,
                       const unsigned char *sb, size_t n)
{
	const BIGNUM *order;
	BIGNUM *r, *s, *e, *w, *u1, *u2, *x;
	EC_POINT *p = NULL, *p2 = NULL;
	BN_CTX *bc;
	int bits, rc = -1;
	size_t take;

	if (!f || !dg || !rb || !sb || !n || !(bc = BN_CTX_new_ex(f->libctx)))
		return -1;
	BN_CTX_start(bc);
	r = BN_CTX_get(bc);
	s = BN_CTX_get(bc);
	e = BN_CTX_get(bc);
	w = BN_CTX_get(bc);
	u1 = BN_CTX_get(bc);
	u2 = BN_CTX_get(bc);
	x = BN_CTX_get(bc);
	order = EC_GROUP_get0_order(f->g);
	if (!x || !order || !BN_bin2bn(rb, (int)n, r) || !BN_bin2bn(sb, (int)n, s))
		goto out;
	/* the callers check the range already; a verifier checks it anyway */
	if (BN_is_zero(r) || BN_is_zero(s) || BN_cmp(r, order) >= 0 || BN_cmp(s, order) >= 0) {
		rc = 0;
		goto out;
	}
	bits = BN_num_bits(order);
	take = dglen * 8 > (size_t)bits ? ((size_t)bits + 7) / 8 : dglen;
	if (!BN_bin2bn(dg, (int)take, e) || (take * 8 > (size_t)bits && !BN_rshift(e, e, (int)(take * 8 - (size_t)bits))))
		goto out;
	if (!BN_mod_inverse(w, s, order, bc) || !BN_mod_mul(u1, e, w, order, bc) || !BN_mod_mul(u2, r, w, order, bc))
		goto out;
	if (!(p = EC_POINT_new(f->g)) || !(p2 = EC_POINT_new(f->g)) || !EC_POINT_mul(f->g, p, u1, NULL, NULL, bc) ||
	    !EC_POINT_mul(f->q, p2, u2, NULL, NULL, bc) || !EC_POINT_add(f->g, p, p, p2, bc))
		goto out;
	if (EC_POINT_is_at_infinity(f->g, p)) {
		rc = 0;
		goto out;
	}
	if (!EC_POINT_get_affine_coordinates(f->g, p, x, NULL, bc) || !BN_nnmod(x, x, order, bc))
		goto out;
	rc = BN_cmp(x, r) == 0;
out:
	EC_POINT_free(p);
	EC_POINT_free(p2);
	BN_CTX_end(bc);
	BN_CTX_free(bc);
	return rc;
}
