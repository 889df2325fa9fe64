/* check_api_versions.c: the versions routes against a real PostgreSQL. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "crypto.h"
#include "testhelp.h"
#include "timefmt.h"

#define TOKEN		"integration-token-7d1e0c"
#define SCOPED		"scoped-token-41aa"
#define AUTH		"Bearer " TOKEN
#define JSON		"application/json"
/* One multi-get element. */
#define ELEM(c, t) \
	"{\"component\":{\"name\":\"" c "\"},\"version\":{\"train\":\"" t "\"}}"

static struct th_ctx	*ctx;
static PGconn		*pg;

/* ------------------------------------------------------------ helpers */

static void
hash_hex(const char *t, char *hex)
{
	uint8_t	 h[SHA256_LEN];

	sha256(t, strlen(t), h);
	hex_encode(h, sizeof(h), hex);
}

/*
 * Configuration: an unrestricted token, one limited to deis-* on stable,
 * then `extra' lines.
 */
static struct th_ctx *
new_ctx(const char *extra)
{
	char	 conf[1024], h1[2 * SHA256_LEN + 1], h2[2 * SHA256_LEN + 1];

	hash_hex(TOKEN, h1);
	hash_hex(SCOPED, h2);
	snprintf(conf, sizeof(conf), "migrate_on_start = off\n"
	    "publish_token = sha256:%s\n"
	    "publish_token = sha256:%s components=deis-* trains=stable\n%s",
	    h1, h2, extra != NULL ? extra : "");
	return th_ctx_new(conf);
}

static void
setup(void)
{
	ctx = new_ctx(NULL);
	pg = th_pg();
	th_truncate_all(pg);
}

static void
teardown(void)
{
	th_ctx_free(ctx);
	PQfinish(pg);
}

/* Seconds since the epoch as the service writes them (4 buffers). */
static const char *
ts(int64_t sec)
{
	static char	 bufs[4][32];
	static int	 k;

	k = (k + 1) % 4;
	time_format_s(sec, bufs[k], sizeof(bufs[k]));
	return bufs[k];
}

static int64_t
now_s(void)
{
	return (int64_t)time(NULL);
}

/* A row written straight into the table, as the original would have. */
static void
insert(const char *c, const char *t, const char *v, const char *released,
    const char *data)
{
	const char	*vals[5] = { c, t, v, released, data };
	PGresult	*res;

	res = PQexecParams(pg, "INSERT INTO versions (component_name, train, "
	    "version, release_timestamp, data) VALUES ($1, $2, $3, "
	    "$4::timestamptz AT TIME ZONE 'UTC', $5::json)", 5, NULL, vals,
	    NULL, NULL, 0);
	ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK, "insert: %s",
	    PQresultErrorMessage(res));
	PQclear(res);
}

static const char *
scalar(const char *sql)
{
	return th_scalar(pg, sql);
}

/* One request; asserts the status, returns the body (caller frees). */
static char *
req(const char *method, const char *uri, const char *body,
    const char *auth, int status)
{
	struct th_resp	 r;
	char		*out;

	th_request(ctx, method, uri, body != NULL ? JSON : NULL, body, auth,
	    &r);
	ck_assert_msg(r.status == status, "%s %s: status %d, want %d: %s",
	    method, uri, r.status, status, r.body);
	if (r.body_len > 0)
		ck_assert_str_eq(th_header(&r, "Content-Type"),
		    "application/json");
	out = r.body;
	r.body = NULL;
	th_resp_free(&r);
	return out;
}

/* Asserts status and exact body. */
static void
expect(const char *method, const char *uri, const char *body,
    const char *auth, int status, const char *want)
{
	char	*got = req(method, uri, body, auth, status);

	ck_assert_str_eq(got, want);
	free(got);
}

/* Asserts an error answer: status, {"code":status,"message":msg}\n. */
static void
expect_err(const char *method, const char *uri, const char *body,
    const char *auth, int status, const char *msg)
{
	char	*got = req(method, uri, body, auth, status);
	cJSON	*j = cJSON_Parse(got);
	cJSON	*code, *m;

	ck_assert_msg(j != NULL, "not JSON: %s", got);
	code = cJSON_GetObjectItemCaseSensitive(j, "code");
	m = cJSON_GetObjectItemCaseSensitive(j, "message");
	ck_assert(cJSON_IsNumber(code) && code->valueint == status);
	ck_assert_msg(cJSON_IsString(m), "no message: %s", got);
	if (msg != NULL)
		ck_assert_str_eq(m->valuestring, msg);
	ck_assert_int_eq(cJSON_GetArraySize(j), 2);
	ck_assert(got[strlen(got) - 1] == '\n');
	cJSON_Delete(j);
	free(got);
}

static void
publish(const char *train, const char *comp, const char *ver,
    const char *released, const char *data)
{
	char	 uri[256], body[1024];

	snprintf(uri, sizeof(uri), "/v3/versions/%s/%s/%s", train, comp, ver);
	snprintf(body, sizeof(body), "{\"version\":{\"released\":\"%s\"%s%s}}",
	    released, data != NULL ? ",\"data\":" : "",
	    data != NULL ? data : "");
	free(req("POST", uri, body, AUTH, 200));
}

/* The release JSON the service writes for a row (no data fields). */
static const char *
release(const char *c, const char *t, const char *v, const char *released,
    const char *data)
{
	static char	 bufs[8][512];
	static int	 k;

	k = (k + 1) % 8;
	snprintf(bufs[k], sizeof(bufs[k]), "{\"component\":{\"name\":\"%s\"},"
	    "\"version\":{\"data\":%s,\"released\":\"%s\",\"train\":\"%s\","
	    "\"version\":\"%s\"}}", c, data != NULL ? data : "{}", released,
	    t, v);
	return bufs[k];
}

/* {"data":[a, b, ...]}\n from a NULL-terminated list of releases. */
static char *
list_of(const char *first, ...)
{
	static char	 out[8192];
	va_list		 ap;
	const char	*s;
	size_t		 n;

	n = (size_t)snprintf(out, sizeof(out), "{\"data\":[");
	va_start(ap, first);
	for (s = first; s != NULL; s = va_arg(ap, const char *))
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s",
		    s == first ? "" : ",", s);
	va_end(ap);
	snprintf(out + n, sizeof(out) - n, "]}\n");
	return out;
}

/* The pairs of a multi-get answer as "name/train/version" lines. */
static char *
pairs_of(const char *body)
{
	static char	 out[8192];
	cJSON		*j = cJSON_Parse(body), *el;
	size_t		 n = 0;

	ck_assert_msg(j != NULL, "not JSON: %s", body);
	out[0] = '\0';
	cJSON_ArrayForEach(el, cJSON_GetObjectItemCaseSensitive(j, "data")) {
		cJSON	*c, *v;

		c = cJSON_GetObjectItemCaseSensitive(el, "component");
		v = cJSON_GetObjectItemCaseSensitive(el, "version");

		ck_assert_ptr_nonnull(c);
		ck_assert_ptr_nonnull(v);
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s/%s/%s\n",
		    cJSON_GetObjectItemCaseSensitive(c, "name")->valuestring,
		    cJSON_GetObjectItemCaseSensitive(v, "train")->valuestring,
		    cJSON_GetObjectItemCaseSensitive(v, "version")
		    ->valuestring);
	}
	cJSON_Delete(j);
	return out;
}

