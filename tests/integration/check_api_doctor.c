/* check_api_doctor.c: the doctor report routes against a real PostgreSQL. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "crypto.h"
#include "testhelp.h"

#define JSON	"application/json"
#define REPORT	"0a5b2c3d-1e2f-4a5b-8c6d-7e8f9a0b1c2d"
#define USER	"support"
#define PASS	"s3cret:with colon"
/* base64 of "support:s3cret:with colon" */
#define AUTH	"Basic c3VwcG9ydDpzM2NyZXQ6d2l0aCBjb2xvbg=="
#define CHALLENGE "Basic realm=\"workflow-manager-api\""

/* TestPostDoctor's body: only a workflow, 11 components on train "". */
#define DOCTOR_COMPONENT(n) \
	"{\"component\":{\"name\":\"" n "\"},\"version\":{\"train\":\"\"}}"
#define WORKFLOW_ONLY "{\"workflow\":{\"components\":[" \
	DOCTOR_COMPONENT("deis-builder") "," \
	DOCTOR_COMPONENT("deis-controller") "," \
	DOCTOR_COMPONENT("deis-database") "," \
	DOCTOR_COMPONENT("deis-logger") "," \
	DOCTOR_COMPONENT("deis-minio") "," \
	DOCTOR_COMPONENT("deis-monitor-grafana") "," \
	DOCTOR_COMPONENT("deis-monitor-influxdb") "," \
	DOCTOR_COMPONENT("deis-monitor-stdout") "," \
	DOCTOR_COMPONENT("deis-registry") "," \
	DOCTOR_COMPONENT("deis-router") "," \
	DOCTOR_COMPONENT("deis-workflow-manager") \
	"],\"id\":\"testcluster\"}}"

static struct th_ctx	*ctx;
static PGconn		*pg;

static void
setup(void)
{
	ctx = th_ctx_new("migrate_on_start = off\ndoctor_user = " USER "\n"
	    "doctor_password = " PASS "\n");
	pg = th_pg();
	th_truncate_all(pg);
}

static void
teardown(void)
{
	th_ctx_free(ctx);
	PQfinish(pg);
}

static void
post(const char *uri, const char *body, struct th_resp *r)
{
	th_request(ctx, "POST", uri, JSON, body, NULL, r);
}

static const char *
count(void)
{
	const char	*v = th_scalar(pg, "SELECT count(*) FROM doctors");

	return v != NULL ? v : "(null)";
}

#define PREFIX "{\"namespaces\":null,\"nodes\":null,\"workflow\":" \
	"{\"components\":[{\"component\":{\"name\":\"deis-builder\"}," \
	"\"version\":{}},"

/* TestPostDoctor and TestGetDoctor. */
START_TEST(test_post_get)
{
	struct th_resp	 r;
	cJSON		*j, *wf;

	post("/v3/doctor/" REPORT, WORKFLOW_ONLY, &r);
	ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
	ck_assert_uint_eq(r.body_len, 0);
	ck_assert_str_eq(th_header(&r, "Content-Length"), "0");
	th_resp_free(&r);
	ck_assert_str_eq(count(), "1");

	th_request(ctx, "GET", "/v3/doctor/" REPORT, NULL, NULL, AUTH, &r);
	ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
	ck_assert_str_eq(th_header(&r, "Content-Type"), JSON);
	j = cJSON_Parse(r.body);
	ck_assert_ptr_nonnull(j);
	wf = cJSON_GetObjectItemCaseSensitive(j, "workflow");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(wf, "id")
	    ->valuestring, "testcluster");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    wf, "components")), 11);
	cJSON_Delete(j);
	ck_assert(strncmp(r.body, PREFIX, strlen(PREFIX)) == 0);
	ck_assert(r.body[r.body_len - 1] == '\n');
	th_resp_free(&r);

	/* Any form of the UUID finds it; HEAD too. */
	th_request(ctx, "GET", "/v3/doctor/{0A5B2C3D1E2F4A5B8C6D7E8F9A0B1C2D}",
	    NULL, NULL, AUTH, &r);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	th_request(ctx, "HEAD", "/v3/doctor/" REPORT, NULL, NULL, AUTH, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.body_len, 0);
	th_resp_free(&r);
}
END_TEST

