/* SPDX-License-Identifier: Apache-2.0 */
/* cbor.c - strict, bounded CBOR over libcbor.
 *
 * Every input goes through walk(), an iterative, non-allocating pass over
 * the bytes that checks well-formedness (RFC 8949 Appendix F), that every
 * declared length and count fits in the bytes left, nesting depth, item
 * count, UTF-8, trailing bytes and, on request, indefinite lengths and
 * non-shortest encodings.  Only then does a second walk build a libcbor
 * tree, so no allocation ever follows a count the input does not hold.
 * The same walker drives the diagnostic-notation printer.  Trees are checked for
 * duplicate keys by comparing the deterministic encodings of the keys. */
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/cbor.h>
#include <fwtrail/hex.h>
#include "internal.h"
#include "cbor_internal.h"
#include "banned.h"

/* ---- floats (bit-exact, without libm) ---- */

static double bits_double(uint64_t u)
{
	double d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

static uint64_t double_bits(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	return u;
}

static double half_to_double(uint16_t h)
{
	uint64_t sign = (uint64_t)(h & 0x8000) << 48;
	unsigned e = (h >> 10) & 0x1f, m = h & 0x3ff;

	if (e == 0) /* zero and subnormals: m * 2^-24, exact */
		return (h & 0x8000 ? -1.0 : 1.0) * ((double)m / 16777216.0);
	if (e == 31)
		return bits_double(sign | 0x7ff0000000000000ull | ((uint64_t)m << 42));
	return bits_double(sign | ((uint64_t)(e - 15 + 1023) << 52) | ((uint64_t)m << 42));
}

/* The half-precision encoding of d when it holds d exactly (NaN: the
 * canonical quiet NaN). */
static int half_exact(double d, uint16_t *out)
{
	uint64_t u = double_bits(d), mant = u & 0xfffffffffffffull;
	uint16_t s = (uint16_t)((u >> 48) & 0x8000);
	int e = (int)((u >> 52) & 0x7ff);

	if (e == 0x7ff) {
		*out = mant ? 0x7e00 : (uint16_t)(s | 0x7c00);
		return 1;
	}
	if (e == 0) {
		*out = s;
		return mant == 0;
	}
	e -= 1023;
	if (e >= -14 && e <= 15) {
		if (mant & ((1ull << 42) - 1))
			return 0;
		*out = (uint16_t)(s | (unsigned)((e + 15) << 10) | (unsigned)(mant >> 42));
		return 1;
	}
	if (e >= -24 && e < -14) {
		uint64_t full = mant | (1ull << 52);
		unsigned shift = (unsigned)(28 - e);
		if (full & ((1ull << shift) - 1))
			return 0;
		*out = (uint16_t)(s | (unsigned)(full >> shift));
		return 1;
	}
	return 0;
}

static int float_exact(double d)
{
	return !isnan(d) && (isinf(d) || (d <= FLT_MAX && d >= -FLT_MAX && (double)(float)d == d));
}

/* ---- UTF-8 ---- */

static int utf8_valid(const unsigned char *p, size_t n)
{
	size_t i = 0, k, need;
	uint32_t cp;

	while (i < n) {
		unsigned char c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07;
		else
			return 0;
		if (n - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* ---- the walker ---- */

struct wframe {
	uint8_t major;   /* 2/3 (indefinite string), 4, 5, 6 */
	uint8_t indef;
	uint64_t left;   /* items still expected (definite) */
	uint64_t count;  /* items seen */
	size_t off;      /* where the container starts */
};

struct wev {
	unsigned major, ai;
	uint64_t val;        /* the head's argument */
	size_t off;          /* offset of the head */
	const unsigned char *data; /* definite strings */
	size_t dlen;
	int indef;
	unsigned depth;      /* open containers around this item */
	double dval;         /* floats */
};

struct walk;
typedef fwt_err (*walk_item_fn)(struct walk *w, const struct wev *ev);
typedef fwt_err (*walk_end_fn)(struct walk *w, const struct wframe *f, unsigned depth);

struct walk {
	fwt_ctx *ctx;
	const char *what;
	const unsigned char *buf;
	size_t len, pos;
	unsigned flags, max_depth;
	size_t max_items;
	size_t off0; /* where buf starts in the outermost input (embedded walks) */
	struct wframe st[FWT_CBOR_DEPTH_MAX];
	unsigned depth, deepest;
	size_t items;
	unsigned found;
	size_t simple_off;
	walk_item_fn on_item;
	walk_end_fn on_end;
	void *u;
};

static fwt_err bad(struct walk *w, size_t off, const char *fmt, ...) FWT_FMT(3, 4);
static fwt_err bad(struct walk *w, size_t off, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return fwt__error(w->ctx, FWT_EFORMAT, "malformed CBOR%s%s at byte %zu: %s", w->what ? " in " : "",
	                  w->what ? w->what : "", w->off0 + off, why);
}

static const char *major_name(unsigned m)
{
	static const char *const n[] = { "unsigned integer", "negative integer", "byte string", "text string",
		                         "array", "map", "tag", "simple value or float" };
	return n[m & 7];
}

static void walk_init(struct walk *w, fwt_ctx *ctx, const void *buf, size_t len, const fwt_cbor_options *o,
                      const char *what)
{
	memset(w, 0, sizeof(*w));
	w->ctx = ctx;
	w->what = what;
	w->buf = buf;
	w->len = len;
	w->flags = o ? o->flags : 0;
	w->max_depth = o && o->max_depth ? o->max_depth : FWT_CBOR_DEPTH_DEFAULT;
	if (w->max_depth > FWT_CBOR_DEPTH_MAX)
		w->max_depth = FWT_CBOR_DEPTH_MAX;
	w->max_items = o && o->max_items ? o->max_items : FWT_CBOR_ITEMS_DEFAULT;
}

static fwt_err end_frame(struct walk *w, const struct wframe *f)
{
	return w->on_end ? w->on_end(w, f, w->depth) : FWT_OK;
}

/* An item at the current depth is complete: count it in its parent and
 * close every definite container it completes. */
static fwt_err finish(struct walk *w, int *done)
{
	fwt_err err;

	for (;;) {
		struct wframe *f;
		if (w->depth == 0) {
			*done = 1;
			return FWT_OK;
		}
		f = &w->st[w->depth - 1];
		f->count++;
		if (f->indef || --f->left > 0)
			return FWT_OK;
		w->depth--;
		err = end_frame(w, f);
		if (err)
			return err;
	}
}

static fwt_err push(struct walk *w, const struct wev *ev, uint64_t left)
{
	struct wframe *f = &w->st[w->depth++]; /* depth checked by the caller */

	f->major = (uint8_t)ev->major;
	f->indef = (uint8_t)ev->indef;
	f->left = left;
	f->count = 0;
	f->off = ev->off;
	if (w->depth > w->deepest)
		w->deepest = w->depth;
	return FWT_OK;
}

static fwt_err walk_run(struct walk *w)
{
	const unsigned char *b = w->buf;
	int done = 0;
	fwt_err err;

	if (w->len == 0)
		return bad(w, 0, "no data");
	while (!done) {
		struct wev ev;
		size_t rest, n;
		unsigned ib;

		if (w->pos >= w->len) {
			const struct wframe *f = &w->st[w->depth - 1];
			return bad(w, w->pos, "input ends inside the %s%s that starts at byte %zu",
			           f->indef ? "indefinite-length " : "", major_name(f->major), f->off);
		}
		memset(&ev, 0, sizeof(ev));
		ev.off = w->pos;
		ev.depth = w->depth;
		ib = b[w->pos];
		ev.major = ib >> 5;
		ev.ai = ib & 31;
		/* the head */
		if (ev.ai < 24) {
			ev.val = ev.ai;
			w->pos++;
		} else if (ev.ai <= 27) {
			n = (size_t)1 << (ev.ai - 24);
			if (w->len - w->pos - 1 < n)
				return bad(w, ev.off, "input ends inside a head");
			for (size_t i = 1; i <= n; i++)
				ev.val = ev.val << 8 | b[w->pos + i];
			w->pos += 1 + n;
			if (ev.major != 7 &&
			    ((ev.ai == 24 && ev.val < 24) || (ev.ai == 25 && ev.val <= 0xff) ||
			     (ev.ai == 26 && ev.val <= 0xffff) || (ev.ai == 27 && ev.val <= 0xffffffffu))) {
				w->found |= FWT_CBOR_FOUND_NONSHORTEST;
				if (w->flags & FWT_CBOR_SHORTEST)
					return bad(w, ev.off, "%s head is not in its shortest form", major_name(ev.major));
			}
		} else if (ev.ai <= 30) {
			return bad(w, ev.off, "reserved additional information %u", ev.ai);
		} else {
			if (ev.major == 0 || ev.major == 1 || ev.major == 6)
				return bad(w, ev.off, "%s cannot have an indefinite length", major_name(ev.major));
			w->pos++;
			if (ev.major == 7) { /* break */
				struct wframe *f;
				if (w->depth == 0 || !w->st[w->depth - 1].indef)
					return bad(w, ev.off, "break outside an indefinite-length item");
				f = &w->st[w->depth - 1];
				if (f->major == 5 && (f->count & 1))
					return bad(w, ev.off, "map ends after a key, without its value");
				w->depth--;
				err = end_frame(w, f);
				if (!err)
					err = finish(w, &done);
				if (err)
					return err;
				continue;
			}
			ev.indef = 1;
			w->found |= FWT_CBOR_FOUND_INDEFINITE;
			if (w->flags & FWT_CBOR_NO_INDEFINITE)
				return bad(w, ev.off, "indefinite-length %s not allowed here", major_name(ev.major));
		}
		rest = w->len - w->pos;
		/* inside an indefinite-length string only definite chunks of its type */
		if (w->depth && w->st[w->depth - 1].indef && w->st[w->depth - 1].major <= 3 &&
		    (ev.major != w->st[w->depth - 1].major || ev.indef))
			return bad(w, ev.off, "chunk of an indefinite-length %s is a%s %s",
			           major_name(w->st[w->depth - 1].major), ev.indef ? "n indefinite-length" : "",
			           major_name(ev.major));
		if (++w->items > w->max_items)
			return bad(w, ev.off, "more than %zu data items", w->max_items);
		/* every array, map, tag and indefinite-length string is a level,
		 * empty or not, checked before any callback sees it */
		if ((ev.indef || ev.major == 4 || ev.major == 5 || ev.major == 6) && w->depth >= w->max_depth)
			return bad(w, ev.off, "nested deeper than %u levels", w->max_depth);
		switch (ev.major) {
		case 0:
		case 1:
			break;
		case 2:
		case 3:
			if (ev.indef)
				break;
			if (ev.val > rest)
				return bad(w, ev.off, "%s declares %" PRIu64 " bytes but only %zu remain",
				           major_name(ev.major), ev.val, rest);
			ev.data = b + w->pos;
			ev.dlen = (size_t)ev.val;
			if (ev.major == 3 && !utf8_valid(ev.data, ev.dlen))
				return bad(w, ev.off, "text string is not valid UTF-8");
			w->pos += ev.dlen;
			break;
		case 4:
			if (!ev.indef && ev.val > rest)
				return bad(w, ev.off, "array declares %" PRIu64 " items but only %zu bytes remain", ev.val,
				           rest);
			break;
		case 5:
			if (!ev.indef && ev.val > rest / 2)
				return bad(w, ev.off, "map declares %" PRIu64 " pairs but only %zu bytes remain", ev.val,
				           rest);
			break;
		case 6:
			/* a bignum (tags 2, 3) in preferred form (RFC 8949 3.4.3): never
			 * one an integer holds, nor with a leading zero byte, or the
			 * same number has two encodings (and one map two keys) */
			/* the self-describe tag means something only first (RFC 8949
			 * 3.4.6); anywhere else it is a second spelling of an item */
			if (ev.val == 55799 && ev.off != 0) {
				w->found |= FWT_CBOR_FOUND_NONSHORTEST;
				if (w->flags & FWT_CBOR_SHORTEST)
					return bad(w, ev.off, "self-describe tag 55799 inside an item");
			}
			if ((ev.val == 2 || ev.val == 3) && w->pos < w->len && (b[w->pos] >> 5) != 2) {
				w->found |= FWT_CBOR_FOUND_NONSHORTEST;
				if (w->flags & FWT_CBOR_SHORTEST)
					return bad(w, ev.off, "bignum (tag %" PRIu64 ") whose content is not a byte string",
					           ev.val);
			}
			if ((ev.val == 2 || ev.val == 3) && w->pos < w->len && (b[w->pos] >> 5) == 2 &&
			    (b[w->pos] & 31) <= 27) {
				size_t ai = b[w->pos] & 31, hl = ai < 24 ? 1 : 1 + ((size_t)1 << (ai - 24)), k;
				uint64_t blen = ai < 24 ? ai : 0;
				if (w->len - w->pos >= hl) {
					for (k = 1; k < hl; k++)
						blen = blen << 8 | b[w->pos + k];
					if (blen <= 8 || (w->len - w->pos - hl >= 1 && b[w->pos + hl] == 0)) {
						w->found |= FWT_CBOR_FOUND_NONSHORTEST;
						if (w->flags & FWT_CBOR_SHORTEST)
							return bad(w, ev.off, "bignum (tag %" PRIu64 ") %s", ev.val,
							           blen <= 8 ? "that an integer holds" : "with a leading zero byte");
					}
				}
			}
			break;
		case 7:
			if (ev.ai == 24 && ev.val < 32)
				return bad(w, ev.off, "simple value %" PRIu64 " in two bytes", ev.val);
			if (ev.ai == 25) {
				ev.dval = half_to_double((uint16_t)ev.val);
				if (isnan(ev.dval) && ev.val != 0x7e00)
					w->found |= FWT_CBOR_FOUND_FLOAT_WIDTH;
			} else if (ev.ai == 26) {
				uint32_t u = (uint32_t)ev.val;
				float fl;
				uint16_t h;
				memcpy(&fl, &u, sizeof(fl));
				ev.dval = fl;
				if (half_exact(ev.dval, &h))
					w->found |= FWT_CBOR_FOUND_FLOAT_WIDTH;
			} else if (ev.ai == 27) {
				uint64_t u = ev.val;
				uint16_t h;
				memcpy(&ev.dval, &u, sizeof(ev.dval));
				if (float_exact(ev.dval) || half_exact(ev.dval, &h))
					w->found |= FWT_CBOR_FOUND_FLOAT_WIDTH;
			} else if (ev.val < 20 || ev.val > 23) {
				if (!(w->found & FWT_CBOR_FOUND_SIMPLE))
					w->simple_off = ev.off;
				w->found |= FWT_CBOR_FOUND_SIMPLE;
			}
			if ((w->flags & FWT_CBOR_SHORTEST) && ev.ai >= 25 && ev.ai <= 27 &&
			    (w->found & FWT_CBOR_FOUND_FLOAT_WIDTH))
				return bad(w, ev.off, "float is wider than its value needs");
			break;
		}
		if (w->on_item) {
			err = w->on_item(w, &ev);
			if (err)
				return err;
		}
		if (ev.indef) {
			err = push(w, &ev, 0);
		} else if ((ev.major == 4 || ev.major == 5) && ev.val > 0) {
			err = push(w, &ev, ev.major == 5 ? ev.val * 2 : ev.val);
		} else if (ev.major == 6) {
			err = push(w, &ev, 1);
		} else {
			if (ev.major == 4 || ev.major == 5) { /* empty definite container */
				struct wframe f = { (uint8_t)ev.major, 0, 0, 0, ev.off };
				if (w->depth + 1 > w->deepest)
					w->deepest = w->depth + 1;
				err = end_frame(w, &f);
				if (err)
					return err;
			}
			err = finish(w, &done);
		}
		if (err)
			return err;
	}
	if (w->pos != w->len && !(w->flags & FWT_CBOR_TRAILING_OK))
		return bad(w, w->pos, "%zu unexpected bytes after the data item", w->len - w->pos);
	return FWT_OK;
}

static void fill_info(const struct walk *w, fwt_cbor_info *info)
{
	if (!info)
		return;
	info->size = w->pos;
	info->items = w->items;
	info->depth = w->deepest;
	info->found = w->found;
}

fwt_err fwt_cbor_check(fwt_ctx *ctx, const void *buf, size_t len, const fwt_cbor_options *o,
                       fwt_cbor_info *info)
{
	struct walk w;
	fwt_err err;

	if (!buf && len)
		return fwt__error(ctx, FWT_EINVAL, "no buffer");
	if (o && o->version > FWT_CBOR_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "CBOR", o->version, FWT_CBOR_OPTIONS_VERSION);
	walk_init(&w, ctx, buf, len, o, NULL);
	err = walk_run(&w);
	if (!err)
		fill_info(&w, info);
	return err;
}

/* ---- growing text buffer ---- */

/* ---- diagnostic notation ---- */

/* Shortest decimal that reads back as d, laid out as ECMAScript's
 * Number::toString does, with ".0" added so that it reads as a float
 * (RFC 8949 Appendix A's spellings). */
static void fmt_double(struct fwt__sb *s, double d)
{
	char tmp[40], digits[24];
	int prec, exp10, k, nd, i;
	char *e;

	if (isnan(d)) {
		fwt__sb_str(s, "NaN");
		return;
	}
	if (isinf(d)) {
		fwt__sb_str(s, d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (d == 0) {
		fwt__sb_str(s, signbit(d) ? "-0.0" : "0.0");
		return;
	}
	if (d < 0) {
		fwt__sb_str(s, "-");
		d = -d;
	}
	/* the shortest digit string that reads back as d: at each length, the
	 * correctly rounded one or its neighbour one unit above or below */
	nd = 0;
	exp10 = 0;
	for (prec = 1; prec <= 17 && !nd; prec++) {
		char base[24];
		int bexp, delta;
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
		for (i = k = 0; tmp[i] && tmp[i] != 'e'; i++)
			if (tmp[i] >= '0' && tmp[i] <= '9')
				base[k++] = tmp[i];
		base[k] = '\0';
		e = strchr(tmp, 'e');
		bexp = e ? atoi(e + 1) : 0;
		for (delta = 0; delta <= 2 && !nd; delta++) {
			char cand[24], num[48];
			int cexp = bexp, j;
			memcpy(cand, base, (size_t)k + 1);
			if (delta) { /* +1 then -1 in the last place */
				int carry = delta == 1 ? 1 : -1;
				for (j = k - 1; j >= 0 && carry; j--) {
					int v = cand[j] - '0' + carry;
					carry = v > 9 ? 1 : v < 0 ? -1 : 0;
					cand[j] = (char)('0' + (v + 10) % 10);
				}
				if (carry > 0) { /* 9.99 -> 10.0: one more decimal place */
					memmove(cand + 1, cand, (size_t)k);
					cand[0] = '1';
					cand[k] = '\0';
					cexp++;
				}
				if (carry < 0 || cand[0] == '0')
					continue;
			}
			snprintf(num, sizeof(num), "%c.%se%d", cand[0], cand + 1, cexp);
			if (strtod(num, NULL) == d) {
				memcpy(digits, cand, (size_t)k + 1);
				nd = k;
				exp10 = cexp;
			}
		}
	}
	if (!nd) { /* cannot happen: 17 digits always round-trip */
		snprintf(tmp, sizeof(tmp), "%.17g", d);
		fwt__sb_str(s, tmp);
		return;
	}
	while (nd > 1 && digits[nd - 1] == '0')
		digits[--nd] = '\0';
	k = exp10 + 1; /* digits before the decimal point */
	if (nd <= k && k <= 21) {
		fwt__sb_add(s, digits, (size_t)nd);
		for (i = nd; i < k; i++)
			fwt__sb_str(s, "0");
		fwt__sb_str(s, ".0");
	} else if (0 < k && k <= 21) {
		fwt__sb_add(s, digits, (size_t)k);
		fwt__sb_str(s, ".");
		fwt__sb_add(s, digits + k, (size_t)(nd - k));
	} else if (-6 < k && k <= 0) {
		fwt__sb_str(s, "0.");
		for (i = k; i < 0; i++)
			fwt__sb_str(s, "0");
		fwt__sb_add(s, digits, (size_t)nd);
	} else {
		fwt__sb_add(s, digits, 1);
		fwt__sb_str(s, ".");
		if (nd > 1)
			fwt__sb_add(s, digits + 1, (size_t)(nd - 1));
		else
			fwt__sb_str(s, "0");
		fwt__sb_fmt(s, "e%c%d", k - 1 < 0 ? '-' : '+', abs(k - 1));
	}
}

/* A JSON-style string literal, ASCII only (\uXXXX for the rest). */
static void fmt_text(struct fwt__sb *s, const unsigned char *p, size_t n)
{
	size_t i = 0;

	fwt__sb_str(s, "\"");
	while (i < n) {
		unsigned char c = p[i];
		uint32_t cp;
		size_t need, k;
		if (c == '"' || c == '\\') {
			fwt__sb_fmt(s, "\\%c", c);
			i++;
			continue;
		}
		if (c >= 0x20 && c < 0x7f) {
			fwt__sb_add(s, (const char *)&p[i], 1);
			i++;
			continue;
		}
		if (c < 0x80) {
			static const char esc[] = { 'b', 't', 'n', 0, 'f', 'r' };
			if (c >= 8 && c <= 13 && esc[c - 8])
				fwt__sb_fmt(s, "\\%c", esc[c - 8]);
			else
				fwt__sb_fmt(s, "\\u%04x", c);
			i++;
			continue;
		}
		/* valid UTF-8 (checked by the walk) */
		need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
		cp = c & (need == 1 ? 0x1f : need == 2 ? 0x0f : 0x07);
		for (k = 1; k <= need && i + k < n; k++)
			cp = cp << 6 | (p[i + k] & 0x3f);
		if (cp >= 0x10000) {
			cp -= 0x10000;
			fwt__sb_fmt(s, "\\u%04x\\u%04x", 0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
		} else {
			fwt__sb_fmt(s, "\\u%04x", cp);
		}
		i += need + 1;
	}
	fwt__sb_str(s, "\"");
}

static void fmt_hex(struct fwt__sb *s, const unsigned char *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	char pair[2];
	size_t i;

	fwt__sb_str(s, "h'");
	for (i = 0; i < n; i++) {
		pair[0] = hx[p[i] >> 4];
		pair[1] = hx[p[i] & 15];
		fwt__sb_add(s, pair, 2);
	}
	fwt__sb_str(s, "'");
}

static void fmt_negint(struct fwt__sb *s, uint64_t n)
{
	if (n == UINT64_MAX)
		fwt__sb_str(s, "-18446744073709551616");
	else
		fwt__sb_fmt(s, "-%" PRIu64, n + 1);
}

struct diag {
	struct fwt__sb *s;
	unsigned dflags;
	unsigned base;   /* indent levels of the enclosing item (embedded CBOR) */
};

static fwt_err diag_walk(fwt_ctx *ctx, const unsigned char *buf, size_t len, const fwt_cbor_options *o,
                         struct fwt__sb *s, unsigned dflags, unsigned base, struct walk *outer);

/* Arrays and maps open around the current item (tags do not indent). */
static unsigned diag_level(const struct walk *w)
{
	unsigned i, n = 0;

	for (i = 0; i < w->depth; i++)
		n += w->st[i].major == 4 || w->st[i].major == 5;
	return n;
}

static void diag_indent(struct diag *d, const struct walk *w)
{
	unsigned i;

	fwt__sb_str(d->s, "\n");
	for (i = 0; i < (d->base + diag_level(w)) * 2; i++)
		fwt__sb_str(d->s, " ");
}

/* A byte string that is one deterministic CBOR container: 1 when it is
 * (its items then count against the walk's budget as it is walked); -1
 * when it is, but nested deeper than the levels left to the walk around it
 * (the input is refused, as it is when parsed: never shown as hex
 * instead); 0 when it is no such container.  No count of items is asked
 * of it here (it cannot hold more items than bytes): a default would have
 * passed an over-budget container off as hex. */
static int embedded(const unsigned char *p, size_t n, unsigned depth_left)
{
	fwt_cbor_options o = FWT_CBOR_OPTIONS_INIT;
	fwt_cbor_info info;
	unsigned m;

	if (n < 2)
		return 0;
	m = p[0] >> 5;
	if (m != 4 && m != 5 && m != 6)
		return 0;
	o.flags = FWT_CBOR_NO_INDEFINITE | FWT_CBOR_SHORTEST;
	o.max_items = n;
	o.max_depth = depth_left;
	if (depth_left >= 1 && fwt_cbor_check(NULL, p, n, &o, &info) == FWT_OK)
		return !(info.found & (FWT_CBOR_FOUND_SIMPLE | FWT_CBOR_FOUND_FLOAT_WIDTH));
	o.max_depth = FWT_CBOR_DEPTH_MAX;
	if (fwt_cbor_check(NULL, p, n, &o, &info) != FWT_OK ||
	    (info.found & (FWT_CBOR_FOUND_SIMPLE | FWT_CBOR_FOUND_FLOAT_WIDTH)))
		return 0;
	return -1;
}

static fwt_err diag_item(struct walk *w, const struct wev *ev)
{
	struct diag *d = w->u;
	struct fwt__sb *s = d->s;
	int pretty = d->dflags & FWT_CBOR_DIAG_PRETTY, emb = 0;

	if (w->depth) {
		const struct wframe *f = &w->st[w->depth - 1];
		if (f->major == 5 && (f->count & 1)) {
			fwt__sb_str(s, ": ");
		} else if (f->major == 4 || f->major == 5) {
			if (f->count)
				fwt__sb_str(s, pretty ? "," : ", ");
			if (pretty)
				diag_indent(d, w);
		} else if (f->major <= 3 && f->count) {
			fwt__sb_str(s, ", ");
		}
	}
	switch (ev->major) {
	case 0:
		fwt__sb_fmt(s, "%" PRIu64, ev->val);
		break;
	case 1:
		fmt_negint(s, ev->val);
		break;
	case 2:
		if (ev->indef)
			fwt__sb_str(s, "(_ ");
		else if ((d->dflags & FWT_CBOR_DIAG_EMBEDDED) &&
		         (emb = embedded(ev->data, ev->dlen, w->max_depth - w->depth)) < 0)
			return bad(w, ev->off, "the CBOR embedded in this byte string is nested deeper than the %u levels "
			           "left to it (%u in all)", w->max_depth - w->depth, w->max_depth);
		else if (emb) {
			fwt_err err;
			fwt__sb_str(s, "<<");
			err = diag_walk(w->ctx, ev->data, ev->dlen, NULL, s, d->dflags, d->base + diag_level(w), w);
			if (err)
				return err;
			fwt__sb_str(s, ">>");
		} else {
			fmt_hex(s, ev->data, ev->dlen);
		}
		break;
	case 3:
		if (ev->indef)
			fwt__sb_str(s, "(_ ");
		else
			fmt_text(s, ev->data, ev->dlen);
		break;
	case 4:
		fwt__sb_str(s, ev->indef ? (pretty ? "[_" : "[_ ") : "[");
		break;
	case 5:
		fwt__sb_str(s, ev->indef ? (pretty ? "{_" : "{_ ") : "{");
		break;
	case 6:
		fwt__sb_fmt(s, "%" PRIu64 "(", ev->val);
		break;
	case 7:
		if (ev->ai >= 25 && ev->ai <= 27)
			fmt_double(s, ev->dval);
		else if (ev->val == 20)
			fwt__sb_str(s, "false");
		else if (ev->val == 21)
			fwt__sb_str(s, "true");
		else if (ev->val == 22)
			fwt__sb_str(s, "null");
		else if (ev->val == 23)
			fwt__sb_str(s, "undefined");
		else
			fwt__sb_fmt(s, "simple(%" PRIu64 ")", ev->val);
		break;
	}
	return s->oom ? FWT_ENOMEM : FWT_OK;
}

static fwt_err diag_end(struct walk *w, const struct wframe *f, unsigned depth)
{
	struct diag *d = w->u;

	(void)depth;
	if ((d->dflags & FWT_CBOR_DIAG_PRETTY) && (f->major == 4 || f->major == 5) && f->count)
		diag_indent(d, w);
	fwt__sb_str(d->s, f->major == 4 ? "]" : f->major == 5 ? "}" : ")");
	return d->s->oom ? FWT_ENOMEM : FWT_OK;
}

/* The item in buf as diagnostic notation.  An embedded item (outer: the
 * walk of the byte string holding it) gets the depth left to the outer
 * walk and shares its item budget, and its errors name bytes of the whole
 * input: nesting byte strings neither multiplies the work nor hides where
 * the input is wrong. */
static fwt_err diag_walk(fwt_ctx *ctx, const unsigned char *buf, size_t len, const fwt_cbor_options *o,
                         struct fwt__sb *s, unsigned dflags, unsigned base, struct walk *outer)
{
	struct walk w;
	struct diag d = { s, dflags, base };
	fwt_err err;

	walk_init(&w, ctx, buf, len, o, NULL);
	if (outer) {
		w.max_depth = outer->max_depth - outer->depth;
		w.max_items = outer->max_items;
		w.items = outer->items;
		w.off0 = outer->off0 + (size_t)(buf - outer->buf);
	}
	w.on_item = diag_item;
	w.on_end = diag_end;
	w.u = &d;
	err = walk_run(&w);
	if (outer)
		outer->items = w.items;
	return err;
}

fwt_err fwt_cbor_diag(fwt_ctx *ctx, const void *buf, size_t len, const fwt_cbor_options *o, unsigned dflags,
                      char **out)
{
	struct fwt__sb s = { NULL, 0, 0, 0 };
	fwt_err err;

	if (!out || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	if (o && o->version > FWT_CBOR_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "CBOR", o->version, FWT_CBOR_OPTIONS_VERSION);
	err = diag_walk(ctx, buf, len, o, &s, dflags, 0, NULL);
	if (!err && s.oom)
		err = fwt__enomem(ctx);
	if (err) {
		free(s.p);
		return err;
	}
	*out = s.p ? s.p : fwt__strndup("", 0);
	return *out ? FWT_OK : fwt__enomem(ctx);
}

/* ---- the encoder ---- */

static void enc_reserve(struct fwt__enc *e, size_t n)
{
	size_t cap;
	unsigned char *np;

	if (e->oom || e->cap - e->len >= n)
		return;
	cap = e->cap ? e->cap : 64;
	while (cap - e->len < n) {
		if (cap > SIZE_MAX / 2) {
			e->oom = 1;
			return;
		}
		cap *= 2;
	}
	np = realloc(e->p, cap);
	if (!np) {
		e->oom = 1;
		return;
	}
	e->p = np;
	e->cap = cap;
}

void fwt__enc_raw(struct fwt__enc *e, const void *p, size_t n)
{
	enc_reserve(e, n);
	if (e->oom || !n)
		return;
	memcpy(e->p + e->len, p, n);
	e->len += n;
}

void fwt__enc_head(struct fwt__enc *e, unsigned major, uint64_t v)
{
	unsigned char h[9];
	size_t n, i;

	major <<= 5;
	if (v < 24) {
		h[0] = (unsigned char)(major | v);
		n = 1;
	} else {
		unsigned ai = v <= 0xff ? 24 : v <= 0xffff ? 25 : v <= 0xffffffffu ? 26 : 27;
		n = (size_t)1 << (ai - 24);
		h[0] = (unsigned char)(major | ai);
		for (i = 0; i < n; i++)
			h[n - i] = (unsigned char)(v >> (8 * i));
		n++;
	}
	fwt__enc_raw(e, h, n);
}

void fwt__enc_int(struct fwt__enc *e, int64_t v)
{
	if (v >= 0)
		fwt__enc_head(e, 0, (uint64_t)v);
	else
		fwt__enc_head(e, 1, (uint64_t)(-(v + 1)));
}

void fwt__enc_bytes(struct fwt__enc *e, const void *p, size_t n)
{
	fwt__enc_head(e, 2, n);
	fwt__enc_raw(e, p, n);
}

void fwt__enc_text(struct fwt__enc *e, const char *s, size_t n)
{
	fwt__enc_head(e, 3, n);
	fwt__enc_raw(e, s, n);
}

void fwt__enc_free(struct fwt__enc *e)
{
	if (e) {
		free(e->p);
		memset(e, 0, sizeof(*e));
	}
}

static void enc_float(struct fwt__enc *e, double d)
{
	unsigned char b[9];
	uint16_t h;

	if (half_exact(d, &h)) {
		b[0] = 0xf9;
		b[1] = (unsigned char)(h >> 8);
		b[2] = (unsigned char)h;
		fwt__enc_raw(e, b, 3);
	} else if (float_exact(d)) {
		float f = (float)d;
		uint32_t u;
		memcpy(&u, &f, sizeof(u));
		b[0] = 0xfa;
		for (int i = 0; i < 4; i++)
			b[1 + i] = (unsigned char)(u >> (24 - 8 * i));
		fwt__enc_raw(e, b, 5);
	} else {
		uint64_t u;
		memcpy(&u, &d, sizeof(u));
		b[0] = 0xfb;
		for (int i = 0; i < 8; i++)
			b[1 + i] = (unsigned char)(u >> (56 - 8 * i));
		fwt__enc_raw(e, b, 9);
	}
}

struct span {
	size_t off, len;  /* key */
	size_t voff, vlen; /* value */
	const unsigned char *base;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->base + x->off, y->base + y->off, n);

	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static void str_concat(const cbor_item_t *it, struct fwt__enc *e)
{
	if (cbor_isa_bytestring(it)) {
		if (cbor_bytestring_is_definite(it)) {
			fwt__enc_raw(e, cbor_bytestring_handle(it), cbor_bytestring_length(it));
		} else {
			cbor_item_t **c = cbor_bytestring_chunks_handle(it);
			for (size_t i = 0; i < cbor_bytestring_chunk_count(it); i++)
				fwt__enc_raw(e, cbor_bytestring_handle(c[i]), cbor_bytestring_length(c[i]));
		}
	} else {
		if (cbor_string_is_definite(it)) {
			fwt__enc_raw(e, cbor_string_handle(it), cbor_string_length(it));
		} else {
			cbor_item_t **c = cbor_string_chunks_handle(it);
			for (size_t i = 0; i < cbor_string_chunk_count(it); i++)
				fwt__enc_raw(e, cbor_string_handle(c[i]), cbor_string_length(c[i]));
		}
	}
}

static fwt_err encode_map(fwt_ctx *ctx, const cbor_item_t *it, struct fwt__enc *e)
{
	size_t n = cbor_map_size(it), i;
	struct cbor_pair *h = cbor_map_handle(it);
	struct fwt__enc tmp = { NULL, 0, 0, 0 };
	struct span *sp = NULL;
	fwt_err err = FWT_OK;

	if (n && !(sp = calloc(n, sizeof(*sp))))
		return fwt__enomem(ctx);
	for (i = 0; i < n && !err; i++) {
		sp[i].off = tmp.len;
		err = fwt__cbor_encode(ctx, h[i].key, &tmp);
		sp[i].len = tmp.len - sp[i].off;
		sp[i].voff = tmp.len;
		if (!err)
			err = fwt__cbor_encode(ctx, h[i].value, &tmp);
		sp[i].vlen = tmp.len - sp[i].voff;
	}
	if (!err && tmp.oom)
		err = fwt__enomem(ctx);
	if (!err) {
		for (i = 0; i < n; i++)
			sp[i].base = tmp.p;
		if (n > 1)
			qsort(sp, n, sizeof(*sp), span_cmp);
		for (i = 1; i < n; i++)
			if (sp[i].len == sp[i - 1].len && !memcmp(tmp.p + sp[i].off, tmp.p + sp[i - 1].off, sp[i].len))
				err = fwt__error(ctx, FWT_EFORMAT, "duplicate map key");
	}
	if (!err) {
		fwt__enc_head(e, 5, n);
		for (i = 0; i < n; i++) {
			fwt__enc_raw(e, tmp.p + sp[i].off, sp[i].len);
			fwt__enc_raw(e, tmp.p + sp[i].voff, sp[i].vlen);
		}
	}
	free(sp);
	fwt__enc_free(&tmp);
	return err;
}

fwt_err fwt__cbor_encode(fwt_ctx *ctx, const cbor_item_t *it, struct fwt__enc *e)
{
	struct fwt__enc tmp = { NULL, 0, 0, 0 };
	fwt_err err = FWT_OK;
	size_t i;

	if (!it)
		return fwt__error(ctx, FWT_EINTERNAL, "no CBOR item to encode");
	switch (cbor_typeof(it)) {
	case CBOR_TYPE_UINT:
		fwt__enc_head(e, 0, cbor_get_int(it));
		break;
	case CBOR_TYPE_NEGINT:
		fwt__enc_head(e, 1, cbor_get_int(it));
		break;
	case CBOR_TYPE_BYTESTRING:
	case CBOR_TYPE_STRING:
		str_concat(it, &tmp);
		fwt__enc_head(e, cbor_isa_bytestring(it) ? 2 : 3, tmp.len);
		fwt__enc_raw(e, tmp.p, tmp.len);
		if (tmp.oom)
			e->oom = 1;
		fwt__enc_free(&tmp);
		break;
	case CBOR_TYPE_ARRAY:
		fwt__enc_head(e, 4, cbor_array_size(it));
		for (i = 0; i < cbor_array_size(it) && !err; i++)
			err = fwt__cbor_encode(ctx, cbor_array_handle(it)[i], e);
		break;
	case CBOR_TYPE_MAP:
		err = encode_map(ctx, it, e);
		break;
	case CBOR_TYPE_TAG:
		/* preferred serialization (RFC 8949 4.1, 3.4.3): the self-describe
		 * tag adds nothing, and a bignum an integer holds is that integer;
		 * a bignum of anything but a byte string has no encoding */
		if (cbor_tag_value(it) == 55799) {
			err = fwt__cbor_encode(ctx, it->metadata.tag_metadata.tagged_item, e);
			break;
		}
		if (cbor_tag_value(it) == 2 || cbor_tag_value(it) == 3) {
			const cbor_item_t *in = it->metadata.tag_metadata.tagged_item;
			const unsigned char *p;
			size_t n, z = 0;
			uint64_t v = 0;
			if (!cbor_isa_bytestring(in)) {
				err = fwt__error(ctx, FWT_EFORMAT, "a bignum (tag %" PRIu64 ") of something else than a "
				                 "byte string", cbor_tag_value(it));
				break;
			}
			str_concat(in, &tmp);
			if (tmp.oom) {
				e->oom = 1;
				fwt__enc_free(&tmp);
				break;
			}
			p = tmp.p;
			n = tmp.len;
			while (z < n && !p[z])
				z++;
			if (n - z <= 8) {
				for (; z < n; z++)
					v = v << 8 | p[z];
				fwt__enc_head(e, cbor_tag_value(it) == 2 ? 0 : 1, v);
			} else {
				fwt__enc_head(e, 6, cbor_tag_value(it));
				fwt__enc_head(e, 2, n - z);
				fwt__enc_raw(e, p + z, n - z);
			}
			fwt__enc_free(&tmp);
			break;
		}
		fwt__enc_head(e, 6, cbor_tag_value(it));
		err = fwt__cbor_encode(ctx, it->metadata.tag_metadata.tagged_item, e);
		break;
	case CBOR_TYPE_FLOAT_CTRL:
		if (cbor_float_get_width(it) == CBOR_FLOAT_0)
			fwt__enc_head(e, 7, cbor_ctrl_value(it));
		else
			enc_float(e, cbor_float_get_float(it));
		break;
	}
	if (!err && e->oom)
		err = fwt__enomem(ctx);
	return err;
}

fwt_err fwt__cbor_encode_alloc(fwt_ctx *ctx, const cbor_item_t *it, unsigned char **out, size_t *len)
{
	struct fwt__enc e = { NULL, 0, 0, 0 };
	fwt_err err = fwt__cbor_encode(ctx, it, &e);

	if (err) {
		fwt__enc_free(&e);
		return err;
	}
	*out = e.p;
	*len = e.len;
	return FWT_OK;
}

/* ---- decoding into trees ---- */

/* Build a libcbor tree from a walk that already passed: every container
 * is allocated with a count the input is known to hold.  (libcbor 0.8's
 * own cbor_load refuses one-byte tags 6-20, COSE's 16-18 among them, and
 * unassigned simple values, so it is not used.)  Indefinite-length strings
 * come out definite. */
struct bframe {
	cbor_item_t *item;       /* array, map or tag; NULL for a string being joined */
	cbor_item_t *key;        /* a map key waiting for its value */
	struct fwt__enc str;     /* chunks of an indefinite-length string */
};

struct build {
	struct bframe st[FWT_CBOR_DEPTH_MAX];
	unsigned depth;
	cbor_item_t *root;
	int oom;
};

static void attach(struct build *b, cbor_item_t *it)
{
	struct bframe *f;
	int ok = 1;

	if (!it) {
		b->oom = 1;
		return;
	}
	if (b->depth == 0) {
		b->root = it;
		return;
	}
	f = &b->st[b->depth - 1];
	if (cbor_isa_array(f->item)) {
		ok = cbor_array_push(f->item, it);
	} else if (cbor_isa_map(f->item)) {
		if (!f->key) {
			f->key = it;
			return;
		}
		ok = cbor_map_add(f->item, (struct cbor_pair){ .key = f->key, .value = it });
		cbor_decref(&f->key); /* only NULLs the pointer when it frees */
		f->key = NULL;
	} else {
		cbor_tag_set_item(f->item, it);
	}
	cbor_decref(&it);
	if (!ok)
		b->oom = 1;
}

static fwt_err build_item(struct walk *w, const struct wev *ev)
{
	struct build *b = w->u;
	cbor_item_t *it = NULL;

	if (b->oom)
		return fwt__enomem(w->ctx);
	if (b->depth && !b->st[b->depth - 1].item) { /* a chunk */
		fwt__enc_raw(&b->st[b->depth - 1].str, ev->data, ev->dlen);
		return FWT_OK;
	}
	switch (ev->major) {
	case 0:
		attach(b, cbor_build_uint64(ev->val));
		break;
	case 1:
		attach(b, cbor_build_negint64(ev->val));
		break;
	case 2:
	case 3:
		if (ev->indef) {
			memset(&b->st[b->depth++], 0, sizeof(struct bframe));
			break;
		}
		attach(b, ev->major == 2 ? cbor_build_bytestring(ev->dlen ? ev->data : (const unsigned char *)"", ev->dlen)
		                         : cbor_build_stringn(ev->dlen ? (const char *)ev->data : "", ev->dlen));
		break;
	case 4:
	case 5:
	case 6:
		if (ev->major == 4)
			it = ev->indef ? cbor_new_indefinite_array() : cbor_new_definite_array((size_t)ev->val);
		else if (ev->major == 5)
			it = ev->indef ? cbor_new_indefinite_map() : cbor_new_definite_map((size_t)ev->val);
		else
			it = cbor_new_tag(ev->val);
		if (!it) {
			b->oom = 1;
			break;
		}
		memset(&b->st[b->depth], 0, sizeof(struct bframe));
		b->st[b->depth++].item = it;
		break;
	case 7:
		if (ev->ai >= 25 && ev->ai <= 27)
			attach(b, cbor_build_float8(ev->dval));
		else
			attach(b, cbor_build_ctrl((uint8_t)ev->val));
		break;
	}
	return b->oom ? fwt__enomem(w->ctx) : FWT_OK;
}

static fwt_err build_end(struct walk *w, const struct wframe *f, unsigned depth)
{
	struct build *b = w->u;
	struct bframe *bf = &b->st[--b->depth];
	cbor_item_t *it;

	(void)depth;
	if (!bf->item) {
		const unsigned char *p = bf->str.p ? bf->str.p : (const unsigned char *)"";
		it = bf->str.oom ? NULL
		     : f->major == 2 ? cbor_build_bytestring(p, bf->str.len)
		                     : cbor_build_stringn((const char *)p, bf->str.len);
		fwt__enc_free(&bf->str);
	} else {
		it = bf->item;
	}
	bf->item = NULL;
	attach(b, it);
	return b->oom ? fwt__enomem(w->ctx) : FWT_OK;
}

static void build_free(struct build *b)
{
	while (b->depth) {
		struct bframe *f = &b->st[--b->depth];
		fwt__cb_free(f->item);
		fwt__cb_free(f->key);
		fwt__enc_free(&f->str);
	}
	fwt__cb_free(b->root);
	b->root = NULL;
}

/* A map key as the number or item it stands for, for the duplicate check
 * (RELIABILITY C5): the canonical encoding already drops the self-describe
 * tag 55799 and writes a bignum an integer holds as that integer; a float
 * of an integral value is that integer too, so that 2, 55799(2), 2(h'02')
 * and 2.0 are one key, as other decoders read them. */
static fwt_err key_encode(fwt_ctx *ctx, const cbor_item_t *k, struct fwt__enc *e)
{
	while (cbor_isa_tag(k) && cbor_tag_value(k) == 55799)
		k = k->metadata.tag_metadata.tagged_item;
	/* keys other decoders compare with numbers in ways too many to fold
	 * (true == 1, 4([0, 4]) == 4): refused, no key of a signed format is one */
	if ((cbor_isa_float_ctrl(k) && cbor_float_ctrl_is_ctrl(k)) ||
	    (cbor_isa_tag(k) && (cbor_tag_value(k) == 4 || cbor_tag_value(k) == 5)))
		return fwt__error(ctx, FWT_EFORMAT, "a map key that is a %s (decoders compare it with numbers)",
		                  cbor_isa_tag(k) ? "decimal fraction or bigfloat" : "simple value");
	if (cbor_isa_float_ctrl(k) && !cbor_float_ctrl_is_ctrl(k)) {
		double d = cbor_float_get_float(k);
		if (d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
			fwt__enc_int(e, (int64_t)d);
			return FWT_OK;
		}
		if (d == floor(d) && d >= 0 && d < 18446744073709551616.0) {
			fwt__enc_head(e, 0, (uint64_t)d);
			return FWT_OK;
		}
	}
	return fwt__cbor_encode(ctx, k, e);
}

/* Duplicate keys anywhere (FWT_EFORMAT); unsorted maps noted in *found. */
static fwt_err check_keys(fwt_ctx *ctx, const cbor_item_t *it, unsigned *found)
{
	fwt_err err = FWT_OK;
	size_t i, n;

	switch (cbor_typeof(it)) {
	case CBOR_TYPE_ARRAY:
		for (i = 0; i < cbor_array_size(it) && !err; i++)
			err = check_keys(ctx, cbor_array_handle(it)[i], found);
		return err;
	case CBOR_TYPE_TAG:
		return check_keys(ctx, it->metadata.tag_metadata.tagged_item, found);
	case CBOR_TYPE_MAP:
		break;
	default:
		return FWT_OK;
	}
	n = cbor_map_size(it);
	if (n > 1) {
		struct fwt__enc keys = { NULL, 0, 0, 0 }, enc = { NULL, 0, 0, 0 };
		struct span *sp = calloc(n, sizeof(*sp)), *so = calloc(n, sizeof(*so));
		if (!sp || !so) {
			free(sp);
			free(so);
			return fwt__enomem(ctx);
		}
		/* the order is the encoding's (as fwt_cbor_canonical writes it);
		 * sameness is the number a key stands for (key_encode) */
		for (i = 0; i < n && !err; i++) {
			sp[i].off = keys.len;
			err = key_encode(ctx, cbor_map_handle(it)[i].key, &keys);
			sp[i].len = keys.len - sp[i].off;
			so[i].off = enc.len;
			if (!err)
				err = fwt__cbor_encode(ctx, cbor_map_handle(it)[i].key, &enc);
			so[i].len = enc.len - so[i].off;
		}
		if (!err && (keys.oom || enc.oom))
			err = fwt__enomem(ctx);
		if (!err) {
			for (i = 0; i < n; i++)
				sp[i].base = keys.p, so[i].base = enc.p;
			for (i = 1; i < n; i++)
				if (span_cmp(&so[i - 1], &so[i]) >= 0)
					*found |= FWT_CBOR_FOUND_UNSORTED;
			qsort(sp, n, sizeof(*sp), span_cmp);
			for (i = 1; i < n && !err; i++)
				if (!span_cmp(&sp[i - 1], &sp[i])) {
					char *kd = NULL;
					fwt_cbor_diag(NULL, keys.p + sp[i].off, sp[i].len, NULL, 0, &kd);
					err = fwt__error(ctx, FWT_EFORMAT, "duplicate map key %.64s", kd ? kd : "");
					free(kd);
				}
		}
		free(sp);
		free(so);
		fwt__enc_free(&keys);
		fwt__enc_free(&enc);
	}
	for (i = 0; i < n && !err; i++) {
		err = check_keys(ctx, cbor_map_handle(it)[i].key, found);
		if (!err)
			err = check_keys(ctx, cbor_map_handle(it)[i].value, found);
	}
	return err;
}

fwt_err fwt__cbor_decode(fwt_ctx *ctx, const void *buf, size_t len, const fwt_cbor_options *o,
                         const char *what, cbor_item_t **out, fwt_cbor_info *info)
{
	struct walk w;
	cbor_item_t *it;
	fwt_err err;

	*out = NULL;
	if (!buf && len)
		return fwt__error(ctx, FWT_EINVAL, "no buffer");
	walk_init(&w, ctx, buf, len, o, what);
	err = walk_run(&w);
	if (err)
		return err;
	{
		struct walk bw;
		struct build b;
		memset(&b, 0, sizeof(b));
		walk_init(&bw, ctx, buf, w.pos, o, what);
		bw.on_item = build_item;
		bw.on_end = build_end;
		bw.u = &b;
		err = walk_run(&bw);
		if (err) {
			build_free(&b);
			return err;
		}
		it = b.root;
	}
	err = check_keys(ctx, it, &w.found);
	if (!err && (w.found & FWT_CBOR_FOUND_UNSORTED) && o && (o->flags & FWT_CBOR_SORTED))
		err = fwt__error(ctx, FWT_EFORMAT, "map keys are not in deterministic order");
	if (err) {
		cbor_decref(&it);
		if (what)
			fwt__error_prefix(ctx, "%s", what);
		return err;
	}
	fill_info(&w, info);
	*out = it;
	return FWT_OK;
}

/* ---- accessors ---- */

int fwt__cbor_uint(const cbor_item_t *it, uint64_t *v)
{
	if (!it || !cbor_isa_uint(it))
		return 0;
	*v = cbor_get_int(it);
	return 1;
}

int fwt__cbor_int(const cbor_item_t *it, int64_t *v)
{
	uint64_t u;

	if (!it || !cbor_is_int(it))
		return 0;
	u = cbor_get_int(it);
	if (u > INT64_MAX)
		return 0;
	*v = cbor_isa_uint(it) ? (int64_t)u : -1 - (int64_t)u;
	return 1;
}

int fwt__cbor_bytes(const cbor_item_t *it, const unsigned char **p, size_t *n)
{
	if (!it || !cbor_isa_bytestring(it) || !cbor_bytestring_is_definite(it))
		return 0;
	*p = cbor_bytestring_handle(it);
	*n = cbor_bytestring_length(it);
	if (!*p)
		*p = (const unsigned char *)"";
	return 1;
}

int fwt__cbor_text(const cbor_item_t *it, const char **p, size_t *n)
{
	if (!it || !cbor_isa_string(it) || !cbor_string_is_definite(it))
		return 0;
	*p = (const char *)cbor_string_handle(it);
	*n = cbor_string_length(it);
	if (!*p)
		*p = "";
	return 1;
}

int fwt__cbor_bool(const cbor_item_t *it, int *v)
{
	if (!it || !cbor_isa_float_ctrl(it) || cbor_float_get_width(it) != CBOR_FLOAT_0)
		return 0;
	if (cbor_ctrl_value(it) != CBOR_CTRL_TRUE && cbor_ctrl_value(it) != CBOR_CTRL_FALSE)
		return 0;
	*v = cbor_ctrl_value(it) == CBOR_CTRL_TRUE;
	return 1;
}

int fwt__cbor_is_null(const cbor_item_t *it)
{
	return it && cbor_isa_float_ctrl(it) && cbor_float_get_width(it) == CBOR_FLOAT_0 &&
	       cbor_ctrl_value(it) == CBOR_CTRL_NULL;
}

int fwt__cbor_tag(const cbor_item_t *it, uint64_t *tag, cbor_item_t **content)
{
	if (!it || !cbor_isa_tag(it))
		return 0;
	if (tag)
		*tag = cbor_tag_value(it);
	if (content)
		*content = it->metadata.tag_metadata.tagged_item;
	return 1;
}

cbor_item_t *fwt__cbor_at(const cbor_item_t *arr, size_t i)
{
	if (!arr || !cbor_isa_array(arr) || i >= cbor_array_size(arr))
		return NULL;
	return cbor_array_handle(arr)[i];
}

size_t fwt__cbor_len(const cbor_item_t *it)
{
	if (!it)
		return 0;
	if (cbor_isa_array(it))
		return cbor_array_size(it);
	if (cbor_isa_map(it))
		return cbor_map_size(it);
	return 0;
}

cbor_item_t *fwt__cbor_get(const cbor_item_t *map, int64_t label)
{
	size_t i;
	int64_t v;

	if (!map || !cbor_isa_map(map))
		return NULL;
	for (i = 0; i < cbor_map_size(map); i++)
		if (fwt__cbor_int(cbor_map_handle(map)[i].key, &v) && v == label)
			return cbor_map_handle(map)[i].value;
	return NULL;
}

cbor_item_t *fwt__cbor_key(const cbor_item_t *map, size_t i)
{
	return map && cbor_isa_map(map) && i < cbor_map_size(map) ? cbor_map_handle(map)[i].key : NULL;
}

cbor_item_t *fwt__cbor_val(const cbor_item_t *map, size_t i)
{
	return map && cbor_isa_map(map) && i < cbor_map_size(map) ? cbor_map_handle(map)[i].value : NULL;
}

/* ---- builders ---- */

cbor_item_t *fwt__cb_map(void) { return cbor_new_indefinite_map(); }
cbor_item_t *fwt__cb_array(void) { return cbor_new_indefinite_array(); }
cbor_item_t *fwt__cb_uint(uint64_t v) { return cbor_build_uint64(v); }
cbor_item_t *fwt__cb_bool(int v) { return cbor_build_bool(v != 0); }

cbor_item_t *fwt__cb_int(int64_t v)
{
	return v >= 0 ? cbor_build_uint64((uint64_t)v) : cbor_build_negint64((uint64_t)(-(v + 1)));
}

cbor_item_t *fwt__cb_bytes(const void *p, size_t n)
{
	return cbor_build_bytestring(n ? p : (const void *)"", n);
}

cbor_item_t *fwt__cb_text(const char *s, size_t n)
{
	if (!s)
		return NULL;
	if (n == (size_t)-1)
		n = strlen(s);
	return cbor_build_stringn(s, n);
}

cbor_item_t *fwt__cb_tag(uint64_t tag, cbor_item_t *content)
{
	cbor_item_t *t;

	if (!content)
		return NULL;
	t = cbor_new_tag(tag);
	if (t)
		cbor_tag_set_item(t, content);
	cbor_decref(&content);
	return t;
}

void fwt__cb_free(cbor_item_t *it)
{
	if (it)
		cbor_decref(&it);
}

int fwt__cb_put(cbor_item_t *map, cbor_item_t *key, cbor_item_t *val)
{
	int ok = map && key && val && cbor_map_add(map, (struct cbor_pair){ .key = key, .value = val });

	fwt__cb_free(key);
	fwt__cb_free(val);
	return ok;
}

int fwt__cb_puti(cbor_item_t *map, int64_t key, cbor_item_t *val)
{
	return fwt__cb_put(map, fwt__cb_int(key), val);
}

int fwt__cb_push(cbor_item_t *arr, cbor_item_t *val)
{
	int ok = arr && val && cbor_array_push(arr, val);

	fwt__cb_free(val);
	return ok;
}

/* ---- JSON ---- */

json_t *fwt__json_u64(uint64_t v)
{
	char tmp[24];

	if (v <= INT64_MAX)
		return json_integer((json_int_t)v);
	snprintf(tmp, sizeof(tmp), "%" PRIu64, v);
	return json_string(tmp);
}

static json_t *neg_json(uint64_t n)
{
	struct fwt__sb s = { NULL, 0, 0, 0 };
	json_t *j;

	if (n <= INT64_MAX)
		return json_integer(-1 - (json_int_t)n);
	fmt_negint(&s, n);
	j = s.p ? json_string(s.p) : NULL;
	free(s.p);
	return j;
}

static char *key_text(const cbor_item_t *k)
{
	const char *p;
	size_t n;
	int64_t v;
	char *d = NULL;

	if (fwt__cbor_text(k, &p, &n) && !memchr(p, 0, n))
		return fwt__strndup(p, n);
	if (fwt__cbor_int(k, &v)) {
		char tmp[24];
		snprintf(tmp, sizeof(tmp), "%" PRId64, v);
		return fwt__strndup(tmp, strlen(tmp));
	}
	if (fwt__cbor_item_diag(NULL, k, 0, &d) != FWT_OK)
		return NULL;
	return d;
}

json_t *fwt__cbor_item_json(const cbor_item_t *it)
{
	json_t *j = NULL, *v;
	size_t i, n;

	if (!it)
		return NULL;
	switch (cbor_typeof(it)) {
	case CBOR_TYPE_UINT:
		return fwt__json_u64(cbor_get_int(it));
	case CBOR_TYPE_NEGINT:
		return neg_json(cbor_get_int(it));
	case CBOR_TYPE_BYTESTRING:
	case CBOR_TYPE_STRING: {
		struct fwt__enc tmp = { NULL, 0, 0, 0 };
		char *hex;
		str_concat(it, &tmp);
		if (tmp.oom) {
			fwt__enc_free(&tmp);
			return NULL;
		}
		if (cbor_isa_string(it)) {
			j = json_stringn(tmp.p ? (char *)tmp.p : "", tmp.len);
		} else if ((hex = malloc(2 * tmp.len + 1)) != NULL) {
			fwt_hex_encode(hex, tmp.p, tmp.len);
			j = json_string(hex);
			free(hex);
		}
		fwt__enc_free(&tmp);
		return j;
	}
	case CBOR_TYPE_ARRAY:
		j = json_array();
		for (i = 0; j && i < cbor_array_size(it); i++) {
			v = fwt__cbor_item_json(cbor_array_handle(it)[i]);
			if (!v || json_array_append_new(j, v)) {
				json_decref(j);
				return NULL;
			}
		}
		return j;
	case CBOR_TYPE_MAP:
		j = json_object();
		n = cbor_map_size(it);
		for (i = 0; j && i < n; i++) {
			char *k = key_text(cbor_map_handle(it)[i].key);
			if (k && json_object_get(j, k)) { /* "1" and 1: keep both */
				char *d = NULL;
				free(k);
				k = NULL;
				if (fwt__cbor_item_diag(NULL, cbor_map_handle(it)[i].key, 0, &d) == FWT_OK) {
					struct fwt__sb s = { NULL, 0, 0, 0 };
					fwt__sb_str(&s, d);
					while (!s.oom && json_object_get(j, s.p))
						fwt__sb_str(&s, "'");
					k = s.oom ? NULL : s.p;
					if (s.oom)
						free(s.p);
				}
				free(d);
			}
			v = k ? fwt__cbor_item_json(cbor_map_handle(it)[i].value) : NULL;
			if (!v || json_object_set_new(j, k, v)) {
				free(k);
				json_decref(j);
				return NULL;
			}
			free(k);
		}
		return j;
	case CBOR_TYPE_TAG:
		v = fwt__cbor_item_json(it->metadata.tag_metadata.tagged_item);
		j = v ? json_pack("{s:I, s:o}", "tag", (json_int_t)cbor_tag_value(it), "value", v) : NULL;
		return j;
	case CBOR_TYPE_FLOAT_CTRL:
		if (cbor_float_get_width(it) != CBOR_FLOAT_0) {
			double d = cbor_float_get_float(it);
			if (isnan(d))
				return json_string("NaN");
			if (isinf(d))
				return json_string(d < 0 ? "-Infinity" : "Infinity");
			return json_real(d);
		}
		switch (cbor_ctrl_value(it)) {
		case CBOR_CTRL_TRUE: return json_true();
		case CBOR_CTRL_FALSE: return json_false();
		case CBOR_CTRL_NULL: return json_null();
		case CBOR_CTRL_UNDEF: return json_string("undefined");
		default: return json_pack("{s:i}", "simple", (int)cbor_ctrl_value(it));
		}
	}
	return NULL;
}

fwt_err fwt__cbor_item_diag(fwt_ctx *ctx, const cbor_item_t *it, unsigned dflags, char **out)
{
	unsigned char *b = NULL;
	size_t n = 0;
	fwt_err err = fwt__cbor_encode_alloc(ctx, it, &b, &n);

	if (err)
		return err;
	err = fwt_cbor_diag(ctx, b, n, NULL, dflags, out);
	free(b);
	return err;
}

fwt_err fwt_cbor_to_json(fwt_ctx *ctx, const void *buf, size_t len, const fwt_cbor_options *o, json_t **out)
{
	cbor_item_t *it;
	fwt_err err;

	if (!out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	if (o && o->version > FWT_CBOR_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "CBOR", o->version, FWT_CBOR_OPTIONS_VERSION);
	err = fwt__cbor_decode(ctx, buf, len, o, NULL, &it, NULL);
	if (err)
		return err;
	*out = fwt__cbor_item_json(it);
	cbor_decref(&it);
	return *out ? FWT_OK : fwt__enomem(ctx);
}

fwt_err fwt_cbor_canonical(fwt_ctx *ctx, const void *buf, size_t len, const fwt_cbor_options *o,
                           unsigned char **out, size_t *outlen)
{
	cbor_item_t *it;
	fwt_err err;

	if (!out || !outlen)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	if (o && o->version > FWT_CBOR_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "CBOR", o->version, FWT_CBOR_OPTIONS_VERSION);
	err = fwt__cbor_decode(ctx, buf, len, o, NULL, &it, NULL);
	if (err)
		return err;
	err = fwt__cbor_encode_alloc(ctx, it, out, outlen);
	cbor_decref(&it);
	return err;
}

/* ---- times ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, size_t n, unsigned *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return 1;
}

/* *frac: bit 1 when the time has a fraction of a second other than
 * zeros, bit 2 when it is a leap second (:60, read as :59) */
static fwt_err parse_rfc3339(const char *s, size_t n, int64_t *out, int *frac)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned y, mo, d, h = 0, mi = 0, sec = 0, oh, om;
	int64_t t, off = 0;
	size_t i;

	*frac = 0;

	if (!s || n < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d))
		goto bad;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
		goto bad;
	i = 10;
	if (n > 10) {
		if ((s[10] != 'T' && s[10] != 't') || n < 20 || !digits(s + 11, 2, &h) || s[13] != ':' ||
		    !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &sec))
			goto bad;
		if (h > 23 || mi > 59 || sec > 60)
			goto bad;
		if (sec == 60) { /* a leap second: the second before (see the _whole form) */
			sec = 59;
			*frac |= 2;
		}
		i = 19;
		if (i < n && s[i] == '.') {
			for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
				*frac |= s[i] != '0';
			if (i == 20)
				goto bad;
		}
		if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
			i++;
		} else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && digits(s + i + 1, 2, &oh) &&
		           s[i + 3] == ':' && digits(s + i + 4, 2, &om) && oh <= 23 && om <= 59) {
			off = (int64_t)(oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
			i = n;
		} else {
			goto bad;
		}
	}
	if (i != n)
		goto bad;
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	*out = t;
	return FWT_OK;
bad:
	return FWT_EFORMAT;
}

fwt_err fwt_time_parse_rfc3339(const char *s, size_t n, int64_t *out)
{
	int frac;

	return parse_rfc3339(s, n, out, &frac);
}

fwt_err fwt_time_parse_rfc3339_whole(const char *s, size_t n, int64_t *out)
{
	int frac;
	fwt_err err = parse_rfc3339(s, n, out, &frac);

	return err ? err : frac ? FWT_EUNSUPPORTED : FWT_OK;
}

void fwt_time_format_rfc3339(int64_t t, char out[32])
{
	int64_t days = t / 86400, rem = t % 86400, y;
	unsigned m, d;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	/* a year past 9999 or before 0000 in ISO 8601's expanded form (a
	 * sign and more digits), never clamped to a date it is not: the
	 * widest, INT64_MIN, takes 30 bytes */
	snprintf(out, 32, y > 9999 ? "+%" PRId64 : y < 0 ? "-%04" PRId64 : "%04" PRId64, y < 0 ? -y : y);
	snprintf(out + strlen(out), 32 - strlen(out), "-%02u-%02uT%02d:%02d:%02dZ", m, d, (int)(rem / 3600),
	         (int)(rem / 60 % 60), (int)(rem % 60));
}