static char *
multi(const char *uri, const char *body)
{
	char	*b = req("POST", uri, body, NULL, 200);
	char	*p = pairs_of(b);

	free(b);
	return p;
}

/* ------------------------------------------------------------ publish */

START_TEST(test_publish_minimal)
{
	expect("POST", "/v3/versions/stable/deis-controller/v2.18.0",
	    "{\"version\":{\"released\":\"2017-08-30T17:05:11Z\"}}", AUTH, 200,
	    "{\"component\":{\"name\":\"deis-controller\"},\"version\":"
	    "{\"data\":{},\"released\":\"2017-08-30T17:05:11Z\","
	    "\"train\":\"stable\",\"version\":\"v2.18.0\"}}\n");
	ck_assert_str_eq(scalar("SELECT count(*) FROM versions"), "1");
	ck_assert_str_eq(scalar("SELECT component_name || '|' || train || '|' "
	    "|| version || '|' || release_timestamp || '|' || data::text "
	    "FROM versions"),
	    "deis-controller|stable|v2.18.0|2017-08-30 17:05:11|null");
}
END_TEST

/* The original's TestPostVersions, and its data-layer round trip. */
START_TEST(test_publish_echo)
{
	const char	*full = "{\"component\":{\"name\":\"testcomponent\"},"
	    "\"version\":{\"data\":{\"description\":\"release notes\","
	    "\"fixes\":\"a fix\",\"image\":\"quay.io/deis/test:2.0.0-beta-2\"},"
	    "\"released\":\"2016-03-31T23:54:39Z\",\"train\":\"beta\","
	    "\"version\":\"2.0.0-beta-2\"}}";
	char		 want[1024];

	expect_err("GET", "/v3/versions/beta/testcomponent/2.0.0-beta-2", NULL,
	    NULL, 404, "404 release not found");
	snprintf(want, sizeof(want), "%s\n", full);
	expect("POST", "/v3/versions/beta/testcomponent/2.0.0-beta-2", full,
	    AUTH, 200, want);
	expect("GET", "/v3/versions/beta/testcomponent/2.0.0-beta-2", NULL,
	    NULL, 200, want);
	ck_assert_str_eq(scalar("SELECT data::text FROM versions"),
	    "{\"description\":\"release notes\",\"fixes\":\"a fix\","
	    "\"image\":\"quay.io/deis/test:2.0.0-beta-2\"}");
}
END_TEST

START_TEST(test_publish_reduces)
{
	/*
	 * Only description, fixes and image of version.data are kept;
	 * component description/type and updateAvailable are not stored;
	 * keys match case-insensitively.
	 */
	expect("POST", "/v3/versions/stable/deis-router/v2.13.3",
	    "{\"Component\":{\"Name\":\"deis-router\",\"description\":\"d\","
	    "\"type\":\"Deployment\"},\"updateAvailable\":\"v9\","
	    "\"Version\":{\"Released\":\"2017-08-22T16:20:00Z\","
	    "\"Data\":{\"notes\":\"n\",\"fixes\":\"\",\"IMAGE\":\"\","
	    "\"description\":\"<b>&\"}}}\n", AUTH, 200,
	    "{\"component\":{\"name\":\"deis-router\"},\"version\":{\"data\":"
	    "{\"description\":\"\\u003cb\\u003e\\u0026\",\"image\":\"\"},"
	    "\"released\":\"2017-08-22T16:20:00Z\",\"train\":\"stable\","
	    "\"version\":\"v2.13.3\"}}\n");
	ck_assert_str_eq(scalar("SELECT data::text FROM versions"),
	    "{\"description\":\"\\u003cb\\u003e\\u0026\",\"image\":\"\"}");
	ck_assert_str_eq(scalar("SELECT data->>'description' FROM versions"),
	    "<b>&");
}
END_TEST

START_TEST(test_publish_times)
{
	/* Offsets are honoured, the fraction is dropped, stored as UTC. */
	expect("POST", "/v3/versions/stable/c/v1",
	    "{\"version\":{\"released\":\"2016-04-01T10:00:00+07:00\"}}", AUTH,
	    200, "{\"component\":{\"name\":\"c\"},\"version\":{\"data\":{},"
	    "\"released\":\"2016-04-01T03:00:00Z\",\"train\":\"stable\","
	    "\"version\":\"v1\"}}\n");
	ck_assert_str_eq(scalar("SELECT release_timestamp::text FROM versions"),
	    "2016-04-01 03:00:00");
	publish("stable", "c", "v2", "2016-04-01T10:00:00.999999-02:30", NULL);
	ck_assert_str_eq(scalar("SELECT release_timestamp::text FROM versions "
	    "WHERE version = 'v2'"), "2016-04-01 12:30:00");
	publish("stable", "c", "v3", "0000-01-01T00:00:00Z", NULL);
	publish("stable", "c", "v4", "9999-12-31T23:59:59Z", NULL);
	expect("GET", "/v3/versions/stable/c/v3", NULL, NULL, 200,
	    "{\"component\":{\"name\":\"c\"},\"version\":{\"data\":{},"
	    "\"released\":\"0000-01-01T00:00:00Z\",\"train\":\"stable\","
	    "\"version\":\"v3\"}}\n");
	expect("GET", "/v3/versions/stable/c/latest", NULL, NULL, 200,
	    "{\"component\":{\"name\":\"c\"},\"version\":{\"data\":{},"
	    "\"released\":\"9999-12-31T23:59:59Z\",\"train\":\"stable\","
	    "\"version\":\"v4\"}}\n");
	/* Before year 0 or after 9999 in UTC: not a four-digit year. */
	expect_err("POST", "/v3/versions/stable/c/v5",
	    "{\"version\":{\"released\":\"0000-01-01T00:00:00+01:00\"}}", AUTH,
	    422, "version.released in body must be of type date-time: "
	    "\"0000-01-01T00:00:00+01:00\"");
	expect_err("POST", "/v3/versions/stable/c/v5",
	    "{\"version\":{\"released\":\"9999-12-31T23:59:59-01:00\"}}", AUTH,
	    422, NULL);
}
END_TEST

START_TEST(test_republish)
{
	const char	*id;
	char		 first[32];

	publish("stable", "deis-builder", "v2.12.0", "2017-07-06T18:47:00Z",
	    "{\"description\":\"old\",\"image\":\"i1\"}");
	id = scalar("SELECT version_id FROM versions");
	ck_assert_ptr_nonnull(id);
	snprintf(first, sizeof(first), "%s", id);
	/* The original answered 500 duplicate key; now it updates. */
	expect("POST", "/v3/versions/stable/deis-builder/v2.12.0",
	    "{\"version\":{\"released\":\"2017-07-07T10:00:00Z\","
	    "\"data\":{\"fixes\":\"new\"}}}", AUTH, 200,
	    "{\"component\":{\"name\":\"deis-builder\"},\"version\":{\"data\":"
	    "{\"fixes\":\"new\"},\"released\":\"2017-07-07T10:00:00Z\","
	    "\"train\":\"stable\",\"version\":\"v2.12.0\"}}\n");
	ck_assert_str_eq(scalar("SELECT count(*) FROM versions"), "1");
	ck_assert_str_eq(scalar("SELECT version_id FROM versions"), first);
	/* Without data: the data is replaced by nothing. */
	publish("stable", "deis-builder", "v2.12.0", "2017-07-08T10:00:00Z",
	    NULL);
	ck_assert_str_eq(scalar("SELECT data::text FROM versions"), "null");
	expect("GET", "/v3/versions/stable/deis-builder/v2.12.0", NULL, NULL,
	    200, "{\"component\":{\"name\":\"deis-builder\"},\"version\":"
	    "{\"data\":{},\"released\":\"2017-07-08T10:00:00Z\","
	    "\"train\":\"stable\",\"version\":\"v2.12.0\"}}\n");
}
END_TEST