/* A report sent again replaces the first; data comes back verbatim. */
START_TEST(test_replace_verbatim)
{
	static const char body[] = "{\"namespaces\":[{\"name\":\"deis\","
	    "\"pods\":[{\"data\":{\"metadata\":{\"name\":\"deis-router-1\","
	    "\"labels\":{\"z\":\"1\",\"a\":\"<&>\"}},\"spec\":"
	    "{\"replicas\":1.50,\"big\":12345678901234567890,\"tiny\":1e-7,"
	    "\"huge\":1e400}}}],"
	    "\"events\":[{\"data\": [ 1,\n 2 ] }]}],\"nodes\":[{\"data\":"
	    "{\"status\":{\"images\":[\"a\",\"b\"]}}}],\"workflow\":"
	    "{\"id\":\"x\",\"components\":null}}\n";
	struct th_resp	 r;

	post("/v3/doctor/" REPORT, WORKFLOW_ONLY, &r);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	post("/v3/doctor/" REPORT, body, &r);
	ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
	th_resp_free(&r);
	ck_assert_str_eq(count(), "1");
	th_request(ctx, "GET", "/v3/doctor/" REPORT, NULL, NULL, AUTH, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "{\"namespaces\":[{\"daemonSets\":null,"
	    "\"deployments\":null,\"events\":[{\"data\":[ 1,\n 2 ]}],"
	    "\"name\":\"deis\",\"pods\":[{\"data\":{\"metadata\":{\"name\":"
	    "\"deis-router-1\",\"labels\":{\"z\":\"1\",\"a\":\"<&>\"}},"
	    "\"spec\":{\"replicas\":1.50,\"big\":12345678901234567890,"
	    "\"tiny\":1e-7,\"huge\":1e400}}}],\"replicaSets\":null,"
	    "\"replicationControllers\":null,\"services\":null}],"
	    "\"nodes\":[{\"data\":{\"status\":{\"images\":[\"a\",\"b\"]}}}],"
	    "\"workflow\":{\"components\":null,\"id\":\"x\"}}\n");
	th_resp_free(&r);
}
END_TEST

START_TEST(test_post_errors)
{
	struct th_resp	 r;

	post("/v3/doctor/not-a-uuid", WORKFLOW_ONLY, &r);
	th_expect_error(&r, 422,
	    "uuid in path must be a UUID: \\\"not-a-uuid\\\"");
	th_resp_free(&r);
	post("/v3/doctor/" REPORT, "{\"namespaces\":[{\"pods\":[]}]}", &r);
	th_expect_error(&r, 422, "name in body is required");
	th_resp_free(&r);
	post("/v3/doctor/" REPORT, "{\"workflow\":{\"components\":[]}}", &r);
	th_expect_error(&r, 422, "id in body is required");
	th_resp_free(&r);
	post("/v3/doctor/" REPORT, "{\"nodes\":{}}", &r);
	ck_assert_int_eq(r.status, 400);
	th_resp_free(&r);
	post("/v3/doctor/" REPORT, "{\"nodes\":[", &r);
	ck_assert_int_eq(r.status, 400);
	th_resp_free(&r);
	th_request(ctx, "POST", "/v3/doctor/" REPORT, "text/plain", "{}", NULL,
	    &r);
	ck_assert_int_eq(r.status, 415);
	th_resp_free(&r);
	ck_assert_str_eq(count(), "0");

	/* Missing parts are fine: {} is stored and read back as nulls. */
	post("/v3/doctor/" REPORT, "{}", &r);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	th_request(ctx, "GET", "/v3/doctor/" REPORT, NULL, NULL, AUTH, &r);
	ck_assert_str_eq(r.body,
	    "{\"namespaces\":null,\"nodes\":null,\"workflow\":null}\n");
	th_resp_free(&r);
}
END_TEST

