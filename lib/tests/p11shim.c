/* SPDX-License-Identifier: Apache-2.0 */
/* p11shim.c - a fault-injecting PKCS#11 module for the tests (RELIABILITY
 * P9).  It loads a real module (P11SHIM_MODULE, default SoftHSM2), hands
 * out its function list with a few entries wrapped, and misbehaves on
 * demand:
 *
 *   P11SHIM_FAULT   comma-separated FUNC=ACTION[@N] rules; the rule applies
 *                   from the N-th call of FUNC on (default 1):
 *                     C_Initialize|C_Login|C_OpenSession|C_SignInit|C_Sign|
 *                     C_GenerateKeyPair=CKR_<NAME>
 *                     C_Sign=short:LEN    r||s with leading zero bytes dropped to LEN
 *                                         bytes (re-signs until that is possible)
 *                     C_Sign=truncate:LEN the first LEN bytes only (e.g. odd 131)
 *                     C_Sign=garbage      random bytes of the right length
 *                     C_Sign=corrupt      one bit flipped
 *                     C_Sign=empty        CKR_OK and zero bytes
 *                     C_GenerateKeyPair=session-objects  CKA_TOKEN false in both
 *                                         templates: a pair that vanishes with the
 *                                         session, as some tokens make
 *   P11SHIM_DELAY_MS  sleep this long in every C_Sign (a network HSM that
 *                     stopped answering)
 *   P11SHIM_DELAY_IN  comma-separated functions to sleep in instead:
 *                     C_Initialize, C_Login, C_OpenSession, C_Sign
 *   P11SHIM_TOKEN_FLAGS  comma-separated flags C_GetTokenInfo adds to the
 *                     token's: final-try, count-low, locked (the PIN
 *                     states a real token reports after failed logins)
 *   P11SHIM_USER_PIN  log the user in with this PIN, whatever PIN is given
 *                     (with C_Login=CKR_USER_ALREADY_LOGGED_IN: a token that
 *                     another application logged in, so the PIN given to
 *                     C_Login(CKU_USER) is never checked)
 *   P11SHIM_OPEN_TOKEN  the label of a token made to need no login: its
 *                     info has CKF_LOGIN_REQUIRED clear, and every session
 *                     opened on it is logged in at once with
 *                     P11SHIM_OPEN_PIN, so its private objects show to all
 *                     (SoftHSM2 has no such token; cards and HSMs may)
 *   P11SHIM_LOG       append one line per call of interest ("C_Sign", ...),
 *                     and "unload" when the shim's destructor runs (at
 *                     dlclose, or in exit()'s handlers)
 *
 * Built by the bats tests: cc -shared -fPIC -o p11shim.so p11shim.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <p11-kit/pkcs11.h>

static CK_FUNCTION_LIST real, shim;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long n_init, n_login, n_open, n_signinit, n_sign, n_gen;

static const struct {
	const char *name;
	CK_RV rv;
} rvs[] = {
	{ "CKR_GENERAL_ERROR", CKR_GENERAL_ERROR },
	{ "CKR_FUNCTION_FAILED", CKR_FUNCTION_FAILED },
	{ "CKR_DEVICE_ERROR", CKR_DEVICE_ERROR },
	{ "CKR_DEVICE_REMOVED", CKR_DEVICE_REMOVED },
	{ "CKR_TOKEN_NOT_PRESENT", CKR_TOKEN_NOT_PRESENT },
	{ "CKR_SESSION_HANDLE_INVALID", CKR_SESSION_HANDLE_INVALID },
	{ "CKR_SESSION_COUNT", CKR_SESSION_COUNT },
	{ "CKR_PIN_INCORRECT", CKR_PIN_INCORRECT },
	{ "CKR_PIN_LOCKED", CKR_PIN_LOCKED },
	{ "CKR_USER_ALREADY_LOGGED_IN", CKR_USER_ALREADY_LOGGED_IN },
	{ "CKR_USER_NOT_LOGGED_IN", CKR_USER_NOT_LOGGED_IN },
	{ "CKR_MECHANISM_INVALID", CKR_MECHANISM_INVALID },
	{ "CKR_MECHANISM_PARAM_INVALID", CKR_MECHANISM_PARAM_INVALID },
	{ "CKR_BUFFER_TOO_SMALL", CKR_BUFFER_TOO_SMALL },
	{ "CKR_OK", CKR_OK },
};

static void logcall(const char *what)
{
	const char *path = getenv("P11SHIM_LOG");
	FILE *f;

	if (!path)
		return;
	pthread_mutex_lock(&mu);
	f = fopen(path, "a");
	if (f) {
		fprintf(f, "%s\n", what);
		fclose(f);
	}
	pthread_mutex_unlock(&mu);
}

__attribute__((destructor)) static void shim_unload(void)
{
	logcall("unload");
}

/* The action of the rule for func at its n-th call, or NULL. */
static const char *rule(const char *func, unsigned long n)
{
	static __thread char act[64];
	const char *spec = getenv("P11SHIM_FAULT"), *p, *e, *at;
	size_t fl = strlen(func), al;

	for (p = spec; p && *p; p = e ? e + 1 : NULL) {
		e = strchr(p, ',');
		if (!strncmp(p, func, fl) && p[fl] == '=') {
			p += fl + 1;
			al = e ? (size_t)(e - p) : strlen(p);
			at = memchr(p, '@', al);
			if (at && n < strtoul(at + 1, NULL, 10))
				continue;
			if (at)
				al = (size_t)(at - p);
			if (al >= sizeof(act))
				al = sizeof(act) - 1;
			memcpy(act, p, al);
			act[al] = '\0';
			return act;
		}
	}
	return NULL;
}