START_TEST(test_publish_body_vs_path)
{
	const char	*uri = "/v3/versions/stable/deis-router/v2.13.3";

	/* Equal or empty body values are fine. */
	publish("stable", "deis-router", "v2.13.3", "2017-08-22T16:20:00Z",
	    NULL);
	free(req("POST", uri, "{\"component\":{\"name\":\"deis-router\"},"
	    "\"version\":{\"train\":\"stable\",\"version\":\"v2.13.3\","
	    "\"released\":\"2017-08-22T16:20:00Z\"}}", AUTH, 200));
	free(req("POST", uri, "{\"component\":{\"name\":\"\"},"
	    "\"version\":{\"train\":\"\",\"version\":\"\","
	    "\"released\":\"2017-08-22T16:20:00Z\"}}", AUTH, 200));
	expect_err("POST", uri, "{\"component\":{\"name\":\"deis-builder\"},"
	    "\"version\":{\"released\":\"2017-08-22T16:20:00Z\"}}", AUTH, 400,
	    "component.name in body (\"deis-builder\") does not match the "
	    "path (\"deis-router\")");
	expect_err("POST", uri, "{\"version\":{\"train\":\"beta\","
	    "\"released\":\"2017-08-22T16:20:00Z\"}}", AUTH, 400,
	    "version.train in body (\"beta\") does not match the path "
	    "(\"stable\")");
	expect_err("POST", uri, "{\"version\":{\"version\":\"v2.13.2\","
	    "\"released\":\"2017-08-22T16:20:00Z\"}}", AUTH, 400,
	    "version.version in body (\"v2.13.2\") does not match the path "
	    "(\"v2.13.3\")");
	ck_assert_str_eq(scalar("SELECT count(*) FROM versions"), "1");
}
END_TEST

START_TEST(test_publish_422)
{
	const char	*uri = "/v3/versions/stable/deis-router/v2.13.3";

	/* The original dropped the connection for these three. */
	expect_err("POST", uri, "{}", AUTH, 422,
	    "version in body is required");
	expect_err("POST", uri, "null", AUTH, 422,
	    "version in body is required");
	expect_err("POST", uri, "{\"component\":{\"name\":\"deis-router\"}}",
	    AUTH, 422, "version in body is required");
	expect_err("POST", uri, "{\"version\":{}}", AUTH, 422,
	    "version.released in body is required");
	expect_err("POST", uri, "{\"version\":{\"released\":null}}", AUTH, 422,
	    "version.released in body is required");
	expect_err("POST", uri, "{\"version\":{\"released\":\"\"}}", AUTH, 422,
	    "version.released in body is required");
	expect_err("POST", uri, "{\"version\":{\"released\":\"2016-04-01\"}}",
	    AUTH, 422, "version.released in body must be of type date-time: "
	    "\"2016-04-01\"");
	expect_err("POST", uri,
	    "{\"version\":{\"released\":\"2016-08-16T21:00:00Z07:00\"}}", AUTH,
	    422, "version.released in body must be of type date-time: "
	    "\"2016-08-16T21:00:00Z07:00\"");
	expect_err("POST", uri,
	    "{\"version\":{\"released\":\"2016-02-30T00:00:00Z\"}}", AUTH,
	    422, NULL);
	expect_err("POST", uri,
	    "{\"version\":{\"released\":\"2016-04-01t10:00:00z\"}}", AUTH,
	    422, NULL);
	ck_assert_str_eq(scalar("SELECT count(*) FROM versions"), "0");
}
END_TEST

START_TEST(test_publish_names)
{
	const char	*body =
	    "{\"version\":{\"released\":\"2017-08-22T16:20:00Z\"}}";
	char		 uri[512], name[200];
	const char	*comp_msg = "component name must be 1 to 32 "
	    "characters without control characters or '/'";

	expect_err("POST", "/v3/versions/stable/"
	    "a23456789012345678901234567890123/v1", body, AUTH, 422, comp_msg);
	expect_err("POST", "/v3/versions/s234567890123456789012345/c/v1", body,
	    AUTH, 422, "train must be 1 to 24 characters without control "
	    "characters or '/'");
	expect_err("POST", "/v3/versions/stable/c/"
	    "v23456789012345678901234567890123", body, AUTH, 422,
	    "version must be 1 to 32 characters without control characters "
	    "or '/'");
	expect_err("POST", "/v3/versions/stable/a%01b/v1", body, AUTH, 422,
	    comp_msg);
	expect_err("POST", "/v3/versions/stable/a%7Fb/v1", body, AUTH, 422,
	    comp_msg);
	expect_err("POST", "/v3/versions/stable/a%C2%85b/v1", body, AUTH, 422,
	    comp_msg);
	expect_err("POST", "/v3/versions/stable/a%FFb/v1", body, AUTH, 422,
	    comp_msg);
	expect_err("POST", "/v3/versions/sta%09ble/c/v1", body, AUTH, 422,
	    NULL);
	/* %2F is a '/' before routing: another path. */
	expect_err("POST", "/v3/versions/stable/a%2Fb/v1", body, AUTH, 404,
	    "path /v3/versions/stable/a/b/v1 was not found");
	ck_assert_str_eq(scalar("SELECT count(*) FROM versions"), "0");

	/* At the limits, in characters: 32 x "é" is 64 bytes and fits. */
	name[0] = '\0';
	for (int i = 0; i < 32; i++)
		memcpy(name + 6 * i, "%C3%A9", 7);
	snprintf(uri, sizeof(uri), "/v3/versions/s23456789012345678901234/%s/"
	    "v2345678901234567890123456789012", name);
	free(req("POST", uri, body, AUTH, 200));
	ck_assert_str_eq(scalar("SELECT char_length(component_name) || ' ' || "
	    "octet_length(component_name) || ' ' || char_length(train) || ' ' "
	    "|| char_length(version) FROM versions"), "32 64 24 32");
	/* Spaces and other printable characters are fine. */
	free(req("POST", "/v3/versions/stable/my%20component/v1%2Bbuild.5",
	    body, AUTH, 200));
	expect("GET", "/v3/versions/stable/my%20component/latest", NULL, NULL,
	    200, "{\"component\":{\"name\":\"my component\"},\"version\":"
	    "{\"data\":{},\"released\":\"2017-08-22T16:20:00Z\","
	    "\"train\":\"stable\",\"version\":\"v1+build.5\"}}\n");
}
END_TEST

