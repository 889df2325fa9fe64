/* check_apierr.c: the error catalogue and the one error renderer. */
#include "config.h"

#include <string.h>

#include "apierr.h"
#include "arena.h"
#include "conf.h"
#include "request.h"
#include "testhelp.h"

START_TEST(test_catalogue)
{
	for (int i = 1; i < APIERR__MAX; i++) {
		ck_assert_int_ge(apierrs[i].status, 400);
		ck_assert_int_le(apierrs[i].status, 599);
		ck_assert_ptr_nonnull(apierrs[i].message);
		ck_assert_ptr_nonnull(apierrs[i].reason);
		ck_assert_int_gt((int)strlen(apierrs[i].message), 5);
		for (int j = 1; j < i; j++)
			ck_assert_int_ne(apierrs[i].status, apierrs[j].status);
	}
	ck_assert_int_eq(apierr_status(APIERR_NOT_FOUND), 404);
	ck_assert_int_eq(apierr_status(APIERR_VALIDATION), 422);
	ck_assert_int_eq(apierr_status(APIERR_UNAVAILABLE), 503);
	ck_assert_int_eq(apierr_status((enum apierr)999), 500);
}
END_TEST

START_TEST(test_set)
{
	struct api_error	 e;

	apierr_clear(&e);
	ck_assert_int_eq(e.code, APIERR_OK);
	ck_assert_int_eq(apierr_set(&e, APIERR_VALIDATION,
	    "%s in body is required", "id"), -1);
	ck_assert_int_eq(e.code, APIERR_VALIDATION);
	ck_assert_str_eq(e.message, "id in body is required");
	ck_assert_int_eq(apierr_log(&e, "sqlstate %s", "23505"), -1);
	apierr_log(&e, "more");
	ck_assert_str_eq(e.log, "sqlstate 23505; more");
	ck_assert_int_eq(apierr_code(&e, APIERR_NOT_FOUND), -1);
	ck_assert_str_eq(e.message, apierrs[APIERR_NOT_FOUND].message);
}
END_TEST

static struct buf	 sunk;

static int
sink(void *ctx, const char *p, size_t n)
{
	buf_put(&sunk, p, n);
	return 0;
}

/* Renders err through a real response and returns the raw output. */
static const char *
render(struct api_error *e, bool head)
{
	struct response	 res;
	struct request	 req;
	struct arena	 a;
	struct config	*cfg = config_defaults();

	buf_reset(&sunk);
	arena_init(&a);
	memset(&req, 0, sizeof(req));
	req.arena = &a;
	req.cfg = cfg;
	req.request_id = "rid-1";
	response_init(&res);
	res.sink.write = sink;
	response_error(&res, &req, e);
	res.head_only = head;
	response_finish(&res, &req);
	response_free(&res);
	arena_free(&a);
	config_free(cfg);
	return sunk.data;
}

START_TEST(test_render)
{
	struct api_error	 e;
	const char		*out;

	apierr_clear(&e);
	apierr_set(&e, APIERR_NOT_FOUND, "404 release not found");
	out = render(&e, false);
	ck_assert_str_eq(out, "Status: 404 Not Found\r\n"
	    "Content-Type: application/json\r\n"
	    "X-Request-Id: rid-1\r\n"
	    "Content-Length: 47\r\n\r\n"
	    "{\"code\":404,\"message\":\"404 release not found\"}\n");

	/* 503 always carries Retry-After. */
	apierr_clear(&e);
	apierr_code(&e, APIERR_UNAVAILABLE);
	out = render(&e, false);
	ck_assert_ptr_nonnull(strstr(out, "Status: 503 "));
	ck_assert_ptr_nonnull(strstr(out, "\r\nRetry-After: 5\r\n"));
	ck_assert_ptr_nonnull(strstr(out, "{\"code\":503,\"message\":"));

	/* An extra header, quotes escaped, no body for HEAD. */
	apierr_clear(&e);
	apierr_header(&e, "WWW-Authenticate", "Bearer");
	apierr_set(&e, APIERR_UNAUTHORIZED, "bad \"token\" <x>");
	out = render(&e, true);
	ck_assert_ptr_nonnull(strstr(out, "\r\nWWW-Authenticate: Bearer\r\n"));
	ck_assert_ptr_nonnull(strstr(out, "Content-Length: 53\r\n"));
	ck_assert_ptr_null(strstr(out, "{\"code\""));
	out = render(&e, false);
	ck_assert_ptr_nonnull(strstr(out, "{\"code\":401,\"message\":\"bad "
	    "\\\"token\\\" \\u003cx\\u003e\"}\n"));

	/* A code outside the catalogue becomes a 500, never a crash. */
	apierr_clear(&e);
	e.code = (enum apierr)77;
	out = render(&e, false);
	ck_assert_ptr_nonnull(strstr(out, "Status: 500 "));
	buf_free(&sunk);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("apierr");
	TCase	*tc = tcase_create("catalogue");

	tcase_add_test(tc, test_catalogue);
	tcase_add_test(tc, test_set);
	tcase_add_test(tc, test_render);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return th_run(suite());
}
