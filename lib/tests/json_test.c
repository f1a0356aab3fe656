/* SPDX-License-Identifier: Apache-2.0 */
/* json_test.c - the strict JSON loader: limits, duplicates, NUL, UTF-8,
 * numbers, trailing data, and errors located by byte and JSON path. */
#include <stdlib.h>
#include <string.h>
#include <fwtrail/json.h>
#include "t.h"

static fwt_ctx *ctx;

static fwt_err parse(const char *s, size_t n, json_t **out)
{
	json_t *j = NULL;
	fwt_err err = fwt_json_parse(ctx, &j, s, n, "t.json", NULL);
	if (out)
		*out = j;
	else
		json_decref(j);
	return err;
}

#define P(s) parse((s), sizeof(s) - 1, NULL)

static void test_accepts_plain_objects(void)
{
	json_t *j;

	static const char doc[] = "{\"a\":[1,2,{\"b\":null}],\"c\":\"\\u00e9\"}";

	T_EQ_INT(parse(doc, sizeof(doc) - 1, &j), FWT_OK);
	T_ASSERT(json_is_object(j));
	T_EQ_INT(json_array_size(json_object_get(j, "a")), 3);
	json_decref(j);
	T_EQ_INT(P(" \n{}\n "), FWT_OK);
}

static void test_duplicates_any_depth(void)
{
	T_EQ_INT(P("{\"alg\":\"ES384\",\"alg\":\"none\"}"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "duplicate"));
	T_EQ_INT(P("{\"a\":{\"b\":{\"c\":1,\"c\":2}}}"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "$.a.b"));
	/* the escaped spelling of the same name is the same name */
	T_EQ_INT(P("{\"alg\":1,\"\\u0061lg\":2}"), FWT_EFORMAT);
	T_EQ_INT(P("{\"x\":[{\"k\":1},{\"k\":1,\"k\":2}]}"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "$.x[1]"));
}

static void test_nul_and_utf8(void)
{
	T_EQ_INT(P("{\"v\":\"ACME\\u0000Evil\"}"), FWT_EFORMAT);
	T_EQ_INT(parse("{\"v\":\"a\0b\"}", 11, NULL), FWT_EFORMAT);
	T_EQ_INT(P("{\"v\":\"\xc0\xaf\"}"), FWT_EFORMAT);     /* overlong */
	T_EQ_INT(P("{\"v\":\"\xed\xa0\x80\"}"), FWT_EFORMAT); /* CESU surrogate */
	T_EQ_INT(P("{\"v\":\"\\ud800\"}"), FWT_EFORMAT);      /* lone surrogate */
	T_EQ_INT(P("\xef\xbb\xbf{}"), FWT_EFORMAT);           /* BOM */
}

static void test_numbers_and_trailing_data(void)
{
	T_EQ_INT(P("{\"n\":1e400}"), FWT_EFORMAT);
	T_EQ_INT(P("{\"n\":99999999999999999999}"), FWT_EFORMAT);
	T_EQ_INT(P("{\"n\":NaN}"), FWT_EFORMAT);
	T_EQ_INT(P("{} {}"), FWT_EFORMAT);
	T_EQ_INT(P("{}garbage"), FWT_EFORMAT);
	T_EQ_INT(P("{/*c*/}"), FWT_EFORMAT);
	T_EQ_INT(P("{\"a\":1,}"), FWT_EFORMAT);
}

static void test_top_level_type(void)
{
	fwt_json_options o = FWT_JSON_OPTIONS_INIT;
	json_t *j = NULL;

	T_EQ_INT(P("[1,2]"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "not an object"));
	T_EQ_INT(P("\"s\""), FWT_EFORMAT);
	T_EQ_INT(P("1"), FWT_EFORMAT);
	o.allow_array = 1;
	T_EQ_INT(fwt_json_parse(ctx, &j, "[1]", 3, "a", &o), FWT_OK);
	json_decref(j);
	T_EQ_INT(P(""), FWT_EFORMAT);
}