START_TEST(test_publish_400)
{
	const char	*uri = "/v3/versions/stable/c/v1";

	expect_err("POST", uri, "", AUTH, 400, NULL);
	expect_err("POST", uri, "{\"version\":", AUTH, 400, NULL);
	expect_err("POST", uri, "[]", AUTH, 400, NULL);
	expect_err("POST", uri, "\"x\"", AUTH, 400, NULL);
	expect_err("POST", uri, "{\"version\":[]}", AUTH, 400, NULL);
	expect_err("POST", uri, "{\"version\":{\"released\":5}}", AUTH, 400,
	    NULL);
	expect_err("POST", uri, "{\"version\":{\"released\":"
	    "\"2017-08-22T16:20:00Z\",\"data\":\"notes\"}}", AUTH, 400, NULL);
	expect_err("POST", uri, "{\"version\":{\"released\":"
	    "\"2017-08-22T16:20:00Z\"}} x", AUTH, 400, NULL);
	/* Content-Type is the dispatcher's. */
	{
		struct th_resp	 r;

		th_request(ctx, "POST", uri, "text/plain",
		    "{\"version\":{\"released\":\"2017-08-22T16:20:00Z\"}}",
		    AUTH, &r);
		ck_assert_int_eq(r.status, 415);
		th_resp_free(&r);
	}
	ck_assert_str_eq(scalar("SELECT count(*) FROM versions"), "0");
}
END_TEST

START_TEST(test_publish_auth)
{
	const char	*uri = "/v3/versions/stable/deis-router/v1";
	const char	*body =
	    "{\"version\":{\"released\":\"2017-08-22T16:20:00Z\"}}";
	const char	*msg401 = "a valid publisher token is required: "
	    "Authorization: Bearer <token>";
	struct th_resp	 r;

	th_request(ctx, "POST", uri, JSON, body, NULL, &r);
	ck_assert_int_eq(r.status, 401);
	ck_assert_str_eq(th_header(&r, "WWW-Authenticate"), "Bearer");
	th_resp_free(&r);
	th_request(ctx, "POST", uri, JSON, body, "Bearer wrong", &r);
	ck_assert_int_eq(r.status, 401);
	ck_assert_str_eq(th_header(&r, "WWW-Authenticate"), "Bearer");
	th_resp_free(&r);
	expect_err("POST", uri, body, NULL, 401, msg401);
	expect_err("POST", uri, body, "Bearer " TOKEN "x", 401, msg401);
	expect_err("POST", uri, body, "Basic aW50ZWdyYXRpb246eA==", 401,
	    msg401);
	expect_err("POST", uri, body, TOKEN, 401, msg401);
	/* Authentication comes before the body is looked at. */
	expect_err("POST", uri, "{broken", NULL, 401, msg401);
	expect_err("POST", "/v3/versions/stable/c/v1", "{}", "Bearer nope",
	    401, msg401);
	ck_assert_str_eq(scalar("SELECT count(*) FROM versions"), "0");

	/* The scoped token: deis-* on stable only. */
	free(req("POST", uri, body, "Bearer " SCOPED, 200));
	free(req("POST", uri, body, "bearer   " SCOPED "  ", 200));
	expect_err("POST", "/v3/versions/beta/deis-router/v1", body,
	    "Bearer " SCOPED, 403, "this publisher token may not publish "
	    "component \"deis-router\" on train \"beta\"");
	expect_err("POST", "/v3/versions/stable/router/v1", body,
	    "Bearer " SCOPED, 403, "this publisher token may not publish "
	    "component \"router\" on train \"stable\"");
	/* The scope is checked before the body. */
	expect_err("POST", "/v3/versions/stable/router/v1", "{broken",
	    "Bearer " SCOPED, 403, NULL);
	ck_assert_str_eq(scalar("SELECT count(*) FROM versions"), "1");
}
END_TEST

START_TEST(test_publish_unconfigured)
{
	const char	*uri = "/v3/versions/stable/deis-router/v1";
	const char	*body =
	    "{\"version\":{\"released\":\"2017-08-22T16:20:00Z\"}}";
	struct th_ctx	*keep = ctx;
	char		*got;

	/* No publish_token: refused, with a hint. */
	ctx = th_ctx_new("migrate_on_start = off\n");
	got = req("POST", uri, body, AUTH, 403);
	ck_assert_ptr_nonnull(strstr(got, "publish_token"));
	ck_assert_ptr_nonnull(strstr(got, "workflow-manager-api.conf(5)"));
	free(got);
	expect_err("POST", uri, body, NULL, 403, NULL);
	th_ctx_free(ctx);

	/* publish_auth = off: anyone. */
	ctx = th_ctx_new("migrate_on_start = off\npublish_auth = off\n");
	free(req("POST", uri, body, NULL, 200));
	free(req("POST", uri, body, "Bearer whatever", 200));
	th_ctx_free(ctx);
	ctx = keep;
	ck_assert_str_eq(scalar("SELECT count(*) FROM versions"), "1");
}
END_TEST

/*
 * Concurrent publishes of one release from several processes, each with
 * its own connection made after the fork: all succeed, one row remains.
 */
START_TEST(test_publish_concurrent)
{
	enum { NPROC = 8 };
	pid_t	 pids[NPROC];
	int	 gate[2], ok = 0;
	char	 released[NPROC][32], sql[256];

	ck_assert_int_eq(pipe(gate), 0);
	for (int i = 0; i < NPROC; i++) {
		snprintf(released[i], sizeof(released[i]),
		    "2017-08-30T17:05:%02dZ", i);
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			struct th_ctx	*c;
			struct th_resp	 r;
			char		 body[512], one;
			int		 st;

			close(gate[1]);
			c = new_ctx(NULL);
			/* Connect first, then wait for the others. */
			th_request(c, "GET", "/v3/versions/stable/x/latest",
			    NULL, NULL, NULL, &r);
			st = r.status;
			th_resp_free(&r);
			if (read(gate[0], &one, 1) != 0 || st != 404)
				_exit(3);
			snprintf(body, sizeof(body), "{\"version\":"
			    "{\"released\":\"%s\"}}", released[i]);
			th_request(c, "POST",
			    "/v3/versions/stable/deis-controller/v2.18.0",
			    JSON, body, AUTH, &r);
			st = r.status;
			th_resp_free(&r);
			th_ctx_free(c);
			_exit(st == 200 ? 0 : 1);
		}
	}
	close(gate[0]);
	usleep(200000);
	close(gate[1]);		/* go */
	for (int i = 0; i < NPROC; i++) {
		int	 st;

		ck_assert_int_eq(waitpid(pids[i], &st, 0), pids[i]);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ok++;
	}
	ck_assert_int_eq(ok, NPROC);
	ck_assert_str_eq(scalar("SELECT count(*) FROM versions"), "1");
	snprintf(sql, sizeof(sql), "SELECT release_timestamp BETWEEN "
	    "'2017-08-30 17:05:00' AND '2017-08-30 17:05:%02d' FROM versions",
	    NPROC - 1);
	ck_assert_str_eq(scalar(sql), "t");
}
END_TEST

/* ------------------------------------------------------------ reads */

