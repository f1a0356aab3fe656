/* SPDX-License-Identifier: Apache-2.0 */
/* internal.h - helpers shared by libfwtrail's modules; not installed. */
#ifndef FWT_INTERNAL_H
#define FWT_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <openssl/types.h>
#include <fwtrail/ctx.h>

#define FWT_FMT(a, b) __attribute__((format(printf, a, b)))
#define FWT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Record an error on ctx and return code.  The message is one line. */
fwt_err fwt__error(fwt_ctx *ctx, fwt_err code, const char *fmt, ...) FWT_FMT(3, 4);
/* The same, appending ": <reason>" from the OpenSSL error queue (which is
 * then cleared). */
fwt_err fwt__error_ossl(fwt_ctx *ctx, fwt_err code, const char *fmt, ...) FWT_FMT(3, 4);
/* Prefix the current message with "<prefix>: " (keeps the code).  Returns
 * the current code. */
fwt_err fwt__error_prefix(fwt_ctx *ctx, const char *fmt, ...) FWT_FMT(2, 3);
/* Copy the current code and message (thread-safe; errors may be set from
 * worker threads). */
void fwt__error_snapshot(fwt_ctx *ctx, fwt_err *code, char *buf, size_t len);
/* Out-of-memory shortcut. */
fwt_err fwt__enomem(fwt_ctx *ctx);
/* FWT_EINVAL for an options struct of a newer version than this library
 * knows: its new members would be ignored, and they may be the caller's
 * stricter checks. */
fwt_err fwt__opts_newer(fwt_ctx *ctx, const char *what, unsigned version, unsigned known);
/* The version an options struct is read as (the rule in fwtrail/fwtrail.h):
 * 0 (a zeroed struct) is current, 1..current as given; FWT_OK with *out
 * set, or fwt__opts_newer's FWT_EINVAL for a newer one.  Read a member only
 * when *out is at least the version that added it. */
fwt_err fwt__opts_version(fwt_ctx *ctx, const char *what, unsigned version, unsigned current, unsigned *out);
/* Log through the ctx callback. */
void fwt__log(fwt_ctx *ctx, fwt_log_level level, const char *fmt, ...) FWT_FMT(3, 4);
int fwt__log_enabled(const fwt_ctx *ctx, fwt_log_level level);

/* The OpenSSL library context and property query owned by ctx. */
/* A new context with parent's log level and threads, logging to log (none
 * when parent logs nowhere). */
fwt_err fwt__ctx_new_like(fwt_ctx *parent, fwt_log_fn log, void *payload, fwt_ctx **out);
OSSL_LIB_CTX *fwt__libctx(fwt_ctx *ctx);
const char *fwt__propq(fwt_ctx *ctx);

/* Inputs recorded on ctx (see fwt_ctx_add_input). */
int fwt__ctx_is_input(const fwt_ctx *ctx, dev_t dev, ino_t ino);
fwt_err fwt__ctx_add_input_id(fwt_ctx *ctx, dev_t dev, ino_t ino);
/* The regular file the caller's standard output is on (see
 * fwt_ctx_set_stdout_fd): set (have 0: none), and compared. */
void fwt__ctx_set_stdout_id(fwt_ctx *ctx, int have, dev_t dev, ino_t ino);
int fwt__ctx_is_stdout(const fwt_ctx *ctx, dev_t dev, ino_t ino);
/* The mode a new file gets: 0666 less the umask (read safely among threads). */
unsigned fwt__default_mode(void);
/* Warn (on ctx's log) when dir is writable by anyone without the sticky
 * bit: another user could replace a file written there (RELIABILITY O7). */
void fwt__warn_unsafe_dir(fwt_ctx *ctx, const char *dir);
/* The folder that holds path ("." or "/" at the ends), malloc'd; NULL when out of memory. */
char *fwt__dir_of(const char *path);
/* Record on to every input recorded on from (a helper thread's context). */
fwt_err fwt__ctx_copy_inputs(fwt_ctx *to, const fwt_ctx *from);

/* Quote a user value for a message: printable ASCII kept, everything else
 * as \xHH, truncated to max bytes with "..." (out must hold 4*max+8). */
void fwt__quote(char *out, size_t outlen, const char *in, size_t inlen);

/* A JSON string (jansson's json_t) for text that may not be UTF-8 (file
 * names, hostile labels): the text, or when it is not UTF-8 each byte
 * outside ASCII as U+FFFD; null for NULL, NULL when out of memory. */
struct json_t;
struct json_t *fwt__json_text(const char *s);

/* pthread_create for a worker, started on a CPU of its own when there is
 * one (slot 1 on the first CPU after the caller's, and so on): 0 or -1. */
int fwt__thread_start(pthread_t *tid, void *(*fn)(void *), void *arg, unsigned slot);

/* Open path for reading when it is a regular file (a sysfs or securityfs
 * attribute, say): opened without waiting, so a FIFO put in its place does
 * not block, and its type checked on the open descriptor rather than by a
 * stat of the name before (which a rename could change in between).  The
 * descriptor, in blocking mode; -1 with errno from open(2); or -2 when it is
 * open but no regular file (closed again). */
int fwt__open_regular(const char *path);

/* Overflow-checked size arithmetic: 0 on success. */
static inline int fwt__add_ovf(size_t a, size_t b, size_t *r) { return __builtin_add_overflow(a, b, r); }
static inline int fwt__mul_ovf(size_t a, size_t b, size_t *r) { return __builtin_mul_overflow(a, b, r); }

/* A growing text buffer (strbuf.c): p is NUL-terminated once anything was
 * added; after a failure oom is set and further adds do nothing.  Free p. */
struct fwt__sb {
	char *p;
	size_t len, cap;
	int oom;
};
void fwt__sb_add(struct fwt__sb *s, const void *p, size_t n);
void fwt__sb_str(struct fwt__sb *s, const char *str);
void fwt__sb_fmt(struct fwt__sb *s, const char *fmt, ...) FWT_FMT(2, 3);

/* strdup/strndup that never return NULL silently: they return NULL and the
 * caller maps to fwt__enomem. */
char *fwt__strndup(const char *s, size_t n);

/* 1 if s[0..n) holds a control character: C0 (below 0x20), DEL, or C1
 * (U+0080 to U+009F, in UTF-8 0xc2 0x80 to 0xc2 0x9f). */
int fwt__has_control(const unsigned char *s, size_t n);

#endif
