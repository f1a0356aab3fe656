/* SPDX-License-Identifier: Apache-2.0 */
/* ctx.c - the library context: OpenSSL library context, log sink, last
 * error, and the inputs of the current operation. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/provider.h>
#include <fwtrail/io.h>
#include "internal.h"
#include "banned.h"

#define FWT_ERRMSG_MAX 1024

struct input_id {
	dev_t dev;
	ino_t ino;
};

struct fwt_ctx {
	OSSL_LIB_CTX *libctx;   /* shared by every fwt_ctx of the process */
	fwt_log_fn log;
	void *log_payload;
	fwt_log_level log_level;
	unsigned threads;
	pthread_mutex_t errlock;  /* errors may be set from worker threads */
	fwt_err errcode;
	char errmsg[FWT_ERRMSG_MAX];
	struct input_id *inputs;
	size_t n_inputs, cap_inputs;
	struct input_id out;    /* the caller's standard output, when a regular file */
	int have_out;
};

/*
 * One OpenSSL library context for the whole process, made on first use:
 * libfwtrail stays out of OpenSSL's default context, and every fwt_ctx (one
 * per worker thread, often) shares the provider and its method caches
 * instead of paying for a fresh context and cold caches each time.  It is
 * never freed (it lives as long as the library is loaded).
 */
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;
static OSSL_LIB_CTX *shared_libctx;

static void shared_init(void)
{
	OSSL_LIB_CTX *lc = OSSL_LIB_CTX_new();

	if (lc && !OSSL_PROVIDER_load(lc, "default")) {
		OSSL_LIB_CTX_free(lc);
		lc = NULL;
	}
	shared_libctx = lc;
}

int fwt_standalone_init(void)
{
	return OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) == 1 ? 0 : -1;
}

const char *fwt_version(void)
{
	return FWT_VERSION;
}

fwt_err fwt_ctx_new(fwt_ctx **out, const fwt_ctx_options *opts)
{
	fwt_ctx_options defaults = FWT_CTX_OPTIONS_INIT;
	fwt_ctx *ctx;
	long n;

	if (!out)
		return FWT_EINVAL;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	/* no context yet to hold a message: the code alone */
	if (opts->version > FWT_CTX_OPTIONS_VERSION)
		return FWT_EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return FWT_ENOMEM;
	pthread_mutex_init(&ctx->errlock, NULL);
	ctx->log = opts->log;
	ctx->log_payload = opts->log_payload;
	ctx->log_level = opts->log_level;
	ctx->threads = opts->threads;
	if (!ctx->threads) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		ctx->threads = n > 0 ? (unsigned)n : 1;
	}
	pthread_once(&shared_once, shared_init);
	ctx->libctx = shared_libctx;
	if (!ctx->libctx)
		goto fail;
	*out = ctx;
	return FWT_OK;
fail:
	fwt_ctx_free(ctx);
	ERR_clear_error();
	return FWT_ECRYPTO;
}

fwt_err fwt__ctx_new_like(fwt_ctx *parent, fwt_log_fn log, void *payload, fwt_ctx **out)
{
	fwt_ctx_options o = FWT_CTX_OPTIONS_INIT;

	if (parent) {
		o.log_level = parent->log_level;
		o.threads = parent->threads;
	}
	o.log = parent && parent->log ? log : NULL;
	o.log_payload = payload;
	return fwt_ctx_new(out, &o);
}

void fwt_ctx_free(fwt_ctx *ctx)
{
	if (!ctx)
		return;
	pthread_mutex_destroy(&ctx->errlock);
	free(ctx->inputs);
	free(ctx);
}

const char *fwt_ctx_errmsg(const fwt_ctx *ctx)
{
	return ctx ? ctx->errmsg : "";
}

fwt_err fwt_ctx_errcode(const fwt_ctx *ctx)
{
	return ctx ? ctx->errcode : FWT_OK;
}