/* The original's TestGetVersion: a row stored by the data layer. */
START_TEST(test_get_version)
{
	insert("testcomponent", "beta", "2.0.0-beta-2", "2016-03-31T23:54:39Z",
	    "{\"description\":\"release notes\"}");
	expect("GET", "/v3/versions/beta/testcomponent/2.0.0-beta-2", NULL,
	    NULL, 200, "{\"component\":{\"name\":\"testcomponent\"},"
	    "\"version\":{\"data\":{\"description\":\"release notes\"},"
	    "\"released\":\"2016-03-31T23:54:39Z\",\"train\":\"beta\","
	    "\"version\":\"2.0.0-beta-2\"}}\n");
	/* Exact match on every part. */
	expect_err("GET", "/v3/versions/beta/testcomponent/2.0.0-beta-3", NULL,
	    NULL, 404, "404 release not found");
	expect_err("GET", "/v3/versions/stable/testcomponent/2.0.0-beta-2",
	    NULL, NULL, 404, "404 release not found");
	expect_err("GET", "/v3/versions/beta/TestComponent/2.0.0-beta-2", NULL,
	    NULL, 404, "404 release not found");
	/* Exact text and shape of the original's 404. */
	expect("GET", "/v3/versions/beta/nope/1", NULL, NULL, 404,
	    "{\"code\":404,\"message\":\"404 release not found\"}\n");
	/* Names that cannot exist find nothing, never an error. */
	expect_err("GET", "/v3/versions/beta/a%FF/1", NULL, NULL, 404,
	    "404 release not found");
	expect_err("GET", "/v3/versions/beta/testcomponent/%FF", NULL, NULL,
	    404, "404 release not found");
	expect_err("GET", "/v3/versions/beta/"
	    "a23456789012345678901234567890123/1", NULL, NULL, 404,
	    "404 release not found");
	expect_err("GET", "/v3/versions/s234567890123456789012345/c/latest",
	    NULL, NULL, 404, "404 release not found");
	/* HEAD: the same status and headers, no body. */
	{
		struct th_resp	 r;

		th_request(ctx, "HEAD",
		    "/v3/versions/beta/testcomponent/2.0.0-beta-2", NULL,
		    NULL, NULL, &r);
		ck_assert_int_eq(r.status, 200);
		ck_assert_uint_eq(r.body_len, 0);
		th_resp_free(&r);
	}
}
END_TEST

/* The original's TestGetComponentTrainVersions, and the list order. */
START_TEST(test_list)
{
	expect("GET", "/v3/versions/beta/testcomponent", NULL, NULL, 200,
	    "{\"data\":[]}\n");
	insert("testcomponent", "beta", "2.0.0-beta-2", "2016-03-31T23:54:39Z",
	    "{\"description\":\"release notes\"}");
	insert("testcomponent", "beta", "2.0.0-beta-3", "2016-04-30T23:54:39Z",
	    NULL);
	expect("GET", "/v3/versions/beta/testcomponent", NULL, NULL, 200,
	    list_of(release("testcomponent", "beta", "2.0.0-beta-2",
	    "2016-03-31T23:54:39Z", "{\"description\":\"release notes\"}"),
	    release("testcomponent", "beta", "2.0.0-beta-3",
	    "2016-04-30T23:54:39Z", NULL), NULL));
	/* Oldest release first, whatever the publication order. */
	insert("testcomponent", "beta", "2.0.0-beta-1", "2016-03-01T00:00:00Z",
	    NULL);
	insert("testcomponent", "beta", "2.0.0-beta-1b",
	    "2016-03-01T00:00:00Z", NULL);
	insert("testcomponent", "stable", "v2.0.0", "2016-06-01T00:00:00Z",
	    NULL);
	expect("GET", "/v3/versions/beta/testcomponent", NULL, NULL, 200,
	    list_of(release("testcomponent", "beta", "2.0.0-beta-1",
	    "2016-03-01T00:00:00Z", NULL), release("testcomponent", "beta",
	    "2.0.0-beta-1b", "2016-03-01T00:00:00Z", NULL),
	    release("testcomponent", "beta", "2.0.0-beta-2",
	    "2016-03-31T23:54:39Z", "{\"description\":\"release notes\"}"),
	    release("testcomponent", "beta", "2.0.0-beta-3",
	    "2016-04-30T23:54:39Z", NULL), NULL));
	expect("GET", "/v3/versions/stable/testcomponent", NULL, NULL, 200,
	    list_of(release("testcomponent", "stable", "v2.0.0",
	    "2016-06-01T00:00:00Z", NULL), NULL));
	expect("GET", "/v3/versions/nope/testcomponent", NULL, NULL, 200,
	    "{\"data\":[]}\n");
	expect("GET", "/v3/versions/beta/a%FF", NULL, NULL, 200,
	    "{\"data\":[]}\n");
	expect("GET", "/v3/versions/beta/"
	    "a23456789012345678901234567890123", NULL, NULL, 200,
	    "{\"data\":[]}\n");
}
END_TEST


/* Asserts a 200 answer holding exactly this release. */
static void
expect_release(const char *uri, const char *c, const char *t, const char *v,
    const char *released, const char *data)
{
	char	 want[1024];

	snprintf(want, sizeof(want), "%s\n", release(c, t, v, released, data));
	expect("GET", uri, NULL, NULL, 200, want);
}

/* The original's TestGetLatestComponentTrainVersion (and data layer). */
START_TEST(test_latest)
{
	int64_t		 now = now_s();
	char		 ver[4][16];

	expect_err("GET", "/v3/versions/testtrain/testcomponent/latest", NULL,
	    NULL, 404, "404 release not found");
	for (int i = 0; i < 4; i++) {
		snprintf(ver[i], sizeof(ver[i]), "1.0.%d", i);
		publish("testtrain", "testcomponent", ver[i],
		    ts(now + i * 3600), "{\"description\":\"notes\"}");
	}
	expect_release("/v3/versions/testtrain/testcomponent/latest",
	    "testcomponent", "testtrain", "1.0.3", ts(now + 3 * 3600),
	    "{\"description\":\"notes\"}");
	/* The third moves to now + 5 h: it is the latest now. */
	publish("testtrain", "testcomponent", ver[2], ts(now + 5 * 3600),
	    "{\"description\":\"notes\"}");
	expect_release("/v3/versions/testtrain/testcomponent/latest",
	    "testcomponent", "testtrain", "1.0.2", ts(now + 5 * 3600),
	    "{\"description\":\"notes\"}");
	expect_err("GET", "/v3/versions/othertrain/testcomponent/latest",
	    NULL, NULL, 404, "404 release not found");
}
END_TEST

START_TEST(test_latest_ties)
{
	const char	*t = "2017-08-22T16:20:00Z";

	/* The newest instant wins, whatever the semantic version. */
	publish("stable", "deis-router", "v2.13.3", t, NULL);
	publish("stable", "deis-router", "v9.0.0", "2017-08-22T16:19:59Z",
	    NULL);
	publish("stable", "deis-router", "v1.0.0", "2017-08-22T17:20:00+01:00",
	    NULL);
	expect_release("/v3/versions/stable/deis-router/latest",
	    "deis-router", "stable", "v2.13.3", t, NULL);
	/* A tie: the higher semantic version, then the first published. */
	publish("stable", "deis-builder", "v2.9.0", t, NULL);
	publish("stable", "deis-builder", "canary", t, NULL);
	publish("stable", "deis-builder", "v2.10.0", t, NULL);
	publish("stable", "deis-builder", "v2.10.0-rc1", t, NULL);
	publish("stable", "deis-builder", "2.10.0", t, NULL);
	expect_release("/v3/versions/stable/deis-builder/latest",
	    "deis-builder", "stable", "v2.10.0", t, NULL);
	/* Re-publishing keeps the first publication's place. */
	publish("stable", "deis-builder", "2.10.0", t, NULL);
	publish("stable", "deis-builder", "v2.10.0", t, NULL);
	expect_release("/v3/versions/stable/deis-builder/latest",
	    "deis-builder", "stable", "v2.10.0", t, NULL);
	/* No semantic version at all: the first published. */
	publish("stable", "deis-minio", "git-abc1234", t, NULL);
	publish("stable", "deis-minio", "canary", t, NULL);
	expect_release("/v3/versions/stable/deis-minio/latest",
	    "deis-minio", "stable", "git-abc1234", t, NULL);
	/* A release named "latest" is never read by that name. */
	publish("stable", "deis-minio", "latest", "2010-01-01T00:00:00Z",
	    NULL);
	expect_release("/v3/versions/stable/deis-minio/latest",
	    "deis-minio", "stable", "git-abc1234", t, NULL);
}
END_TEST

