/* SPDX-License-Identifier: Apache-2.0 */
/* bench_p11_loop.c - the reference for `make bench`: a bare C_Sign loop in
 * one session, the fastest one thread can sign with a PKCS#11 module.
 *
 *   bench_p11_loop MODULE.so TOKEN-LABEL KEY-LABEL PIN-FILE COUNT
 *
 * Loads the module directly, logs in once, signs COUNT distinct SHA-384
 * digests with CKM_ECDSA and prints the seconds the loop took (the set-up
 * is not counted).  Built by scripts/bench.d/20-sign.sh with cc. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/sha.h>
#include <p11-kit/pkcs11.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, CK_RV rv)
{
	fprintf(stderr, "bench_p11_loop: %s failed: 0x%lx\n", what, (unsigned long)rv);
	exit(1);
}

int main(int argc, char **argv)
{
	CK_C_GetFunctionList getfl;
	CK_FUNCTION_LIST_PTR f;
	CK_SLOT_ID slots[64];
	CK_ULONG nslots = 64, i, n, count;
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE tmpl[2];
	CK_MECHANISM mech = { CKM_ECDSA, NULL, 0 };
	CK_TOKEN_INFO ti;
	CK_RV rv;
	unsigned char digest[48], sig[256];
	char pin[256];
	double t0;
	void *h;
	FILE *pf;
	size_t tl;

	if (argc != 6) {
		fprintf(stderr, "usage: bench_p11_loop MODULE.so TOKEN-LABEL KEY-LABEL PIN-FILE COUNT\n");
		return 2;
	}
	count = strtoul(argv[5], NULL, 10);
	pf = fopen(argv[4], "r");
	if (!pf || !fgets(pin, sizeof(pin), pf))
		die("reading the PIN file", 0);
	fclose(pf);
	pin[strcspn(pin, "\r\n")] = 0;
	h = dlopen(argv[1], RTLD_NOW);
	if (!h || !(getfl = (CK_C_GetFunctionList)dlsym(h, "C_GetFunctionList")))
		die("loading the module", 0);
	if ((rv = getfl(&f)) != CKR_OK)
		die("C_GetFunctionList", rv);
	if ((rv = f->C_Initialize(NULL)) != CKR_OK)
		die("C_Initialize", rv);
	if ((rv = f->C_GetSlotList(CK_TRUE, slots, &nslots)) != CKR_OK)
		die("C_GetSlotList", rv);
	tl = strlen(argv[2]);
	for (i = 0; i < nslots; i++) {
		if (f->C_GetTokenInfo(slots[i], &ti) != CKR_OK)
			continue;
		if (tl <= 32 && !memcmp(ti.label, argv[2], tl) &&
		    (tl == 32 || ti.label[tl] == ' '))
			break;
	}
	if (i == nslots)
		die("finding the token", 0);
	if ((rv = f->C_OpenSession(slots[i], CKF_SERIAL_SESSION, NULL, NULL, &s)) != CKR_OK)
		die("C_OpenSession", rv);
	if ((rv = f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin))) != CKR_OK)
		die("C_Login", rv);
	tmpl[0] = (CK_ATTRIBUTE){ CKA_CLASS, &cls, sizeof(cls) };
	tmpl[1] = (CK_ATTRIBUTE){ CKA_LABEL, argv[3], strlen(argv[3]) };
	if ((rv = f->C_FindObjectsInit(s, tmpl, 2)) != CKR_OK)
		die("C_FindObjectsInit", rv);
	if ((rv = f->C_FindObjects(s, &key, 1, &n)) != CKR_OK || n != 1)
		die("finding the key", rv);
	f->C_FindObjectsFinal(s);

	t0 = now();
	for (i = 0; i < count; i++) {
		CK_ULONG siglen = sizeof(sig);
		char msg[32];
		snprintf(msg, sizeof(msg), "file %lu", (unsigned long)i);
		SHA384((const unsigned char *)msg, strlen(msg), digest);
		if ((rv = f->C_SignInit(s, &mech, key)) != CKR_OK)
			die("C_SignInit", rv);
		if ((rv = f->C_Sign(s, digest, sizeof(digest), sig, &siglen)) != CKR_OK)
			die("C_Sign", rv);
	}
	printf("%.6f\n", now() - t0);
	f->C_Logout(s);
	f->C_CloseSession(s);
	f->C_Finalize(NULL);
	return 0;
}
