/* SPDX-License-Identifier: Apache-2.0 */
/* json.c - strict JSON loading: size and depth bounded before jansson sees
 * the text, duplicates and NULs refused, errors located by byte and path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/json.h>
#include "internal.h"
#include "banned.h"

#define PATH_FRAMES 64

/* Deepest nesting of arrays and objects in buf, outside strings; stops
 * counting once limit is passed and reports where (*at). */
static unsigned max_nesting(const unsigned char *p, size_t len, unsigned limit, size_t *at)
{
	unsigned depth = 0, deepest = 0;
	size_t i;
	int in_str = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = p[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > deepest) {
				deepest = depth;
				if (deepest > limit) {
					*at = i;
					return deepest;
				}
			}
		} else if ((c == '}' || c == ']') && depth) {
			depth--;
		}
	}
	return deepest;
}

struct frame {
	char type;       /* '{' or '[' */
	size_t kstart, klen;
	size_t idx;
	int in_value;
};

static int simple_key(const unsigned char *k, size_t n)
{
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= '0' && k[i] <= '9') ||
		      k[i] == '_' || k[i] == '-'))
			return 0;
	return 1;
}

static void append(char *out, size_t outlen, size_t *o, const char *s)
{
	size_t n = strlen(s);

	if (*o + n + 4 >= outlen) {
		if (*o + 4 < outlen) {
			memcpy(out + *o, "...", 4);
			*o += 3;
		}
		*o = outlen; /* full: stop appending */
		return;
	}
	memcpy(out + *o, s, n + 1);
	*o += n;
}

void fwt_json_path_at(const void *buf, size_t len, size_t offset, char *out, size_t outlen)
{
	const unsigned char *p = buf;
	struct frame st[PATH_FRAMES];
	size_t depth = 0, i, o = 0, lim = offset < len ? offset : len;
	char piece[160];

	if (!outlen)
		return;
	out[0] = '\0';
	append(out, outlen, &o, "$");
	for (i = 0; p && i < lim; i++) {
		unsigned char c = p[i];
		struct frame *top = depth && depth <= PATH_FRAMES ? &st[depth - 1] : NULL;
		if (c == '"') {
			size_t s = ++i;
			while (i < len && p[i] != '"') {
				if (p[i] == '\\')
					i++;
				i++;
			}
			if (top && top->type == '{' && !top->in_value) {
				top->kstart = s;
				top->klen = (i < len ? i : len) - s;
			}
		} else if (c == ':') {
			if (top && top->type == '{')
				top->in_value = 1;
		} else if (c == ',') {
			if (top && top->type == '{')
				top->in_value = 0;
			else if (top)
				top->idx++;
		} else if (c == '{' || c == '[') {
			if (depth < PATH_FRAMES) {
				st[depth].type = (char)c;
				st[depth].kstart = st[depth].klen = st[depth].idx = 0;
				st[depth].in_value = 0;
			}
			depth++;
		} else if ((c == '}' || c == ']') && depth) {
			depth--;
		}
	}
	for (i = 0; i < depth && i < PATH_FRAMES && o < outlen; i++) {
		if (st[i].type == '[') {
			snprintf(piece, sizeof(piece), "[%zu]", st[i].idx);
		} else if (st[i].in_value) {
			if (simple_key(p + st[i].kstart, st[i].klen)) {
				snprintf(piece, sizeof(piece), ".%.*s", (int)(st[i].klen > 120 ? 120 : st[i].klen),
				         (const char *)p + st[i].kstart);
			} else {
				char q[40 * 4 + 8];
				fwt__quote(q, sizeof(q), (const char *)p + st[i].kstart, st[i].klen);
				snprintf(piece, sizeof(piece), "[\"%s\"]", q);
			}
		} else {
			break;
		}
		append(out, outlen, &o, piece);
	}
}

const char *fwt_json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "real";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	case JSON_NULL: return "null";
	}
	return "unknown";
}

fwt_err fwt_json_parse(fwt_ctx *ctx, json_t **out, const void *buf, size_t len, const char *name,
                       const fwt_json_options *opts)
{
	fwt_json_options defaults = FWT_JSON_OPTIONS_INIT;
	size_t cap, at = 0;
	unsigned limit, ver;
	fwt_err err;
	json_error_t jerr;
	json_t *j;
	char path[256];

	if (!out || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to JSON parsing");
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if ((err = fwt__opts_version(ctx, "JSON", opts->version, FWT_JSON_OPTIONS_VERSION, &ver)))
		return err;
	if (!name)
		name = "JSON";
	cap = opts->max_size ? opts->max_size : FWT_JSON_MAX_SIZE_DEFAULT;
	limit = opts->max_depth ? opts->max_depth : FWT_JSON_MAX_DEPTH_DEFAULT;
	if (len > cap)
		return fwt__error(ctx, FWT_EFORMAT, "'%s' is larger than %zu bytes", name, cap);
	if (!len)
		return fwt__error(ctx, FWT_EFORMAT, "'%s' is empty", name);
	if (max_nesting(buf, len, limit, &at) > limit) {
		fwt_json_path_at(buf, len, at, path, sizeof(path));
		return fwt__error(ctx, FWT_EFORMAT, "'%s': JSON nested deeper than %u levels at byte %zu (%s)", name,
		                  limit, at, path);
	}
	/* never JSON_ALLOW_NUL, never JSON_DISABLE_EOF_CHECK, never JSON_DECODE_ANY */
	j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j) {
		size_t pos = jerr.position > 0 ? (size_t)jerr.position : 0;
		fwt_json_path_at(buf, len, pos, path, sizeof(path));
		return fwt__error(ctx, FWT_EFORMAT, "'%s': JSON error at byte %zu (%s): %s", name, pos, path,
		                  jerr.text);
	}
	if (!json_is_object(j) && !(opts->allow_array && json_is_array(j))) {
		fwt__error(ctx, FWT_EFORMAT, "'%s': the top-level JSON value is an %s, not an object%s", name,
		           fwt_json_type_name(j), opts->allow_array ? " or array" : "");
		json_decref(j);
		return FWT_EFORMAT;
	}
	*out = j;
	return FWT_OK;
}

fwt_err fwt_json_dump_compact(fwt_ctx *ctx, const json_t *v, char **out, size_t *len)
{
	const size_t flags = JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17);
	size_t n;
	char *s;

	if (!out || !v)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to JSON serialisation");
	*out = NULL;
	n = json_dumpb(v, NULL, 0, flags);
	if (!n)
		return fwt__error(ctx, FWT_EINTERNAL, "cannot serialise JSON");
	s = malloc(n + 1);
	if (!s)
		return fwt__enomem(ctx);
	if (json_dumpb(v, s, n, flags) != n) {
		free(s);
		return fwt__error(ctx, FWT_EINTERNAL, "cannot serialise JSON");
	}
	s[n] = '\0';
	*out = s;
	if (len)
		*len = n;
	return FWT_OK;
}

json_t *fwt__json_text(const char *s)
{
	json_t *j;
	size_t i, n, o = 0;
	char *b;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	/* not UTF-8: each byte outside ASCII becomes U+FFFD */
	n = strlen(s);
	if (fwt__mul_ovf(n, 3, &i) || !(b = malloc(3 * n + 1)))
		return NULL;
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x80) {
			b[o++] = s[i];
		} else {
			b[o++] = (char)0xef, b[o++] = (char)0xbf, b[o++] = (char)0xbd;
		}
	}
	j = json_stringn(b, o);
	free(b);
	return j;
}