/* Rows of an original database: odd data, no release time. */
START_TEST(test_original_rows)
{
	insert("deis-logger", "beta", "2.0.0-beta3", "2016-04-26T00:00:00Z",
	    "{\"notes\":\"from test_data.sql\"}");
	insert("deis-logger", "beta", "2.0.0-rc1", "2016-05-25T00:00:00Z",
	    NULL);
	insert("deis-logger", "beta", "2.0.0-rc0", NULL, NULL);
	insert(NULL, "beta", "2.0.0-rc9", "2020-01-01T00:00:00Z", NULL);
	expect_release("/v3/versions/beta/deis-logger/2.0.0-beta3",
	    "deis-logger", "beta", "2.0.0-beta3", "2016-04-26T00:00:00Z",
	    NULL);
	expect_release("/v3/versions/beta/deis-logger/latest",
	    "deis-logger", "beta", "2.0.0-rc1", "2016-05-25T00:00:00Z", NULL);
	expect("GET", "/v3/versions/beta/deis-logger/2.0.0-rc0", NULL, NULL,
	    200, "{\"component\":{\"name\":\"deis-logger\"},\"version\":"
	    "{\"data\":{},\"train\":\"beta\",\"version\":\"2.0.0-rc0\"}}\n");
	/* Without a release time: first in the list, below in "latest". */
	expect("GET", "/v3/versions/beta/deis-logger", NULL, NULL, 200,
	    list_of("{\"component\":{\"name\":\"deis-logger\"},\"version\":"
	    "{\"data\":{},\"train\":\"beta\",\"version\":\"2.0.0-rc0\"}}",
	    release("deis-logger", "beta", "2.0.0-beta3",
	    "2016-04-26T00:00:00Z", NULL), release("deis-logger", "beta",
	    "2.0.0-rc1", "2016-05-25T00:00:00Z", NULL), NULL));
	/* Only undated rows: the highest version, then the first. */
	insert("old", "beta", "b", NULL, NULL);
	insert("old", "beta", "a", NULL, NULL);
	expect("GET", "/v3/versions/beta/old/latest", NULL, NULL, 200,
	    "{\"component\":{\"name\":\"old\"},\"version\":{\"data\":{},"
	    "\"train\":\"beta\",\"version\":\"b\"}}\n");
	insert("old", "beta", "1.0.0", NULL, NULL);
	expect("GET", "/v3/versions/beta/old/latest", NULL, NULL, 200,
	    "{\"component\":{\"name\":\"old\"},\"version\":{\"data\":{},"
	    "\"train\":\"beta\",\"version\":\"1.0.0\"}}\n");
	ck_assert_str_eq(multi("/v3/versions/latest", "{\"data\":["
	    "{\"component\":{\"name\":\"old\"},"
	    "\"version\":{\"train\":\"beta\"}},"
	    "{\"component\":{\"name\":\"deis-logger\"},"
	    "\"version\":{\"train\":\"beta\"}}]}"),
	    "old/beta/1.0.0\ndeis-logger/beta/2.0.0-rc1\n");
}
END_TEST

/* ------------------------------------------------------------ multi-get */

/* The original's server TestGetLatestVersions. */
START_TEST(test_multi_original)
{
	int64_t	 now = now_s();
	char	 c[16], t[16], body[2048], want[1024];
	size_t	 n;
	cJSON	*j, *el;
	int	 i = 0;
	char	*got;

	n = (size_t)snprintf(body, sizeof(body), "{\"data\":[");
	for (int k = 0; k < 6; k++) {
		snprintf(c, sizeof(c), "component%d", k);
		snprintf(t, sizeof(t), "train%d", k);
		publish(t, c, "1.0.0", ts(now + (k + 1) * 3600), NULL);
		publish(t, c, "2.0.0", ts(now + 2 * (k + 1) * 3600), NULL);
		n += (size_t)snprintf(body + n, sizeof(body) - n,
		    "%s{\"component\":{\"name\":\"%s\"},\"version\":"
		    "{\"train\":\"%s\"}}", k > 0 ? "," : "", c, t);
	}
	snprintf(body + n, sizeof(body) - n, "]}\n");
	got = req("POST", "/v3/versions/latest", body, NULL, 200);
	j = cJSON_Parse(got);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j,
	    "data")), 6);
	cJSON_ArrayForEach(el, cJSON_GetObjectItemCaseSensitive(j, "data")) {
		char	*one = cJSON_PrintUnformatted(el);

		snprintf(c, sizeof(c), "component%d", i);
		snprintf(t, sizeof(t), "train%d", i);
		snprintf(want, sizeof(want), "%s", release(c, t, "2.0.0",
		    ts(now + 2 * (i + 1) * 3600), NULL));
		ck_assert_str_eq(one, want);
		cJSON_free(one);
		i++;
	}
	cJSON_Delete(j);
	free(got);
}
END_TEST

/* The original's data-layer TestGetLatestVersions: 3 x 3 x 3 + 1. */
START_TEST(test_multi_grid)
{
	int64_t		 base = 1483228800;	/* 2017-01-01 */
	const int	 hours[3] = { 2, 3, 1 };
	char		 c[16], t[16], v[16], body[2048], want[1024];
	size_t		 n, w = 0;

	n = (size_t)snprintf(body, sizeof(body), "{\"data\":[");
	for (int ci = 0; ci < 3; ci++)
		for (int ti = 0; ti < 3; ti++) {
			snprintf(c, sizeof(c), "comp%d", ci);
			snprintf(t, sizeof(t), "train%d", ti);
			for (int k = 0; k < 3; k++) {
				snprintf(v, sizeof(v), "v%d.%d.%d", ci, ti, k);
				publish(t, c, v, ts(base + (ci * 100 + ti * 10
				    + hours[k]) * 3600), NULL);
			}
			n += (size_t)snprintf(body + n, sizeof(body) - n,
			    "%s{\"component\":{\"name\":\"%s\"},\"version\":"
			    "{\"train\":\"%s\"}}", ci + ti > 0 ? "," : "", c,
			    t);
			w += (size_t)snprintf(want + w, sizeof(want) - w,
			    "%s/%s/v%d.%d.1\n", c, t, ci, ti);
		}
	publish("train0", "unrelated", "v9.9.9", ts(base + 999 * 3600), NULL);
	snprintf(body + n, sizeof(body) - n, "]}");
	ck_assert_str_eq(multi("/v3/versions/latest", body), want);
}
END_TEST