static void test_size_cap_before_parsing(void)
{
	fwt_json_options o = FWT_JSON_OPTIONS_INIT;
	json_t *j = NULL;
	char *big = malloc((1u << 20) + 2);

	T_ASSERT(big);
	memset(big, ' ', (1u << 20) + 1);
	big[0] = '{';
	big[(1u << 20)] = '}';
	T_EQ_INT(fwt_json_parse(ctx, &j, big, (1u << 20) + 1, "big", NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "larger than 1048576 bytes"));
	o.max_size = 4;
	T_EQ_INT(fwt_json_parse(ctx, &j, "{ } ", 4, "x", &o), FWT_OK);
	json_decref(j);
	T_EQ_INT(fwt_json_parse(ctx, &j, "{ }  ", 5, "x", &o), FWT_EFORMAT);
	free(big);
}

static void test_depth_bound(void)
{
	fwt_json_options o = FWT_JSON_OPTIONS_INIT;
	size_t n = 100000, i;
	char *deep = malloc(2 * n + 1);
	json_t *j = NULL;

	T_ASSERT(deep);
	for (i = 0; i < n; i++) {
		deep[i] = '[';
		deep[2 * n - 1 - i] = ']';
	}
	deep[0] = '{';
	deep[2 * n - 1] = '}';
	T_EQ_INT(fwt_json_parse(ctx, &j, deep, 2 * n, "deep", NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "deeper than 32"));
	free(deep);
	o.max_depth = 2;
	T_EQ_INT(fwt_json_parse(ctx, &j, "{\"a\":{}}", 8, "d", &o), FWT_OK);
	json_decref(j);
	T_EQ_INT(fwt_json_parse(ctx, &j, "{\"a\":{\"b\":[]}}", 14, "d", &o), FWT_EFORMAT);
	/* brackets inside strings do not count */
	T_EQ_INT(fwt_json_parse(ctx, &j, "{\"a\":\"[[[[{{{{\\\"\"}", 18, "d", &o), FWT_OK);
	json_decref(j);
}

static void test_truncation_every_offset(void)
{
	static const char doc[] = "{\"device\":{\"vendor\":\"ACME\",\"n\":[1,2.5,true,null]},\"k\":\"\\u00e9\"}";
	size_t i;

	for (i = 0; i < sizeof(doc) - 1; i++)
		T_EQ_INT(parse(doc, i, NULL), FWT_EFORMAT);
	T_EQ_INT(parse(doc, sizeof(doc) - 1, NULL), FWT_OK);
}

static void test_path_at(void)
{
	static const char doc[] = "{\"audit\":{\"issues\":[{\"t\":1},{\"title\":\"x\"}]},\"we ird\":1}";
	char p[64];

	fwt_json_path_at(doc, sizeof(doc) - 1, strstr(doc, "\"x\"") - doc, p, sizeof(p));
	T_EQ_STR(p, "$.audit.issues[1].title");
	fwt_json_path_at(doc, sizeof(doc) - 1, strstr(doc, "\"we ird\":1") - doc + 9, p, sizeof(p));
	T_EQ_STR(p, "$[\"we ird\"]");
	fwt_json_path_at(doc, sizeof(doc) - 1, 0, p, sizeof(p));
	T_EQ_STR(p, "$");
	fwt_json_path_at(doc, sizeof(doc) - 1, strstr(doc, "\"x\"") - doc, p, 12);
	T_ASSERT(strlen(p) < 12);
}

static void test_dump_compact(void)
{
	json_t *j = NULL;
	char *s = NULL;
	size_t n = 0;

	static const char doc[] = "{ \"b\" : [ 1 , 2.5 ], \"a\" : \"\\u00e9\" }";

	T_EQ_INT(parse(doc, sizeof(doc) - 1, &j), FWT_OK);
	T_EQ_INT(fwt_json_dump_compact(ctx, j, &s, &n), FWT_OK);
	T_EQ_STR(s, "{\"b\":[1,2.5],\"a\":\"\xc3\xa9\"}");
	T_EQ_INT(n, strlen(s));
	free(s);
	json_decref(j);
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	T_RUN(test_accepts_plain_objects);
	T_RUN(test_duplicates_any_depth);
	T_RUN(test_nul_and_utf8);
	T_RUN(test_numbers_and_trailing_data);
	T_RUN(test_top_level_type);
	T_RUN(test_size_cap_before_parsing);
	T_RUN(test_depth_bound);
	T_RUN(test_truncation_every_offset);
	T_RUN(test_path_at);
	T_RUN(test_dump_compact);
	fwt_ctx_free(ctx);
	return t_done();
}
