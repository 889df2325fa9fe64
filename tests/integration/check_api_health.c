/* check_api_health.c: /ping, /healthz, /swagger.json, /metrics and database faults. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "testhelp.h"

static struct th_ctx	*ctx;

static const char *
top(void)
{
	const char	*t = getenv("top_srcdir");

	return t != NULL ? t : ".";
}

static int
atoi_safe(const char *s)
{
	ck_assert_ptr_nonnull(s);
	return (int)strtol(s, NULL, 10);
}

static void
setup(void)
{
	char	 conf[1024];

	snprintf(conf, sizeof(conf), "migrate_on_start = off\n"
	    "openapi_file = %s/docs/openapi.json\nstatement_timeout = 300\n",
	    top());
	ctx = th_ctx_new(conf);
}

static void
teardown(void)
{
	th_ctx_free(ctx);
}

START_TEST(test_ping)
{
	struct th_resp	 r;

	th_request(ctx, "GET", "/ping", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.body_len, 0);
	ck_assert_str_eq(th_header(&r, "X-Request-Id"), "test-request");
	th_resp_free(&r);
}
END_TEST

START_TEST(test_healthz)
{
	struct th_resp	 r;
	cJSON		*j, *db, *w;
	PGconn		*pg = th_pg();

	th_request(ctx, "GET", "/healthz", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(th_header(&r, "Content-Type"), "application/json");
	j = cJSON_Parse(r.body);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(j, "status")
	    ->valuestring, "ok");
	db = cJSON_GetObjectItemCaseSensitive(j, "database");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(db,
	    "reachable")));
	ck_assert(cJSON_GetObjectItemCaseSensitive(db, "rtt_ms")->valuedouble
	    > 0);
	ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(db,
	    "schema_version")->valueint, atoi_safe(th_scalar(pg,
	    "SELECT max(version) FROM schema_migrations")));
	ck_assert_int_eq(strncmp(cJSON_GetObjectItemCaseSensitive(db,
	    "server_version")->valuestring, th_scalar(pg, "SHOW "
	    "server_version"), 2), 0);
	w = cJSON_GetObjectItemCaseSensitive(j, "worker");
	ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(w, "pid")->valueint,
	    (int)getpid());
	cJSON_Delete(j);
	th_resp_free(&r);
	PQfinish(pg);
}
END_TEST

START_TEST(test_swagger)
{
	struct th_resp	 r;
	char		 path[1024], chunk[8192];
	struct buf	 file = BUF_INIT;
	FILE		*f;
	size_t		 n;
	cJSON		*j;

	snprintf(path, sizeof(path), "%s/docs/openapi.json", top());
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&file, chunk, n);
	fclose(f);
	th_request(ctx, "GET", "/swagger.json", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(th_header(&r, "Content-Type"), "application/json");
	ck_assert_uint_eq(r.body_len, file.len);
	ck_assert_int_eq(memcmp(r.body, file.data, file.len), 0);
	j = cJSON_Parse(r.body);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(j, "openapi")
	    ->valuestring, "3.0.3");
	/* Every route of the contract is described. */
	ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(j, "paths"),
	    "/v3/versions/{train}/{component}/{release}"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(j, "paths"), "/v3/doctor/{uuid}"));
	cJSON_Delete(j);
	buf_free(&file);
	th_resp_free(&r);
}
END_TEST

/* The database is unreachable: 503 with Retry-After, /ping still fine. */
START_TEST(test_db_down)
{
	struct th_ctx	*down;
	struct th_resp	 r;
	cJSON		*j;

	down = th_ctx_new("database = host=/nonexistent-dir dbname=x\n"
	    "retry_after = 7\nmigrate_on_start = off\n");
	th_request(down, "GET", "/healthz", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 503);
	ck_assert_str_eq(th_header(&r, "Retry-After"), "7");
	j = cJSON_Parse(r.body);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(j, "code")->valueint,
	    503);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(j, "database"), "reachable")));
	cJSON_Delete(j);
	th_resp_free(&r);

	/* Any database route answers 503 in the error shape. */
	th_request(down, "GET", "/v3/clusters/count", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 503);
	ck_assert_str_eq(th_header(&r, "Retry-After"), "7");
	ck_assert_ptr_nonnull(strstr(r.body, "{\"code\":503,\"message\":"));
	ck_assert_ptr_null(strstr(r.body, "nonexistent"));
	th_resp_free(&r);

	th_request(down, "GET", "/ping", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	th_ctx_free(down);
}
END_TEST

/* A statement over statement_timeout is a 503, not a hang. */
START_TEST(test_statement_timeout)
{
	PGconn		*pg = th_pg();
	struct th_resp	 r;

	th_request(ctx, "GET", "/healthz", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	th_exec(pg, "BEGIN");
	th_exec(pg, "LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE");
	th_request(ctx, "GET", "/healthz", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 503);
	ck_assert_ptr_nonnull(th_header(&r, "Retry-After"));
	th_resp_free(&r);
	th_exec(pg, "ROLLBACK");
	th_request(ctx, "GET", "/healthz", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	PQfinish(pg);
}
END_TEST

/* The server closes the session: the next request reconnects by itself. */
START_TEST(test_reconnect)
{
	PGconn		*pg = th_pg();
	struct th_resp	 r;

	th_request(ctx, "GET", "/healthz", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	ck_assert_int_ge(atoi_safe(th_scalar(pg, "SELECT count("
	    "pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
	    "application_name = 'workflow-manager-api'")), 1);
	usleep(100 * 1000);
	th_request(ctx, "GET", "/healthz", NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	PQfinish(pg);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("api_health");
	TCase	*tc = tcase_create("health");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ping);
	tcase_add_test(tc, test_healthz);
	tcase_add_test(tc, test_swagger);
	tcase_add_test(tc, test_db_down);
	tcase_add_test(tc, test_statement_timeout);
	tcase_add_test(tc, test_reconnect);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return th_run(suite());
}
