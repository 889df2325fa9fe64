/* check_request.c: content types, query strings and paths. */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "request.h"
#include "testhelp.h"

struct ct_case {
	const char	*ct;
	int		 code;	/* enum apierr */
};

static const struct ct_case cts[] = {
	{ "application/json", APIERR_OK },
	{ "application/json; charset=utf-8", APIERR_OK },
	{ "Application/JSON", APIERR_OK },
	{ "application/json;charset=\"utf-8\"", APIERR_OK },
	{ "application/json;", APIERR_OK },
	{ "application/json ; charset=utf-8", APIERR_OK },
	{ NULL, APIERR_MEDIA_TYPE },
	{ "", APIERR_MEDIA_TYPE },
	{ "text/plain", APIERR_MEDIA_TYPE },
	{ "application/x-www-form-urlencoded", APIERR_MEDIA_TYPE },
	{ "application/jsonx", APIERR_MEDIA_TYPE },
	{ "application/json; charset", APIERR_BAD_REQUEST },
	{ "application", APIERR_BAD_REQUEST },
	{ "/json", APIERR_BAD_REQUEST },
	{ "application/", APIERR_BAD_REQUEST },
	{ "application/json garbage", APIERR_BAD_REQUEST },
	{ "application/json; a=\"unterminated", APIERR_BAD_REQUEST },
};

START_TEST(test_content_type)
{
	struct request		 req;
	struct api_error	 e;
	int			 rc;

	memset(&req, 0, sizeof(req));
	req.content_type = cts[_i].ct;
	apierr_clear(&e);
	rc = request_check_json_type(&req, &e);
	ck_assert_msg((int)e.code == cts[_i].code, "%s: code %d",
	    cts[_i].ct ? cts[_i].ct : "(null)", e.code);
	ck_assert_int_eq(rc, cts[_i].code == APIERR_OK ? 0 : -1);
}
END_TEST

START_TEST(test_query)
{
	struct request		 req;
	struct api_error	 e;
	struct arena		 a;

	arena_init(&a);
	memset(&req, 0, sizeof(req));
	req.arena = &a;
	apierr_clear(&e);
	ck_assert_int_eq(request_parse_query(&req,
	    "created_after=2016-01-01T00%3A00%3A00%2B02%3A00&x=a+b&x=last&"
	    "flag&&empty=", &e), 0);
	ck_assert_str_eq(request_query(&req, "created_after"),
	    "2016-01-01T00:00:00+02:00");
	ck_assert_str_eq(request_query(&req, "x"), "last");
	ck_assert_str_eq(request_query(&req, "flag"), "");
	ck_assert_str_eq(request_query(&req, "empty"), "");
	ck_assert_ptr_null(request_query(&req, "missing"));
	/* An unescaped '+' is a space, as the original decoded it. */
	ck_assert_int_eq(request_parse_query(&req, "t=2016-01-01T00:00:00+02:00",
	    &e), 0);
	ck_assert_str_eq(request_query(&req, "t"), "2016-01-01T00:00:00 02:00");
	ck_assert_int_eq(request_parse_query(&req, "a=%zz", &e), -1);
	ck_assert_int_eq(e.code, APIERR_BAD_REQUEST);
	apierr_clear(&e);
	ck_assert_int_eq(request_parse_query(&req, "a=%4", &e), -1);
	apierr_clear(&e);
	ck_assert_int_eq(request_parse_query(&req, "a=%00", &e), -1);
	apierr_clear(&e);
	ck_assert_int_eq(request_parse_query(&req,
	    "a=1&a=2&a=3&a=4&a=5&a=6&a=7&a=8&a=9&a=10&a=11&a=12&a=13&a=14&"
	    "a=15&a=16&a=17", &e), -1);
	ck_assert_int_eq(request_parse_query(&req, NULL, &e), 0);
	ck_assert_uint_eq(req.nquery, 0);
	arena_free(&a);
}
END_TEST

START_TEST(test_path)
{
	struct arena	 a;
	const char	*p;

	arena_init(&a);
	p = request_normalize_path(&a, "//v2/clusters//abc", 18, false);
	ck_assert_str_eq(p, "/v2/clusters/abc");
	p = request_normalize_path(&a, "/v3/versions/a%2Fb/c", 20, true);
	ck_assert_str_eq(p, "/v3/versions/a/b/c");
	p = request_normalize_path(&a, "/v3/versions/a%2Fb/c", 20, false);
	ck_assert_str_eq(p, "/v3/versions/a%2Fb/c");
	ck_assert_ptr_null(request_normalize_path(&a, "/a%00b", 6, true));
	ck_assert_ptr_null(request_normalize_path(&a, "/a\0b", 4, false));
	ck_assert_ptr_null(request_normalize_path(&a, "/a%2", 4, true));
	p = request_normalize_path(&a, "/ping/", 6, false);
	ck_assert_str_eq(p, "/ping/");
	arena_free(&a);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("request");
	TCase	*tc = tcase_create("content-type");

	tcase_add_loop_test(tc, test_content_type, 0,
	    (int)(sizeof(cts) / sizeof(cts[0])));
	suite_add_tcase(s, tc);
	tc = tcase_create("query-path");
	tcase_add_test(tc, test_query);
	tcase_add_test(tc, test_path);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return th_run(suite());
}