START_TEST(test_multi_pairs)
{
	const char	*t = "2017-08-22T16:20:00Z";

	publish("stable", "router", "v2", t, NULL);
	publish("beta", "router", "b2", t, NULL);
	publish("stable", "builder", "v1", t, NULL);
	publish("beta", "builder", "b1", t, NULL);
	/* Exactly the pairs asked for (the original: the cross product). */
	ck_assert_str_eq(multi("/v3/versions/latest", "{\"data\":["
	    "{\"component\":{\"name\":\"router\"},\"version\":"
	    "{\"train\":\"stable\"}},"
	    "{\"component\":{\"name\":\"builder\"},\"version\":"
	    "{\"train\":\"beta\"}}]}"), "router/stable/v2\nbuilder/beta/b1\n");
	/* First-request order, duplicates once, unknown pairs left out. */
	ck_assert_str_eq(multi("/v3/versions/latest", "{\"data\":["
	    "{\"component\":{\"name\":\"builder\"},\"version\":"
	    "{\"train\":\"stable\"}},"
	    "{\"component\":{\"name\":\"nope\"},\"version\":"
	    "{\"train\":\"stable\"}},"
	    "{\"component\":{\"name\":\"router\"},\"version\":"
	    "{\"train\":\"stable\"}},"
	    "{\"component\":{\"name\":\"builder\"},\"version\":"
	    "{\"train\":\"stable\"}},"
	    "{\"component\":{\"name\":\"router\"},\"version\":"
	    "{\"train\":\"canary\"}}]}"),
	    "builder/stable/v1\nrouter/stable/v2\n");
	/* Nothing found: an empty list. */
	expect("POST", "/v3/versions/latest", "{\"data\":[{\"component\":"
	    "{\"name\":\"nope\"},\"version\":{\"train\":\"stable\"}}]}", NULL,
	    200, "{\"data\":[]}\n");
	/* The whole answer, byte for byte. */
	expect("POST", "/v3/versions/latest", "{\"data\":[{\"component\":"
	    "{\"name\":\"router\"},\"version\":{\"train\":\"beta\"}}]}", NULL,
	    200, list_of(release("router", "beta", "b2", t, NULL), NULL));
	/* Keys in any case, unknown keys ignored, as the original. */
	ck_assert_str_eq(multi("/v3/versions/latest", "{\"DATA\":["
	    "{\"Component\":{\"Name\":\"router\",\"type\":\"Deployment\"},"
	    "\"Version\":{\"Train\":\"stable\",\"version\":\"v1\"},"
	    "\"extra\":1}]}\n"), "router/stable/v2\n");
}
END_TEST

START_TEST(test_multi_trains)
{
	const char	*t = "2017-08-22T16:20:00Z";

	publish("beta", "deis-router", "2.0.0-rc1", t, NULL);
	publish("stable", "deis-router", "v2.0.0", t, NULL);
	/* v2: "" or missing means beta. */
	ck_assert_str_eq(multi("/v2/versions/latest", "{\"data\":["
	    "{\"component\":{\"name\":\"deis-router\"},\"version\":"
	    "{\"train\":\"\"}}]}"), "deis-router/beta/2.0.0-rc1\n");
	ck_assert_str_eq(multi("/v2/versions/latest", "{\"data\":["
	    "{\"component\":{\"name\":\"deis-router\"},\"version\":{}},"
	    "{\"component\":{\"name\":\"deis-router\"},\"version\":"
	    "{\"train\":\"\"}},"
	    "{\"component\":{\"name\":\"deis-router\"},\"version\":"
	    "{\"train\":\"stable\"}}]}"),
	    "deis-router/beta/2.0.0-rc1\ndeis-router/stable/v2.0.0\n");
	/* The rc2 ... v2.3.3 agents' element shape. */
	ck_assert_str_eq(multi("/v2/versions/latest", "{\"data\":["
	    "{\"component\":{\"description\":\"\",\"name\":\"deis-router\"},"
	    "\"version\":{\"train\":\"\",\"version\":\"\",\"data\":null}}]}\n"),
	    "deis-router/beta/2.0.0-rc1\n");
	/* v3: the empty train is the empty train. */
	expect("POST", "/v3/versions/latest", "{\"data\":[{\"component\":"
	    "{\"name\":\"deis-router\"},\"version\":{\"train\":\"\"}},"
	    "{\"component\":{\"name\":\"deis-router\"},\"version\":{}}]}",
	    NULL, 200, "{\"data\":[]}\n");
}
END_TEST

START_TEST(test_multi_empty)
{
	const char	*bodies[] = { "{}", "null", "{\"data\":[]}",
	    "{\"data\":null}", " {}\n", "{\"other\":[1]}" };

	publish("stable", "deis-router", "v1", "2017-08-22T16:20:00Z", NULL);
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		expect("POST", "/v3/versions/latest", bodies[i], NULL, 200,
		    "{\"data\":[]}\n");
		expect("POST", "/v2/versions/latest", bodies[i], NULL, 200,
		    "{\"data\":[]}\n");
	}
}
END_TEST

START_TEST(test_multi_errors)
{
	const char	*u = "/v3/versions/latest";
	const char	*good = "{\"component\":{\"name\":\"a\"},"
	    "\"version\":{\"train\":\"stable\"}}";
	char		 body[512];

	/* The original dropped the connection for these. */
	expect_err("POST", u, "{\"data\":[null]}", NULL, 422,
	    "data[0].component in body is required");
	expect_err("POST", u, "{\"data\":[{}]}", NULL, 422,
	    "data[0].component in body is required");
	expect_err("POST", u, "{\"data\":[{\"version\":{}}]}", NULL, 422,
	    "data[0].component in body is required");
	expect_err("POST", u, "{\"data\":[{\"component\":{\"name\":\"a\"}}]}",
	    NULL, 422, "data[0].version in body is required");
	expect_err("POST", "/v2/versions/latest",
	    "{\"data\":[{\"component\":{\"name\":\"a\"},\"version\":null}]}",
	    NULL, 422, "data[0].version in body is required");
	expect_err("POST", u, "{\"data\":[{\"component\":{},"
	    "\"version\":{}}]}", NULL, 422,
	    "data[0].component.name in body is required");
	snprintf(body, sizeof(body), "{\"data\":[%s,%s,{\"component\":"
	    "{\"name\":\"\"},\"version\":{}}]}", good, good);
	expect_err("POST", u, body, NULL, 422,
	    "data[2].component.name in body is required");
	/* Wrong JSON types: 400. */
	expect_err("POST", u, "{\"data\":{}}", NULL, 400, NULL);
	expect_err("POST", u, "{\"data\":[5]}", NULL, 400, NULL);
	expect_err("POST", u, "[]", NULL, 400, NULL);
	expect_err("POST", u, "\"x\"", NULL, 400, NULL);
	expect_err("POST", u, "{\"data\":[{\"component\":\"a\","
	    "\"version\":{}}]}", NULL, 400, NULL);
	expect_err("POST", u, "{\"data\":[{\"component\":{\"name\":1},"
	    "\"version\":{}}]}", NULL, 400, NULL);
	expect_err("POST", u, "{\"data\":[{\"component\":{\"name\":\"a\"},"
	    "\"version\":{\"train\":false}}]}", NULL, 400, NULL);
	expect_err("POST", u, "", NULL, 400, NULL);
	expect_err("POST", u, "{} {}", NULL, 400, NULL);
}
END_TEST