/* CKR_ action as a code; -1 when the action is something else. */
static long rv_of(const char *act)
{
	size_t i;

	for (i = 0; act && i < sizeof(rvs) / sizeof(rvs[0]); i++)
		if (!strcmp(act, rvs[i].name))
			return (long)rvs[i].rv;
	return -1;
}

static unsigned long bump(unsigned long *c)
{
	return __atomic_add_fetch(c, 1, __ATOMIC_SEQ_CST);
}

/* Sleep P11SHIM_DELAY_MS when func is one to sleep in. */
static void delay(const char *func)
{
	const char *ms = getenv("P11SHIM_DELAY_MS"), *in = getenv("P11SHIM_DELAY_IN"), *p;
	size_t fl = strlen(func);
	int hit = 0;

	if (!ms)
		return;
	if (!in)
		hit = !strcmp(func, "C_Sign");
	for (p = in; p && *p && !hit; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		hit = !strncmp(p, func, fl) && (p[fl] == ',' || !p[fl]);
	if (hit) {
		struct timespec ts = { atol(ms) / 1000, (atol(ms) % 1000) * 1000000L };
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	}
}

static CK_RV w_Initialize(CK_VOID_PTR args)
{
	long rv = rv_of(rule("C_Initialize", bump(&n_init)));

	logcall("C_Initialize");
	delay("C_Initialize");
	if (rv >= 0)
		return (CK_RV)rv;
	return real.C_Initialize(args);
}

static CK_RV w_Finalize(CK_VOID_PTR r)
{
	logcall("C_Finalize");
	return real.C_Finalize(r);
}

/* Is slot's token the one P11SHIM_OPEN_TOKEN names (blank-padded label)? */
static int open_token(CK_SLOT_ID slot)
{
	const char *want = getenv("P11SHIM_OPEN_TOKEN");
	CK_TOKEN_INFO ti;
	size_t n, i;

	if (!want || real.C_GetTokenInfo(slot, &ti) != CKR_OK)
		return 0;
	n = strlen(want);
	if (n > sizeof(ti.label) || memcmp(ti.label, want, n))
		return 0;
	for (i = n; i < sizeof(ti.label); i++)
		if (ti.label[i] != ' ')
			return 0;
	return 1;
}

static CK_RV w_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info)
{
	const char *fl = getenv("P11SHIM_TOKEN_FLAGS");
	CK_RV r = real.C_GetTokenInfo(slot, info);

	if (r == CKR_OK && info && open_token(slot))
		info->flags &= ~(CK_FLAGS)CKF_LOGIN_REQUIRED;
	if (r == CKR_OK && info && fl) {
		if (strstr(fl, "final-try"))
			info->flags |= CKF_USER_PIN_FINAL_TRY;
		if (strstr(fl, "count-low"))
			info->flags |= CKF_USER_PIN_COUNT_LOW;
		if (strstr(fl, "locked"))
			info->flags |= CKF_USER_PIN_LOCKED;
	}
	return r;
}

