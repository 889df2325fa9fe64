/* check_router.c: route matching, 404/405 and Allow, HEAD, and the dispatcher's checks. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "router.h"
#include "testhelp.h"

struct match_case {
	const char	*method;
	const char	*path;
	int		 result;	/* enum router_result */
	int		 route;		/* when found */
	const char	*param0;	/* first path parameter or NULL */
	const char	*allow;		/* when 405 */
};

static const struct match_case cases[] = {
	{ "GET", "/ping", ROUTER_FOUND, ROUTE_PING, NULL, NULL },
	{ "HEAD", "/ping", ROUTER_FOUND, ROUTE_PING, NULL, NULL },
	{ "GET", "/v3/clusters/count", ROUTER_FOUND, ROUTE_CLUSTERS_COUNT,
	    NULL, NULL },
	{ "GET", "/v3/clusters/age", ROUTER_FOUND, ROUTE_CLUSTERS_AGE, NULL,
	    NULL },
	{ "GET", "/v3/clusters/checkins", ROUTER_FOUND,
	    ROUTE_CLUSTERS_CHECKINS, NULL, NULL },
	{ "GET", "/v3/clusters/persistent", ROUTER_FOUND,
	    ROUTE_CLUSTERS_PERSISTENT, NULL, NULL },
	{ "GET", "/v3/clusters/counts", ROUTER_FOUND, ROUTE_CLUSTER,
	    "counts", NULL },
	{ "GET", "/v3/clusters/8c6da034-c8b1-489a-a55d-a2215d93f934",
	    ROUTER_FOUND, ROUTE_CLUSTER,
	    "8c6da034-c8b1-489a-a55d-a2215d93f934", NULL },
	{ "POST", "/v3/clusters", ROUTER_FOUND, ROUTE_CLUSTERS_V3, NULL,
	    NULL },
	{ "POST", "/v2/clusters/abc", ROUTER_FOUND, ROUTE_CLUSTERS_V2, "abc",
	    NULL },
	{ "POST", "/v3/versions/latest", ROUTER_FOUND,
	    ROUTE_VERSIONS_LATEST_V3, NULL, NULL },
	{ "POST", "/v2/versions/latest", ROUTER_FOUND,
	    ROUTE_VERSIONS_LATEST_V2, NULL, NULL },
	{ "GET", "/v3/versions/stable/deis-router", ROUTER_FOUND,
	    ROUTE_VERSIONS_LIST, "stable", NULL },
	{ "GET", "/v3/versions/stable/deis-router/latest", ROUTER_FOUND,
	    ROUTE_VERSION, "stable", NULL },
	{ "POST", "/v3/versions/stable/deis-router/v2.1.0", ROUTER_FOUND,
	    ROUTE_VERSION, "stable", NULL },
	{ "GET", "/v3/doctor/abc", ROUTER_FOUND, ROUTE_DOCTOR, "abc", NULL },
	{ "POST", "/v3/doctor/abc", ROUTER_FOUND, ROUTE_DOCTOR, "abc", NULL },
	{ "GET", "/swagger.json", ROUTER_FOUND, ROUTE_SWAGGER, NULL, NULL },
	{ "GET", "/metrics", ROUTER_FOUND, ROUTE_METRICS, NULL, NULL },
	{ "GET", "/healthz", ROUTER_FOUND, ROUTE_HEALTHZ, NULL, NULL },
	/* 404: unknown, trailing slash, empty segment, too deep */
	{ "GET", "/nope", ROUTER_NOT_FOUND, 0, NULL, NULL },
	{ "GET", "/ping/", ROUTER_NOT_FOUND, 0, NULL, NULL },
	{ "GET", "/v3/clusters/", ROUTER_NOT_FOUND, 0, NULL, NULL },
	{ "GET", "/v3/versions/stable//x", ROUTER_NOT_FOUND, 0, NULL, NULL },
	{ "GET", "/v3/versions/a/b/c/d", ROUTER_NOT_FOUND, 0, NULL, NULL },
	{ "GET", "/v3/versions", ROUTER_NOT_FOUND, 0, NULL, NULL },
	{ "GET", "/", ROUTER_NOT_FOUND, 0, NULL, NULL },
	{ "GET", "", ROUTER_NOT_FOUND, 0, NULL, NULL },
	{ "GET", "/PING", ROUTER_NOT_FOUND, 0, NULL, NULL },
	/* 405 and the Allow list */
	{ "DELETE", "/ping", ROUTER_METHOD, 0, NULL, "GET,HEAD" },
	{ "POST", "/ping", ROUTER_METHOD, 0, NULL, "GET,HEAD" },
	{ "GET", "/v3/clusters", ROUTER_METHOD, 0, NULL, "POST" },
	{ "HEAD", "/v3/clusters", ROUTER_METHOD, 0, NULL, "POST" },
	{ "GET", "/v3/versions/latest", ROUTER_METHOD, 0, NULL, "POST" },
	{ "PUT", "/v3/doctor/x", ROUTER_METHOD, 0, NULL, "GET,HEAD,POST" },
	{ "OPTIONS", "/v3/versions/a/b/c", ROUTER_METHOD, 0, NULL,
	    "GET,HEAD,POST" },
	{ "POST", "/v3/clusters/count", ROUTER_METHOD, 0, NULL, "GET,HEAD" },
	{ "GET", "/v2/clusters/x", ROUTER_METHOD, 0, NULL, "POST" },
};