/* A report near the size limit is taken; one over it is 413. */
START_TEST(test_size)
{
	struct th_resp	 r;
	struct buf	 b = BUF_INIT;
	size_t		 i;

	/* About 3.5 MiB of node objects (~120000 JSON values). */
	buf_puts(&b, "{\"nodes\":[");
	for (i = 0; b.len < 3600000; i++)
		buf_printf(&b, "%s{\"data\":{\"metadata\":{\"name\":"
		    "\"node-%zu\",\"uid\":\"%08zx\"},\"status\":{\"images\":"
		    "[\"quay.io/deis/controller:v2.18.0\","
		    "\"quay.io/deis/router:v2.13.3\"],"
		    "\"capacity\":{\"cpu\":\"4\",\"pods\":\"110\"}}}}",
		    i > 0 ? "," : "", i, i);
	buf_puts(&b, "]}");
	post("/v3/doctor/" REPORT, b.data, &r);
	ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
	th_resp_free(&r);
	th_request(ctx, "GET", "/v3/doctor/" REPORT, NULL, NULL, AUTH, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.body_len, b.len + strlen("{\"namespaces\":null,") +
	    strlen(",\"workflow\":null}\n") - 2);
	th_resp_free(&r);

	while (b.len <= 4 * 1024 * 1024)
		buf_puts(&b, "                                ");
	post("/v3/doctor/" REPORT, b.data, &r);
	ck_assert_int_eq(r.status, 413);
	th_resp_free(&r);
	buf_free(&b);
}
END_TEST

START_TEST(test_get_errors)
{
	struct th_resp	 r;

	th_request(ctx, "GET", "/v3/doctor/" REPORT, NULL, NULL, AUTH, &r);
	th_expect_error(&r, 404, "404 doctor report not found");
	th_resp_free(&r);
	th_request(ctx, "GET", "/v3/doctor/testcluster", NULL, NULL, AUTH, &r);
	th_expect_error(&r, 422,
	    "uuid in path must be a UUID: \\\"testcluster\\\"");
	th_resp_free(&r);
	th_request(ctx, "PUT", "/v3/doctor/" REPORT, NULL, NULL, AUTH, &r);
	ck_assert_int_eq(r.status, 405);
	ck_assert_str_eq(th_header(&r, "Allow"), "GET,HEAD,POST");
	th_resp_free(&r);
}
END_TEST

/* Every way of not being let in: 401 with the Basic challenge. */
static const char *const bad_auth[] = {
	NULL,
	"",
	"Basic",
	"Basic ",
	"Bearer c3VwcG9ydDpzM2NyZXQ6d2l0aCBjb2xvbg==",
	"Basic not*base64",
	"Basic Og==",				/* ":" */
	"Basic c3VwcG9ydA==",			/* "support", no colon */
	"Basic c3VwcG9ydDo=",			/* "support:" */
	"Basic c3VwcG9ydDpzM2NyZXQ=",		/* "support:s3cret" */
	"Basic U1VQUE9SVDpzM2NyZXQ6d2l0aCBjb2xvbg==", /* "SUPPORT:..." */
	"Basic c3VwcG9ydDpzM2NyZXQ6d2l0aCBjb2xvbiA=", /* trailing space */
};

START_TEST(test_auth_refused)
{
	struct th_resp	 r;

	th_request(ctx, "GET", "/v3/doctor/" REPORT, NULL, NULL, bad_auth[_i],
	    &r);
	th_expect_error(&r, 401, "unauthenticated for invalid credentials");
	ck_assert_str_eq(th_header(&r, "WWW-Authenticate"), CHALLENGE);
	th_resp_free(&r);
}
END_TEST

START_TEST(test_auth_forms)
{
	struct th_resp	 r;

	/* The scheme in any case, extra blanks. */
	th_request(ctx, "GET", "/v3/doctor/" REPORT, NULL, NULL,
	    "basic   c3VwcG9ydDpzM2NyZXQ6d2l0aCBjb2xvbg==  ", &r);
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
}
END_TEST