void fwt_ctx_clear_error(fwt_ctx *ctx)
{
	if (!ctx)
		return;
	pthread_mutex_lock(&ctx->errlock);
	ctx->errcode = FWT_OK;
	ctx->errmsg[0] = '\0';
	pthread_mutex_unlock(&ctx->errlock);
}

void fwt__error_snapshot(fwt_ctx *ctx, fwt_err *code, char *buf, size_t len)
{
	if (!ctx || !len)
		return;
	pthread_mutex_lock(&ctx->errlock);
	if (code)
		*code = ctx->errcode;
	snprintf(buf, len, "%s", ctx->errmsg);
	pthread_mutex_unlock(&ctx->errlock);
}

unsigned fwt_ctx_threads(const fwt_ctx *ctx)
{
	return ctx && ctx->threads ? ctx->threads : 1;
}

OSSL_LIB_CTX *fwt__libctx(fwt_ctx *ctx)
{
	return ctx ? ctx->libctx : NULL;
}

const char *fwt__propq(fwt_ctx *ctx)
{
	(void)ctx;
	return NULL;
}

/* Replace control characters so that a message stays one line. */
/* A message is one line: a control character in it (from a file name, a
 * label) is written as \xHH, as the CLI shows untrusted text, in place
 * and cut at the buffer's end rather than overflow it. */
static void one_line(char *s)
{
	char out[FWT_ERRMSG_MAX];
	size_t i, o = 0;
	int ctl = 0;

	for (i = 0; s[i]; i++)
		ctl |= (unsigned char)s[i] < 0x20 || s[i] == 0x7f;
	if (!ctl)
		return;
	for (i = 0; s[i] && o + 1 < sizeof(out); i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != 0x7f) {
			out[o++] = (char)c;
		} else if (o + 5 < sizeof(out)) {
			snprintf(out + o, 5, "\\x%02x", c);
			o += 4;
		} else {
			break;
		}
	}
	out[o] = '\0';
	memcpy(s, out, o + 1);
}

static fwt_err set_error_v(fwt_ctx *ctx, fwt_err code, const char *fmt, va_list ap)
{
	if (!ctx)
		return code;
	pthread_mutex_lock(&ctx->errlock);
	ctx->errcode = code;
	vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	one_line(ctx->errmsg);
	pthread_mutex_unlock(&ctx->errlock);
	return code;
}

fwt_err fwt__error(fwt_ctx *ctx, fwt_err code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_error_v(ctx, code, fmt, ap);
	va_end(ap);
	return code;
}

fwt_err fwt__opts_newer(fwt_ctx *ctx, const char *what, unsigned version, unsigned known)
{
	return fwt__error(ctx, FWT_EINVAL, "%s options version %u is newer than this library's (%u)", what, version,
	                  known);
}

fwt_err fwt__opts_version(fwt_ctx *ctx, const char *what, unsigned version, unsigned current, unsigned *out)
{
	if (version > current) {
		*out = 0;
		return fwt__opts_newer(ctx, what, version, current);
	}
	*out = version ? version : current;
	return FWT_OK;
}

fwt_err fwt__error_ossl(fwt_ctx *ctx, fwt_err code, const char *fmt, ...)
{
	va_list ap;
	unsigned long e, last = 0;
	size_t len;

	va_start(ap, fmt);
	set_error_v(ctx, code, fmt, ap);
	va_end(ap);
	/* the most specific reason is usually the first one queued */
	while ((e = ERR_get_error()) != 0)
		if (!last)
			last = e;
	if (ctx && last) {
		const char *reason = ERR_reason_error_string(last);
		pthread_mutex_lock(&ctx->errlock);
		len = strlen(ctx->errmsg);
		snprintf(ctx->errmsg + len, sizeof(ctx->errmsg) - len, ": %s",
		         reason ? reason : "OpenSSL error");
		one_line(ctx->errmsg);
		pthread_mutex_unlock(&ctx->errlock);
	}
	return code;
}