START_TEST(test_multi_limit)
{
	struct th_ctx	*keep = ctx;
	struct buf	 b = BUF_INIT;
	char		*got;

	/* The default limit: 256 distinct pairs pass, 257 do not. */
	buf_puts(&b, "{\"data\":[");
	for (int i = 0; i < 257; i++)
		buf_printf(&b, "%s{\"component\":{\"name\":\"c%d\"},"
		    "\"version\":{\"train\":\"stable\"}}", i > 0 ? "," : "",
		    i == 256 ? 0 : i);
	buf_puts(&b, "]}");
	free(req("POST", "/v3/versions/latest", b.data, NULL, 200));
	buf_reset(&b);
	buf_puts(&b, "{\"data\":[");
	for (int i = 0; i < 257; i++)
		buf_printf(&b, "%s{\"component\":{\"name\":\"c%d\"},"
		    "\"version\":{\"train\":\"stable\"}}", i > 0 ? "," : "", i);
	buf_puts(&b, "]}");
	expect_err("POST", "/v3/versions/latest", b.data, NULL, 413,
	    "at most 256 (component, train) pairs per request");
	buf_free(&b);

	ctx = new_ctx("max_latest_pairs = 3\n");
	publish("stable", "a", "v1", "2017-08-22T16:20:00Z", NULL);
	got = multi("/v2/versions/latest", "{\"data\":["
	    ELEM("a", "stable") ","
	    ELEM("b", "stable") ","
	    ELEM("a", "stable") ","
	    "{\"component\":{\"name\":\"a\"},\"version\":{}},"
	    ELEM("b", "stable")
	    "]}");
	ck_assert_str_eq(got, "a/stable/v1\n");
	expect_err("POST", "/v2/versions/latest", "{\"data\":["
	    ELEM("a", "stable") ","
	    ELEM("b", "stable") ","
	    "{\"component\":{\"name\":\"a\"},\"version\":{}},"
	    ELEM("a", "x")
	    "]}", NULL, 413, "at most 3 (component, train) pairs per request");
	th_ctx_free(ctx);
	ctx = keep;
}
END_TEST

START_TEST(test_multi_names)
{
	const char	*t = "2017-08-22T16:20:00Z";

	/*
	 * Names with JSON and SQL specials reach the query intact: the
	 * pairs travel as JSON text.
	 */
	publish("stable", "we%22ird%5C%27%20%3C%3E%26", "v1", t, NULL);
	publish("stable", "%C3%A9t%C3%A9", "v2", t, NULL);
	publish("st%22a", "x", "v3", t, NULL);
	ck_assert_str_eq(multi("/v3/versions/latest", "{\"data\":["
	    "{\"component\":{\"name\":\"we\\\"ird\\\\' <>&\"},"
	    "\"version\":{\"train\":\"stable\"}},"
	    "{\"component\":{\"name\":\"\\u00e9t\\u00e9\"},"
	    "\"version\":{\"train\":\"stable\"}},"
	    "{\"component\":{\"name\":\"x\"},"
	    "\"version\":{\"train\":\"st\\\"a\"}},"
	    "{\"component\":{\"name\":\"]\"},"
	    "\"version\":{\"train\":\"[\"}},"
	    "{\"component\":{\"name\":\"a23456789012345678901234567890123\"},"
	    "\"version\":{\"train\":\"\\u0001\"}}]}"),
	    "we\"ird\\' <>&/stable/v1\n\xc3\xa9t\xc3\xa9/stable/v2\n"
	    "x/st\"a/v3\n");
	expect("GET", "/v3/versions/stable/we%22ird%5C%27%20%3C%3E%26/latest",
	    NULL, NULL, 200, "{\"component\":{\"name\":"
	    "\"we\\\"ird\\\\' \\u003c\\u003e\\u0026\"},"
	    "\"version\":{\"data\":{},"
	    "\"released\":\"2017-08-22T16:20:00Z\",\"train\":\"stable\","
	    "\"version\":\"v1\"}}\n");
}
END_TEST

/* Through the original schema's constraints: a tie in the multi-get. */
START_TEST(test_multi_ties)
{
	const char	*t = "2017-08-22T16:20:00Z";

	publish("stable", "deis-controller", "v2.17.3", t, NULL);
	publish("stable", "deis-controller", "v2.18.0", t, NULL);
	publish("stable", "deis-controller", "v2.9.9", t, NULL);
	publish("stable", "deis-controller", "v2.0.0", "2017-01-01T00:00:00Z",
	    NULL);
	ck_assert_str_eq(multi("/v3/versions/latest", "{\"data\":["
	    "{\"component\":{\"name\":\"deis-controller\"},"
	    "\"version\":{\"train\":\"stable\"}}]}"),
	    "deis-controller/stable/v2.18.0\n");
}
END_TEST

/* The database is unreachable: 503 with Retry-After, never 404 or a hang. */
START_TEST(test_unavailable)
{
	struct th_ctx	*keep = ctx;
	const char	*uris[] = { "/v3/versions/stable/deis-router",
	    "/v3/versions/stable/deis-router/latest",
	    "/v3/versions/stable/deis-router/v1" };
	struct th_resp	 r;

	ctx = new_ctx("database = host=/nonexistent dbname=wfm\n"
	    "connect_timeout = 2\n");
	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		th_request(ctx, "GET", uris[i], NULL, NULL, NULL, &r);
		ck_assert_int_eq(r.status, 503);
		ck_assert_ptr_nonnull(th_header(&r, "Retry-After"));
		th_resp_free(&r);
	}
	th_request(ctx, "POST", "/v3/versions/latest", JSON, "{}", NULL, &r);
	ck_assert_int_eq(r.status, 503);
	th_resp_free(&r);
	th_request(ctx, "POST", "/v3/versions/stable/deis-router/v1", JSON,
	    "{\"version\":{\"released\":\"2017-08-22T16:20:00Z\"}}", AUTH,
	    &r);
	ck_assert_int_eq(r.status, 503);
	th_resp_free(&r);
	th_ctx_free(ctx);
	ctx = keep;
}
END_TEST

static Suite *
versions_suite(void)
{
	Suite	*s = suite_create("api_versions");
	TCase	*tc;

	tc = tcase_create("publish");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_publish_minimal);
	tcase_add_test(tc, test_publish_echo);
	tcase_add_test(tc, test_publish_reduces);
	tcase_add_test(tc, test_publish_times);
	tcase_add_test(tc, test_republish);
	tcase_add_test(tc, test_publish_body_vs_path);
	tcase_add_test(tc, test_publish_422);
	tcase_add_test(tc, test_publish_names);
	tcase_add_test(tc, test_publish_400);
	tcase_add_test(tc, test_publish_auth);
	tcase_add_test(tc, test_publish_unconfigured);
	tcase_add_test(tc, test_publish_concurrent);
	suite_add_tcase(s, tc);

	tc = tcase_create("read");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_get_version);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_latest);
	tcase_add_test(tc, test_latest_ties);
	tcase_add_test(tc, test_original_rows);
	tcase_add_test(tc, test_unavailable);
	suite_add_tcase(s, tc);

	tc = tcase_create("multi");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_multi_original);
	tcase_add_test(tc, test_multi_grid);
	tcase_add_test(tc, test_multi_pairs);
	tcase_add_test(tc, test_multi_trains);
	tcase_add_test(tc, test_multi_empty);
	tcase_add_test(tc, test_multi_errors);
	tcase_add_test(tc, test_multi_limit);
	tcase_add_test(tc, test_multi_names);
	tcase_add_test(tc, test_multi_ties);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return th_run(versions_suite());
}
