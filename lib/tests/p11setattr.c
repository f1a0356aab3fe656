/* SPDX-License-Identifier: Apache-2.0 */
/* p11setattr.c - a test helper: change one attribute of one object on a
 * token, as anyone holding the user PIN can (RELIABILITY P: a token whose
 * objects were tampered with).
 *
 *   p11setattr MODULE.so TOKEN-LABEL PIN-FILE OBJECT-LABEL CLASS ATTR VALUE-FILE
 *
 * CLASS is "private" or "public"; ATTR is the attribute's number in hex
 * (129 for CKA_PUBLIC_KEY_INFO); the value is the file's bytes.  Exit 0
 * when the module accepted the change, 1 otherwise (with the CKR number).
 * Built by the bats tests: cc -o p11setattr p11setattr.c -ldl */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <p11-kit/pkcs11.h>

static int fail(const char *what, CK_RV rv)
{
	fprintf(stderr, "p11setattr: %s: 0x%lx\n", what, (unsigned long)rv);
	return 1;
}

static size_t slurp(const char *path, unsigned char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	static unsigned char value[65536];
	CK_C_GetFunctionList getfl;
	CK_FUNCTION_LIST_PTR f;
	CK_SLOT_ID slots[64];
	CK_ULONG nslots = 64, i, n = 0;
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE obj[2];
	CK_OBJECT_CLASS cls;
	CK_TOKEN_INFO ti;
	CK_ATTRIBUTE find[2], set;
	CK_RV rv;
	char pin[256], label[33];
	size_t vlen, plen;
	void *h;

	if (argc != 8) {
		fprintf(stderr, "usage: p11setattr MODULE TOKEN PIN-FILE OBJECT private|public ATTR-HEX VALUE-FILE\n");
		return 2;
	}
	cls = !strcmp(argv[5], "private") ? CKO_PRIVATE_KEY : CKO_PUBLIC_KEY;
	plen = slurp(argv[3], (unsigned char *)pin, sizeof(pin) - 1);
	while (plen && (pin[plen - 1] == '\n' || pin[plen - 1] == '\r'))
		plen--;
	vlen = slurp(argv[7], value, sizeof(value));
	h = dlopen(argv[1], RTLD_NOW);
	getfl = h ? (CK_C_GetFunctionList)dlsym(h, "C_GetFunctionList") : NULL;
	if (!getfl || getfl(&f) != CKR_OK || !plen || !vlen)
		return fail("cannot load the module, the PIN or the value", 0);
	if ((rv = f->C_Initialize(NULL)) != CKR_OK)
		return fail("C_Initialize", rv);
	if ((rv = f->C_GetSlotList(CK_TRUE, slots, &nslots)) != CKR_OK)
		return fail("C_GetSlotList", rv);
	for (i = 0; i < nslots; i++) {
		if (f->C_GetTokenInfo(slots[i], &ti) != CKR_OK)
			continue;
		memcpy(label, ti.label, 32);
		label[32] = '\0';
		for (n = 32; n && label[n - 1] == ' '; n--)
			label[n - 1] = '\0';
		if (!strcmp(label, argv[2]))
			break;
	}
	if (i == nslots)
		return fail("no such token", 0);
	if ((rv = f->C_OpenSession(slots[i], CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s)) != CKR_OK)
		return fail("C_OpenSession", rv);
	if ((rv = f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)pin, plen)) != CKR_OK)
		return fail("C_Login", rv);
	find[0] = (CK_ATTRIBUTE){ CKA_CLASS, &cls, sizeof(cls) };
	find[1] = (CK_ATTRIBUTE){ CKA_LABEL, argv[4], strlen(argv[4]) };
	if ((rv = f->C_FindObjectsInit(s, find, 2)) != CKR_OK || (rv = f->C_FindObjects(s, obj, 2, &n)) != CKR_OK)
		return fail("C_FindObjects", rv);
	f->C_FindObjectsFinal(s);
	if (n != 1)
		return fail("not exactly one such object", n);
	set = (CK_ATTRIBUTE){ strtoul(argv[6], NULL, 16), value, vlen };
	if ((rv = f->C_SetAttributeValue(s, obj[0], &set, 1)) != CKR_OK)
		return fail("C_SetAttributeValue", rv);
	f->C_Logout(s);
	f->C_CloseSession(s);
	f->C_Finalize(NULL);
	return 0;
}