fwt_err fwt__error_prefix(fwt_ctx *ctx, const char *fmt, ...)
{
	char prefix[FWT_ERRMSG_MAX], joined[FWT_ERRMSG_MAX];
	va_list ap;

	if (!ctx)
		return FWT_EINTERNAL;
	fwt_err code;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&ctx->errlock);
	snprintf(joined, sizeof(joined), "%s: %s", prefix, ctx->errmsg);
	memcpy(ctx->errmsg, joined, sizeof(ctx->errmsg));
	one_line(ctx->errmsg);
	code = ctx->errcode;
	pthread_mutex_unlock(&ctx->errlock);
	return code;
}

fwt_err fwt__enomem(fwt_ctx *ctx)
{
	return fwt__error(ctx, FWT_ENOMEM, "out of memory");
}

int fwt__log_enabled(const fwt_ctx *ctx, fwt_log_level level)
{
	return ctx && ctx->log && level <= ctx->log_level;
}

void fwt__log(fwt_ctx *ctx, fwt_log_level level, const char *fmt, ...)
{
	char msg[FWT_ERRMSG_MAX];
	va_list ap;

	if (!fwt__log_enabled(ctx, level))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	one_line(msg);
	ctx->log(ctx->log_payload, level, msg);
}

int fwt__ctx_is_input(const fwt_ctx *ctx, dev_t dev, ino_t ino)
{
	size_t i;

	for (i = 0; ctx && i < ctx->n_inputs; i++)
		if (ctx->inputs[i].dev == dev && ctx->inputs[i].ino == ino)
			return 1;
	return 0;
}

fwt_err fwt__ctx_add_input_id(fwt_ctx *ctx, dev_t dev, ino_t ino)
{
	struct input_id *n;

	if (fwt__ctx_is_input(ctx, dev, ino))
		return FWT_OK;
	if (ctx->n_inputs == ctx->cap_inputs) {
		size_t cap = ctx->cap_inputs ? ctx->cap_inputs * 2 : 16;
		n = realloc(ctx->inputs, cap * sizeof(*n));
		if (!n)
			return fwt__enomem(ctx);
		ctx->inputs = n;
		ctx->cap_inputs = cap;
	}
	ctx->inputs[ctx->n_inputs].dev = dev;
	ctx->inputs[ctx->n_inputs].ino = ino;
	ctx->n_inputs++;
	return FWT_OK;
}

void fwt__ctx_set_stdout_id(fwt_ctx *ctx, int have, dev_t dev, ino_t ino)
{
	ctx->have_out = have;
	ctx->out.dev = dev;
	ctx->out.ino = ino;
}

int fwt__ctx_is_stdout(const fwt_ctx *ctx, dev_t dev, ino_t ino)
{
	return ctx && ctx->have_out && ctx->out.dev == dev && ctx->out.ino == ino;
}

fwt_err fwt__ctx_copy_inputs(fwt_ctx *to, const fwt_ctx *from)
{
	size_t i;
	fwt_err err = FWT_OK;

	for (i = 0; i < from->n_inputs && !err; i++)
		err = fwt__ctx_add_input_id(to, from->inputs[i].dev, from->inputs[i].ino);
	return err;
}

fwt_err fwt_ctx_add_input(fwt_ctx *ctx, const char *path)
{
	struct stat st;

	if (!ctx)
		return FWT_EINVAL;
	if (!path)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_ctx_add_input");
	if (stat(path, &st) == 0)
		return fwt__ctx_add_input_id(ctx, st.st_dev, st.st_ino);
	return FWT_OK;
}

void fwt__quote(char *out, size_t outlen, const char *in, size_t inlen)
{
	static const char hexd[] = "0123456789abcdef";
	size_t o = 0, i, max;

	if (!outlen)
		return;
	max = outlen > 8 ? (outlen - 8) / 4 : 0;
	for (i = 0; i < inlen && i < max; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hexd[c >> 4];
			out[o++] = hexd[c & 15];
		}
	}
	if (i < inlen) {
		out[o++] = '.';
		out[o++] = '.';
		out[o++] = '.';
	}
	out[o] = '\0';
}

char *fwt__strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