START_TEST(test_match)
{
	const struct match_case	*c = &cases[_i];
	const struct route_method *rm;
	struct request		 req;
	struct arena		 a;
	char			 allow[64] = "";
	enum http_method	 m = HTTP_OTHER;
	enum router_result	 r;

	for (int i = 0; i < HTTP_OTHER; i++)
		if (strcmp(c->method, http_methods[i]) == 0)
			m = (enum http_method)i;
	arena_init(&a);
	memset(&req, 0, sizeof(req));
	req.arena = &a;
	req.route = -1;
	r = router_match(&req, c->path, m, &rm, allow, sizeof(allow));
	ck_assert_msg((int)r == c->result, "%s %s: result %d, want %d",
	    c->method, c->path, r, c->result);
	if (r == ROUTER_FOUND) {
		ck_assert_int_eq(req.route, c->route);
		ck_assert_ptr_nonnull(rm);
		ck_assert_ptr_nonnull(rm->handler);
		if (c->param0 != NULL)
			ck_assert_str_eq(request_param(&req, 0), c->param0);
		else
			ck_assert_uint_eq(req.nparams, 0);
	} else if (r == ROUTER_METHOD)
		ck_assert_str_eq(allow, c->allow);
	arena_free(&a);
}
END_TEST

START_TEST(test_three_params)
{
	const struct route_method *rm;
	struct request		 req;
	struct arena		 a;
	char			 allow[64];

	arena_init(&a);
	memset(&req, 0, sizeof(req));
	req.arena = &a;
	ck_assert_int_eq(router_match(&req, "/v3/versions/beta/comp/1.0.0",
	    HTTP_POST, &rm, allow, sizeof(allow)), ROUTER_FOUND);
	ck_assert_uint_eq(req.nparams, 3);
	ck_assert_str_eq(request_param(&req, 0), "beta");
	ck_assert_str_eq(request_param(&req, 1), "comp");
	ck_assert_str_eq(request_param(&req, 2), "1.0.0");
	ck_assert_ptr_null(request_param(&req, 3));
	arena_free(&a);
}
END_TEST

/* Every route in the table has a name and at least one handler. */
START_TEST(test_table)
{
	for (int i = 0; i < ROUTE__MAX; i++) {
		ck_assert_ptr_nonnull(routes[i].pattern);
		ck_assert_ptr_nonnull(routes[i].name);
		ck_assert_ptr_nonnull(routes[i].methods[0].handler);
		ck_assert_int_eq(routes[i].pattern[0], '/');
	}
}
END_TEST

/* The dispatcher, without a database: errors are rendered in one shape. */
START_TEST(test_dispatch_errors)
{
	struct th_ctx	*c = th_ctx_new("max_body = 2048\n");
	struct th_resp	 r;
	char		*big;

	th_request(c, "GET", "/nope", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_str_eq(r.body,
	    "{\"code\":404,\"message\":\"path /nope was not found\"}\n");
	ck_assert_str_eq(th_header(&r, "Content-Type"), "application/json");
	ck_assert_str_eq(th_header(&r, "X-Request-Id"), "test-request");
	th_resp_free(&r);

	th_request(c, "DELETE", "/ping", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 405);
	ck_assert_str_eq(th_header(&r, "Allow"), "GET,HEAD");
	ck_assert_str_eq(r.body, "{\"code\":405,\"message\":\"method DELETE "
	    "is not allowed, but [GET,HEAD] are\"}\n");
	th_resp_free(&r);

	/* HEAD: headers of the GET answer, no body. */
	th_request(c, "HEAD", "/ping", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.body_len, 0);
	th_resp_free(&r);
	th_request(c, "HEAD", "/nope", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_uint_eq(r.body_len, 0);
	ck_assert_str_eq(th_header(&r, "Content-Type"), "application/json");
	th_resp_free(&r);

	/* Merged slashes and %-decoding before routing. */
	th_request(c, "GET", "//ping", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	th_request(c, "GET", "/p%69ng", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	th_request(c, "GET", "/ping%00", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 400);
	th_resp_free(&r);
	/* HEAD gets no body on errors found before routing either. */
	th_request(c, "HEAD", "/ping%00", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_uint_eq(r.body_len, 0);
	th_resp_free(&r);

	/* Content type before anything else on bodies. */
	th_request(c, "POST", "/v3/clusters", NULL, "{}", NULL, &r);
	ck_assert_int_eq(r.status, 415);
	ck_assert_str_eq(r.body, "{\"code\":415,\"message\":\"unsupported "
	    "media type \\\"application/octet-stream\\\", only "
	    "[application/json] are allowed\"}\n");
	th_resp_free(&r);
	th_request(c, "POST", "/v3/clusters",
	    "application/x-www-form-urlencoded", "a=b", NULL, &r);
	ck_assert_int_eq(r.status, 415);
	th_resp_free(&r);
	th_request(c, "POST", "/v3/clusters", "application/json; charset",
	    "{}", NULL, &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_ptr_nonnull(strstr(r.body, "mime: invalid media "
	    "parameter"));
	th_resp_free(&r);

	/* 413 from Content-Length, before the body is read. */
	big = calloc(1, 4096);
	memset(big, ' ', 4095);
	th_request(c, "POST", "/v3/clusters", "application/json", big, NULL,
	    &r);
	ck_assert_int_eq(r.status, 413);
	ck_assert_ptr_nonnull(strstr(r.body, "2048"));
	th_resp_free(&r);
	free(big);

	/* 414 past max_path. */
	big = calloc(1, 3000);
	big[0] = '/';
	memset(big + 1, 'a', 2998);
	th_request(c, "GET", big, NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 414);
	th_resp_free(&r);
	free(big);
	th_ctx_free(c);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("router");
	TCase	*tc = tcase_create("match");

	tcase_add_loop_test(tc, test_match, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_three_params);
	tcase_add_test(tc, test_table);
	suite_add_tcase(s, tc);
	tc = tcase_create("dispatch");
	tcase_add_test(tc, test_dispatch_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return th_run(suite());
}
