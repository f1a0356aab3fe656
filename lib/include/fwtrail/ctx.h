/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/ctx.h - the library context: crypto backend, logging, last error. */
#ifndef FWTRAIL_CTX_H
#define FWTRAIL_CTX_H

#include <fwtrail/err.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fwt_ctx fwt_ctx;

typedef enum fwt_log_level {
	FWT_LOG_ERROR = 0,
	FWT_LOG_WARN = 1,
	FWT_LOG_INFO = 2,
	FWT_LOG_DEBUG = 3
} fwt_log_level;

/* Log sink.  msg is one line without a trailing newline. */
typedef void (*fwt_log_fn)(void *payload, fwt_log_level level, const char *msg);

#define FWT_CTX_OPTIONS_VERSION 1
typedef struct fwt_ctx_options {
	unsigned version;       /* FWT_CTX_OPTIONS_VERSION */
	fwt_log_fn log;         /* NULL: no logging */
	void *log_payload;
	fwt_log_level log_level; /* messages above this level are dropped */
	unsigned threads;       /* worker threads for parallel work; 0: online CPUs */
} fwt_ctx_options;
#define FWT_CTX_OPTIONS_INIT { FWT_CTX_OPTIONS_VERSION, NULL, NULL, FWT_LOG_WARN, 0 }

/* Create a context.  opts may be NULL for the defaults. */
fwt_err fwt_ctx_new(fwt_ctx **out, const fwt_ctx_options *opts);
void fwt_ctx_free(fwt_ctx *ctx);

/* The message of the last failure on ctx ("" when none).  Borrowed; valid
 * until the next call that fails or clears it. */
const char *fwt_ctx_errmsg(const fwt_ctx *ctx);
/* The code of the last failure on ctx (FWT_OK when none). */
fwt_err fwt_ctx_errcode(const fwt_ctx *ctx);
void fwt_ctx_clear_error(fwt_ctx *ctx);

/* Number of worker threads parallel operations may use (>= 1). */
unsigned fwt_ctx_threads(const fwt_ctx *ctx);

/*
 * For a program whose only use of OpenSSL is libfwtrail, such as the
 * fwtrail command.  libfwtrail works in an OpenSSL library context of its
 * own, which never reads openssl.cnf; OpenSSL still reads that file for its
 * default context the first time anything touches it, at a cost of about a
 * millisecond a process.  After this call it does not.  The choice is
 * process-wide and cannot be undone: call it first, before any other
 * OpenSSL or libfwtrail call, and never from a program that uses OpenSSL's
 * default context itself, nor once a PKCS#11 module that does may be loaded
 * (their configuration would be ignored).  0, or -1
 * when OpenSSL could not be initialised.
 */
int fwt_standalone_init(void);

/* Library version string, e.g. "0.1.0". */
const char *fwt_version(void);

#ifdef __cplusplus
}
#endif
#endif
