/* check_json.c: body parsing with limits, field lookup, and the writer. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jw.h"
#include "testhelp.h"

static const struct json_limits lim = { 16, 1000 };

struct body_case {
	const char	*body;
	size_t		 len;		/* 0: strlen */
	int		 code;		/* enum apierr */
	const char	*needle;	/* in the message, or NULL */
};

static const struct body_case bodies[] = {
	{ "{}", 0, APIERR_OK, NULL },
	{ "null", 0, APIERR_OK, NULL },
	{ "{\"a\":[1,2.5e3,-0,true,false,null,\"x\"]}\n", 0, APIERR_OK, NULL },
	{ "  {\"a\":\"\\u00e9\\ud83d\\ude00\\n\"}  \r\n\t", 0, APIERR_OK, NULL },
	{ "{\"k\":\"caf\xc3\xa9\"}", 0, APIERR_OK, NULL },
	{ "", 0, APIERR_BAD_REQUEST, "because EOF" },
	{ "   \n", 0, APIERR_BAD_REQUEST, "because EOF" },
	{ "{", 0, APIERR_BAD_REQUEST, "end of input" },
	{ "{\"a\":1} trailing", 0, APIERR_BAD_REQUEST, "after the JSON value" },
	{ "{}{}", 0, APIERR_BAD_REQUEST, "after the JSON value" },
	{ "{'a':1}", 0, APIERR_BAD_REQUEST, "object key" },
	{ "{\"a\":01}", 0, APIERR_BAD_REQUEST, NULL },
	{ "{\"a\":1.}", 0, APIERR_BAD_REQUEST, "invalid number" },
	{ "{\"a\":+1}", 0, APIERR_BAD_REQUEST, NULL },
	{ "{\"a\":tru}", 0, APIERR_BAD_REQUEST, "literal" },
	{ "{\"a\":NaN}", 0, APIERR_BAD_REQUEST, NULL },
	{ "[1,2,]", 0, APIERR_BAD_REQUEST, NULL },
	{ "{\"a\":1,}", 0, APIERR_BAD_REQUEST, NULL },
	{ "{\"a\":\"\\u0000\"}", 0, APIERR_BAD_REQUEST, "\\u0000" },
	{ "{\"a\":\"\\ud800\"}", 0, APIERR_BAD_REQUEST, "surrogate" },
	{ "{\"a\":\"\\udc00x\"}", 0, APIERR_BAD_REQUEST, "surrogate" },
	{ "{\"a\":\"\\x\"}", 0, APIERR_BAD_REQUEST, "escape" },
	{ "{\"a\":\"tab\there\"}", 0, APIERR_BAD_REQUEST, "control" },
	{ "{\"a\":\"\xc3\x28\"}", 0, APIERR_BAD_REQUEST, "UTF-8" },
	{ "{\"a\":\"\xed\xa0\x80\"}", 0, APIERR_BAD_REQUEST, "UTF-8" },
	{ "{\"a\":\"\xc0\xaf\"}", 0, APIERR_BAD_REQUEST, "UTF-8" },
	{ "{\"\xff\":1}", 0, APIERR_BAD_REQUEST, "UTF-8" },
	{ "{\"a\":1}\0{", 10, APIERR_BAD_REQUEST, NULL },
	{ "{\"a\":\"x\0y\"}", 11, APIERR_BAD_REQUEST, "control" },
	{ "{\"a\":1,\"a\":2}", 0, APIERR_BAD_REQUEST, "duplicate key \"a\"" },
	{ "{\"o\":{\"b\":1,\"c\":2,\"b\":3}}", 0, APIERR_BAD_REQUEST,
	    "duplicate" },
	{ "[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]", 0, APIERR_TOO_LARGE,
	    "nesting" },
	{ "[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]", 0, APIERR_OK, NULL },
};

START_TEST(test_body)
{
	const struct body_case	*c = &bodies[_i];
	struct api_error	 e;
	cJSON			*root;
	size_t			 len = c->len ? c->len : strlen(c->body);

	apierr_clear(&e);
	root = json_parse_body(c->body, len, &lim, &e);
	ck_assert_msg((int)e.code == c->code, "case %d: code %d (%s)", _i,
	    e.code, e.message);
	ck_assert_msg((root != NULL) == (c->code == APIERR_OK), "case %d", _i);
	if (c->needle != NULL)
		ck_assert_msg(strstr(e.message, c->needle) != NULL,
		    "case %d: \"%s\" not in \"%s\"", _i, c->needle, e.message);
	if (c->code != APIERR_OK)
		ck_assert_msg(strncmp(e.message, "parsing body body from \"\" "
		    "failed, because ", 40) == 0 || c->code != APIERR_BAD_REQUEST,
		    "case %d: %s", _i, e.message);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_element_limit)
{
	struct json_limits	 small = { 64, 10 };
	struct api_error	 e;
	cJSON			*root;

	apierr_clear(&e);
	root = json_parse_body("[1,2,3,4,5,6,7,8,9]", 19, &small, &e);
	ck_assert_ptr_nonnull(root);
	cJSON_Delete(root);
	root = json_parse_body("[1,2,3,4,5,6,7,8,9,10]", 22, &small, &e);
	ck_assert_ptr_null(root);
	ck_assert_int_eq(e.code, APIERR_TOO_LARGE);
}
END_TEST