/* The password given as its SHA-256. */
START_TEST(test_auth_sha256)
{
	struct th_resp	 r;
	struct th_ctx	*c;
	uint8_t		 h[SHA256_LEN];
	char		 hex[2 * SHA256_LEN + 1], conf[256];

	sha256(PASS, strlen(PASS), h);
	hex_encode(h, sizeof(h), hex);
	snprintf(conf, sizeof(conf), "migrate_on_start = off\n"
	    "doctor_user = " USER "\ndoctor_password = sha256:%s\n", hex);
	c = th_ctx_new(conf);
	th_request(c, "GET", "/v3/doctor/" REPORT, NULL, NULL, AUTH, &r);
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	th_request(c, "GET", "/v3/doctor/" REPORT, NULL, NULL,
	    "Basic c3VwcG9ydDpzM2NyZXQ=", &r);
	ck_assert_int_eq(r.status, 401);
	th_resp_free(&r);
	th_ctx_free(c);
}
END_TEST

/* No credentials configured: every read is refused, even "Basic Og==". */
START_TEST(test_auth_unconfigured)
{
	struct th_resp	 r;
	struct th_ctx	*c;

	c = th_ctx_new("migrate_on_start = off\n");
	th_request(c, "POST", "/v3/doctor/" REPORT, JSON, "{}", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	th_request(c, "GET", "/v3/doctor/" REPORT, NULL, NULL, "Basic Og==",
	    &r);
	th_expect_error(&r, 401, "reading doctor reports is disabled until "
	    "doctor_user and doctor_password are configured");
	ck_assert_str_eq(th_header(&r, "WWW-Authenticate"), CHALLENGE);
	th_resp_free(&r);
	th_ctx_free(c);
}
END_TEST

/* An original database's report is served as stored. */
START_TEST(test_original_row)
{
	struct th_resp	 r;

	th_exec(pg, "INSERT INTO doctors (report_id, data) VALUES ('" REPORT
	    "', '{\"namespaces\":null,\"nodes\":[{\"data\":{\"a\":1.5}}],"
	    "\"workflow\":null}')");
	th_request(ctx, "GET", "/v3/doctor/" REPORT, NULL, NULL, AUTH, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "{\"namespaces\":null,\"nodes\":[{\"data\":"
	    "{\"a\":1.5}}],\"workflow\":null}\n");
	th_resp_free(&r);
}
END_TEST

/* The database unreachable: 503 (after the credentials check on GET). */
START_TEST(test_database_down)
{
	struct th_ctx	*down;
	struct th_resp	 r;

	down = th_ctx_new("migrate_on_start = off\nconnect_timeout = 1\n"
	    "database = \"host=/nonexistent-wfm-test dbname=wfm\"\n"
	    "doctor_user = " USER "\ndoctor_password = " PASS "\n");
	th_request(down, "POST", "/v3/doctor/" REPORT, JSON, "{}", NULL, &r);
	ck_assert_int_eq(r.status, 503);
	ck_assert_ptr_nonnull(th_header(&r, "Retry-After"));
	th_resp_free(&r);
	th_request(down, "GET", "/v3/doctor/" REPORT, NULL, NULL, AUTH, &r);
	ck_assert_int_eq(r.status, 503);
	th_resp_free(&r);
	th_ctx_free(down);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("api_doctor");
	TCase	*tc;

	tc = tcase_create("doctor");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_post_get);
	tcase_add_test(tc, test_replace_verbatim);
	tcase_add_test(tc, test_post_errors);
	tcase_add_test(tc, test_size);
	tcase_add_test(tc, test_get_errors);
	tcase_add_loop_test(tc, test_auth_refused, 0,
	    (int)(sizeof(bad_auth) / sizeof(bad_auth[0])));
	tcase_add_test(tc, test_auth_forms);
	tcase_add_test(tc, test_auth_sha256);
	tcase_add_test(tc, test_auth_unconfigured);
	tcase_add_test(tc, test_original_row);
	tcase_add_test(tc, test_database_down);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return th_run(suite());
}