static CK_RV w_Login(CK_SESSION_HANDLE s, CK_USER_TYPE u, CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
	long rv = rv_of(rule("C_Login", bump(&n_login)));
	CK_RV r;

	logcall(u == CKU_CONTEXT_SPECIFIC ? "C_Login CKU_CONTEXT_SPECIFIC" : u == CKU_SO ? "C_Login CKU_SO"
	                                                                                 : "C_Login CKU_USER");
	delay("C_Login");
	if (rv >= 0 && rv != (long)CKR_USER_ALREADY_LOGGED_IN)
		return (CK_RV)rv;
	/* a token another application logged in: the PIN given is never checked */
	if (u == CKU_USER && getenv("P11SHIM_USER_PIN")) {
		pin = (CK_UTF8CHAR_PTR)getenv("P11SHIM_USER_PIN");
		len = strlen((const char *)pin);
	}
	r = real.C_Login(s, u, pin, len);
	/* ALREADY_LOGGED_IN: log in for real, then say so */
	return rv == (long)CKR_USER_ALREADY_LOGGED_IN && r == CKR_OK ? CKR_USER_ALREADY_LOGGED_IN : r;
}

static CK_RV w_OpenSession(CK_SLOT_ID slot, CK_FLAGS fl, CK_VOID_PTR app, CK_NOTIFY n, CK_SESSION_HANDLE_PTR s)
{
	long rv = rv_of(rule("C_OpenSession", bump(&n_open)));

	logcall("C_OpenSession");
	delay("C_OpenSession");
	CK_RV r;

	if (rv >= 0)
		return (CK_RV)rv;
	r = real.C_OpenSession(slot, fl, app, n, s);
	/* the open token's sessions are logged in (ALREADY_LOGGED_IN after
	 * the first: the login state is the token's) */
	if (r == CKR_OK && open_token(slot) && getenv("P11SHIM_OPEN_PIN"))
		(void)real.C_Login(*s, CKU_USER, (CK_UTF8CHAR_PTR)getenv("P11SHIM_OPEN_PIN"),
		                   (CK_ULONG)strlen(getenv("P11SHIM_OPEN_PIN")));
	return r;
}

static CK_RV w_CloseSession(CK_SESSION_HANDLE s)
{
	logcall("C_CloseSession");
	return real.C_CloseSession(s);
}

/* the last C_SignInit of each session, to sign again for short:LEN */
static struct {
	CK_SESSION_HANDLE s;
	CK_MECHANISM m;
	CK_OBJECT_HANDLE key;
} inits[256];

static CK_RV w_SignInit(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key)
{
	long rv = rv_of(rule("C_SignInit", bump(&n_signinit)));

	logcall("C_SignInit");
	if (rv >= 0)
		return (CK_RV)rv;
	pthread_mutex_lock(&mu);
	inits[s % 256].s = s;
	inits[s % 256].m = *m;
	inits[s % 256].key = key;
	pthread_mutex_unlock(&mu);
	return real.C_SignInit(s, m, key);
}

