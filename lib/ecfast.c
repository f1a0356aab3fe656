/* SPDX-License-Identifier: Apache-2.0 */
/* ecfast.c - ECDSA P-384 and P-521 verification with a table made for the
 * key.
 *
 * A trust store verifies many reports with the same few keys, and a signer
 * checks each of its own signatures.  OpenSSL's verify (3.0) treats the
 * key's point Q as new each time, and inverts s by a constant-time
 * exponentiation, which guards a secret when signing and nothing when
 * verifying.  Here s is inverted by Euclid's algorithm, and the key gets a
 * table:
 *
 *  - for each curve, a second copy whose generator is Q, and for both
 *    copies the table OpenSSL precomputes for a generator (EC_GROUP_
 *    precompute_mult).  u1*G and u2*Q are then two fixed-base
 *    multiplications: on P-521 (OpenSSL's own code, which keeps a table
 *    for G already) of 130 doublings each instead of one of 521; on P-384
 *    (OpenSSL 3.0's generic code) of 8 doublings and table additions each
 *    instead of 384 doublings.  A verify takes about two thirds of
 *    OpenSSL's time on P-521 and under half of it on P-384.  The tables
 *    cost a third of a verify on P-521 and about five verifies on P-384
 *    (sig.c makes the P-384 one only for a key that keeps verifying).
 *
 * The equation and its checks are those of FIPS 186-5, 6.4.2 (as OpenSSL's
 * ossl_ecdsa_simple_verify_sig applies them), on OpenSSL's own arithmetic:
 * r and s in [1, n-1]; e the leftmost bits of the digest, as many as n has;
 * w = s^-1, u1 = e*w, u2 = r*w (mod n); R = u1*G + u2*Q, not the point at
 * infinity; valid when x(R) mod n = r.  Only public values are involved.
 */
/* EC_GROUP_precompute_mult, EC_POINTs_mul: deprecated in OpenSSL 3.0, not removed */
#define OPENSSL_API_COMPAT 10101
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include "internal.h"
#include "ecfast.h"
#include "banned.h"

struct fwt__ecfast {
	OSSL_LIB_CTX *libctx; /* the library context of the key (lives as long as the process) */
	int nid;              /* NID_secp521r1 or NID_secp384r1 */
	EC_GROUP *g;          /* the curve with its generator G (P-384: and a table for G) */
	EC_GROUP *q;          /* the same curve with Q as generator, and a table for Q */
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
	char group[32];
	size_t len = 0;
	fwt__ecfast *f = NULL;
	EC_POINT *q = NULL;
	BN_CTX *bc = NULL;
	int ok = 0, nid;

	if (!pkey || !EVP_PKEY_is_a(pkey, "EC") || !EVP_PKEY_get_group_name(pkey, group, sizeof(group), NULL) ||
	    !EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub), &len))
		return NULL;
	nid = !strcmp(group, "secp521r1") || !strcmp(group, "P-521")   ? NID_secp521r1
	      : !strcmp(group, "secp384r1") || !strcmp(group, "P-384") ? NID_secp384r1
	                                                               : NID_undef;
	if (nid == NID_undef || !(f = calloc(1, sizeof(*f))))
		return NULL;
	f->libctx = libctx;
	f->nid = nid;
	if (!(bc = BN_CTX_new_ex(libctx)) || !(f->g = EC_GROUP_new_by_curve_name_ex(libctx, NULL, nid)) ||
	    !(q = EC_POINT_new(f->g)))
		goto out;
	/* the point decodes on the key's curve only, is not the point at
	 * infinity, and the cofactor is 1: Q has order n */
	if (EC_POINT_oct2point(f->g, q, pub, len, bc) != 1 || EC_POINT_is_at_infinity(f->g, q) ||
	    EC_POINT_is_on_curve(f->g, q, bc) != 1)
		goto out;
	/* P-521's code has a table for its own G built in */
	ok = (nid == NID_secp521r1 || EC_GROUP_precompute_mult(f->g, bc) == 1) &&
	     (f->q = EC_GROUP_new_by_curve_name_ex(libctx, NULL, nid)) != NULL &&
	     EC_GROUP_set_generator(f->q, q, EC_GROUP_get0_order(f->g), EC_GROUP_get0_cofactor(f->g)) == 1 &&
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

/* u times grp's generator, on grp's table.  OpenSSL's generic code (P-384
 * in 3.0) multiplies a point alone by a constant-time ladder that never
 * reads a table, a guard for secret scalars; given a second term, here the
 * generator times zero, it takes the table.  P-521's own code reads its
 * table for the generator alone, and would do 521 doublings for a second
 * term. */
static int mul_gen(const fwt__ecfast *f, const EC_GROUP *grp, EC_POINT *r, const BIGNUM *u, BN_CTX *bc)
{
	const EC_POINT *pt[1];
	const BIGNUM *sc[1];
	BIGNUM *zero;

	if (f->nid == NID_secp521r1)
		return EC_POINT_mul(grp, r, u, NULL, NULL, bc) == 1;
	if (!(zero = BN_CTX_get(bc)))
		return 0;
	BN_zero(zero);
	pt[0] = EC_GROUP_get0_generator(grp);
	sc[0] = zero;
	return EC_POINTs_mul(grp, r, u, 1, pt, sc, bc) == 1;
}

/* R = u1*G + u2*Q on f's tables. */
static int sum(const fwt__ecfast *f, EC_POINT *r, const BIGNUM *u1, const BIGNUM *u2, BN_CTX *bc)
{
	EC_POINT *p2;
	int ok;

	if (!(p2 = EC_POINT_new(f->g)))
		return 0;
	/* a point of f->q is one of f->g: the same curve and field */
	ok = mul_gen(f, f->g, r, u1, bc) && mul_gen(f, f->q, p2, u2, bc) && EC_POINT_add(f->g, r, r, p2, bc) == 1;
	EC_POINT_free(p2);
	return ok;
}

int fwt__ecfast_verify(const fwt__ecfast *f, const unsigned char *dg, size_t dglen, const unsigned char *rb,
                       const unsigned char *sb, size_t n)
{
	const BIGNUM *order;
	BIGNUM *r, *s, *e, *w, *u1, *u2, *x;
	EC_POINT *p = NULL;
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
	if (!(p = EC_POINT_new(f->g)) || !sum(f, p, u1, u2, bc))
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
	BN_CTX_end(bc);
	BN_CTX_free(bc);
	return rc;
}