/* A hostile depth is refused without deep recursion. */
START_TEST(test_deep)
{
	size_t			 n = 200000;
	char			*s = malloc(2 * n + 1);
	struct api_error	 e;

	memset(s, '[', n);
	memset(s + n, ']', n);
	s[2 * n] = '\0';
	apierr_clear(&e);
	ck_assert_ptr_null(json_parse_body(s, 2 * n, &lim, &e));
	ck_assert_int_eq(e.code, APIERR_TOO_LARGE);
	free(s);
}
END_TEST

START_TEST(test_field)
{
	struct api_error	 e;
	cJSON			*root;
	const cJSON		*v;
	const char		*s;

	apierr_clear(&e);
	s = "{\"ID\":\"x\",\"Components\":[],\"nul\":null,\"n\":5,\"o\":{}}";
	root = json_parse_body(s, strlen(s), &lim, &e);
	ck_assert_ptr_nonnull(root);
	v = json_field(root, "id", &e);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v->valuestring, "x");
	ck_assert_ptr_nonnull(json_field(root, "components", &e));
	ck_assert_ptr_null(json_field(root, "nul", &e));
	ck_assert_int_eq(e.code, APIERR_OK);
	ck_assert_ptr_null(json_field(root, "absent", &e));
	ck_assert_int_eq(json_get_string(root, "id", "id", &s, &e), 0);
	ck_assert_str_eq(s, "x");
	ck_assert_int_eq(json_get_string(root, "nul", "nul", &s, &e), 0);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(json_get_string(root, "n", "n", &s, &e), -1);
	ck_assert_int_eq(e.code, APIERR_BAD_REQUEST);
	ck_assert_ptr_nonnull(strstr(e.message, "n must be a string"));
	apierr_clear(&e);
	ck_assert_int_eq(json_get_object(root, "components", "components", &v,
	    &e), -1);
	apierr_clear(&e);
	ck_assert_int_eq(json_get_array(root, "components", "components", &v,
	    &e), 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(json_get_object(root, "o", "o", &v, &e), 0);
	cJSON_Delete(root);

	/* Two keys that both match a field case-insensitively. */
	root = json_parse_body("{\"id\":\"a\",\"Id\":\"b\"}", 19, &lim, &e);
	ck_assert_ptr_nonnull(root);
	ck_assert_ptr_null(json_field(root, "id", &e));
	ck_assert_int_eq(e.code, APIERR_BAD_REQUEST);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_span)
{
	const char	*s = " {\"a\":[1,{\"b\":\"]}\"}],\"c\":1.50} tail";

	ck_assert_uint_eq(json_value_span(s, strlen(s)), strlen(s) - 5);
	ck_assert_uint_eq(json_value_span("1.50,", 5), 4);
	ck_assert_uint_eq(json_value_span("\"x\\\"y\" ", 7), 6);
	ck_assert_uint_eq(json_value_span("{\"a\":", 5), 0);
	ck_assert_uint_eq(json_value_span("", 0), 0);
}
END_TEST

START_TEST(test_utf8)
{
	ck_assert(json_valid_utf8("abc", 3));
	ck_assert(json_valid_utf8("\xf0\x9f\x98\x80", 4));
	ck_assert(!json_valid_utf8("\xf0\x9f\x98", 3));
	ck_assert(!json_valid_utf8("\xf4\x90\x80\x80", 4));
	ck_assert(!json_valid_utf8("\xe0\x80\xaf", 3));
	ck_assert(!json_valid_utf8("\x80", 1));
}
END_TEST

START_TEST(test_writer)
{
	struct buf	 b = BUF_INIT;
	struct jw	 w;

	jw_init(&w, &b);
	jw_obj_open(&w);
	jw_kstr(&w, "s", "a\"b\\c<d>&e\n\r\t\x01\x1f \xe2\x80\xa8\xe2\x80\xa9"
	    "\xc3\xa9/");
	jw_key(&w, "arr");
	jw_arr_open(&w);
	jw_int(&w, -5);
	jw_bool(&w, true);
	jw_null(&w);
	jw_obj_open(&w);
	jw_obj_close(&w);
	jw_arr_open(&w);
	jw_arr_close(&w);
	jw_raw(&w, "1.50", 4);
	jw_arr_close(&w);
	jw_kint(&w, "n", 9223372036854775807LL);
	jw_obj_close(&w);
	ck_assert_str_eq(b.data, "{\"s\":\"a\\\"b\\\\c\\u003cd\\u003e\\u0026e"
	    "\\n\\r\\t\\u0001\\u001f \\u2028\\u2029\xc3\xa9/\",\"arr\":[-5,true,"
	    "null,{},[],1.50],\"n\":9223372036854775807}");
	buf_reset(&b);
	/* Invalid UTF-8 becomes U+FFFD, one per bad byte. */
	jw_init(&w, &b);
	jw_strn(&w, "a\xff" "b\xc3\x28\xe2\x82", 7);
	ck_assert_str_eq(b.data, "\"a\\ufffdb\\ufffd(\\ufffd\\ufffd\"");
	buf_free(&b);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("json");
	TCase	*tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_body, 0,
	    (int)(sizeof(bodies) / sizeof(bodies[0])));
	tcase_add_test(tc, test_element_limit);
	tcase_add_test(tc, test_deep);
	tcase_add_test(tc, test_field);
	tcase_add_test(tc, test_span);
	tcase_add_test(tc, test_utf8);
	suite_add_tcase(s, tc);
	tc = tcase_create("write");
	tcase_add_test(tc, test_writer);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return th_run(suite());
}