static CK_RV w_Sign(CK_SESSION_HANDLE s, CK_BYTE_PTR data, CK_ULONG dlen, CK_BYTE_PTR sig, CK_ULONG_PTR slen)
{
	const char *act;
	unsigned char buf[1024];
	CK_ULONG len = sizeof(buf), want, i, half, drop;
	long rv;
	CK_RV r;
	int tries;

	if (!sig) /* a length query passes through */
		return real.C_Sign(s, data, dlen, sig, slen);
	act = rule("C_Sign", bump(&n_sign));
	logcall("C_Sign");
	delay("C_Sign");
	rv = rv_of(act);
	if (rv >= 0 && rv != (long)CKR_OK) {
		real.C_Sign(s, data, dlen, buf, &len); /* end the operation in the real module */
		return (CK_RV)rv;
	}
	r = real.C_Sign(s, data, dlen, buf, &len);
	if (r != CKR_OK || !act)
		goto copy;
	if (!strncmp(act, "short:", 6)) {
		want = strtoul(act + 6, NULL, 10);
		for (tries = 0; tries < 400; tries++) {
			half = len / 2;
			drop = (len - want) / 2;
			for (i = 0; i < drop && !buf[i] && !buf[half + i]; i++)
				;
			if (i == drop) {
				memmove(buf, buf + drop, half - drop);
				memmove(buf + half - drop, buf + half + drop, half - drop);
				len = want;
				break;
			}
			/* not possible with this signature: make another */
			len = sizeof(buf);
			pthread_mutex_lock(&mu);
			CK_MECHANISM m = inits[s % 256].m;
			CK_OBJECT_HANDLE key = inits[s % 256].key;
			pthread_mutex_unlock(&mu);
			if ((r = real.C_SignInit(s, &m, key)) != CKR_OK || (r = real.C_Sign(s, data, dlen, buf, &len)) != CKR_OK)
				return r;
		}
	} else if (!strncmp(act, "truncate:", 9)) {
		want = strtoul(act + 9, NULL, 10);
		if (want < len)
			len = want;
	} else if (!strcmp(act, "garbage")) {
		for (i = 0; i < len; i++)
			buf[i] = (unsigned char)(rand() & 0xff);
	} else if (!strcmp(act, "corrupt")) {
		buf[len / 3] ^= 0x01;
	} else if (!strcmp(act, "empty")) {
		len = 0;
	}
copy:
	if (r != CKR_OK)
		return r;
	if (*slen < len) {
		*slen = len;
		return CKR_BUFFER_TOO_SMALL;
	}
	memcpy(sig, buf, len);
	*slen = len;
	return CKR_OK;
}

/* A copy of template t (n attributes, at most 32) with CKA_TOKEN false. */
static int untoken(CK_ATTRIBUTE *out, const CK_ATTRIBUTE *t, CK_ULONG n)
{
	static CK_BBOOL no = CK_FALSE;
	CK_ULONG i;

	if (n > 32)
		return -1;
	for (i = 0; i < n; i++) {
		out[i] = t[i];
		if (t[i].type == CKA_TOKEN)
			out[i].pValue = &no;
	}
	return 0;
}

static CK_RV w_GenerateKeyPair(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_ATTRIBUTE_PTR pt, CK_ULONG pn,
                               CK_ATTRIBUTE_PTR vt, CK_ULONG vn, CK_OBJECT_HANDLE_PTR ph, CK_OBJECT_HANDLE_PTR vh)
{
	const char *act = rule("C_GenerateKeyPair", bump(&n_gen));
	CK_ATTRIBUTE pub[32], priv[32];
	long rv = rv_of(act);

	logcall("C_GenerateKeyPair");
	if (rv >= 0)
		return (CK_RV)rv;
	if (act && !strcmp(act, "session-objects")) {
		if (untoken(pub, pt, pn) || untoken(priv, vt, vn))
			return CKR_TEMPLATE_INCONSISTENT;
		return real.C_GenerateKeyPair(s, m, pub, pn, priv, vn, ph, vh);
	}
	return real.C_GenerateKeyPair(s, m, pt, pn, vt, vn, ph, vh);
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR out)
{
	const char *path = getenv("P11SHIM_MODULE");
	CK_C_GetFunctionList get;
	CK_FUNCTION_LIST_PTR fl;
	void *h;

	if (!out)
		return CKR_ARGUMENTS_BAD;
	h = dlopen(path ? path : "/usr/lib/softhsm/libsofthsm2.so", RTLD_NOW | RTLD_LOCAL);
	if (!h || !(get = (CK_C_GetFunctionList)dlsym(h, "C_GetFunctionList")) || get(&fl) != CKR_OK)
		return CKR_GENERAL_ERROR;
	real = *fl;
	shim = *fl;
	shim.C_Initialize = w_Initialize;
	shim.C_Finalize = w_Finalize;
	shim.C_GetTokenInfo = w_GetTokenInfo;
	shim.C_Login = w_Login;
	shim.C_OpenSession = w_OpenSession;
	shim.C_CloseSession = w_CloseSession;
	shim.C_SignInit = w_SignInit;
	shim.C_Sign = w_Sign;
	shim.C_GenerateKeyPair = w_GenerateKeyPair;
	*out = &shim;
	return CKR_OK;
}
