/* check_api_clusters.c: the cluster routes against a real PostgreSQL. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "testhelp.h"
#include "timefmt.h"

#define JSON	"application/json"
#define UUID1	"8c6da034-c8b1-489a-a55d-a2215d93f934"
#define UUID2	"0d3e0a52-6f4c-4c1b-9e64-5c2f7f1b8a3e"
#define UUID3	"11111111-2222-3333-4444-555555555555"
#define UUID4	"22222222-2222-3333-4444-555555555555"

/* Seconds of slack when a server time is compared with the test's clock. */
#define SLACK	10

/* The v2.18.0 check-in of clients.md section 2.1.3 (15 components). */
#define V218_COMPONENT(n, t, img, v) \
	"{\"component\":{\"name\":\"" n "\",\"type\":\"" t "\"},\"version\":" \
	"{\"data\":{\"image\":\"quay.io/deis/" img ":" v "\"},\"version\":\"" \
	v "\"}}"
#define V218_BODY(id) "{\"components\":[" \
	V218_COMPONENT("deis-builder", "Deployment", "builder", "v2.12.0") "," \
	V218_COMPONENT("deis-controller", "Deployment", "controller", \
	    "v2.18.0") "," \
	V218_COMPONENT("deis-database", "Deployment", "postgres", \
	    "v2.5.6") "," \
	V218_COMPONENT("deis-logger", "Deployment", "logger", "v2.4.5") "," \
	V218_COMPONENT("deis-logger-redis", "Deployment", "redis", "v2.2.7") \
	"," V218_COMPONENT("deis-minio", "Deployment", "minio", "v2.3.6") "," \
	V218_COMPONENT("deis-monitor-grafana", "Deployment", "grafana", \
	    "v2.10.1") "," \
	V218_COMPONENT("deis-monitor-influxdb", "Deployment", "influxdb", \
	    "v2.10.1") "," \
	V218_COMPONENT("deis-nsqd", "Deployment", "nsq", "v2.2.8") "," \
	V218_COMPONENT("deis-registry", "Deployment", "registry", "v2.4.2") \
	"," V218_COMPONENT("deis-router", "Deployment", "router", "v2.13.3") \
	"," V218_COMPONENT("deis-workflow-manager", "Deployment", \
	    "workflow-manager", "v2.5.1") "," \
	V218_COMPONENT("deis-logger-fluentd", "Daemon Set", "fluentd", \
	    "v2.12.0") "," \
	V218_COMPONENT("deis-monitor-telegraf", "Daemon Set", "telegraf", \
	    "v2.10.1") "," \
	V218_COMPONENT("deis-registry-proxy", "Daemon Set", "registry-proxy", \
	    "v1.3.0") \
	"],\"id\":\"" id "\"}\n"

static struct th_ctx	*ctx;
static PGconn		*pg;

/* ------------------------------------------------------------ helpers */

static void
setup(void)
{
	ctx = th_ctx_new("migrate_on_start = off\n");
	pg = th_pg();
	th_truncate_all(pg);
	th_exec(pg, "TRUNCATE cluster_stats");
}

static void
teardown(void)
{
	th_ctx_free(ctx);
	PQfinish(pg);
}

static const char *
scalar(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *
scalar(const char *fmt, ...)
{
	char		 sql[2048];
	va_list		 ap;
	const char	*v;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	v = th_scalar(pg, sql);
	return v != NULL ? v : "(null)";
}

static void
exec(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
exec(const char *fmt, ...)
{
	char		 sql[4096];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	th_exec(pg, sql);
}

static void
req(const char *method, const char *uri, const char *body,
    struct th_resp *r)
{
	th_request(ctx, method, uri, body != NULL ? JSON : NULL, body, NULL,
	    r);
}

/* The body as JSON; fails the test when it is not. */
static cJSON *
json(const struct th_resp *r)
{
	cJSON	*j = cJSON_Parse(r->body);

	ck_assert_msg(j != NULL, "not JSON: %s", r->body);
	return j;
}

static const char *
str(const cJSON *o, const char *k)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, k);

	ck_assert_msg(cJSON_IsString(v), "no string %s", k);
	return v->valuestring;
}

/* Parses a firstSeen/lastSeen "YYYY-MM-DDTHH:MM:SS.mmmZ" to seconds. */
static int64_t
seen(const cJSON *o, const char *k)
{
	const char	*s = str(o, k);
	struct wtime	 t;

	ck_assert_msg(strlen(s) == 24 && s[19] == '.' && s[23] == 'Z',
	    "%s is %s", k, s);
	ck_assert_int_eq(time_parse_rfc3339(s, strlen(s), &t), 0);
	return t.sec;
}

static int64_t
now_sec(void)
{
	struct wtime	 t;

	time_now(&t);
	return t.sec;
}

/* An RFC 3339 instant `delta' seconds from now (4 rotating buffers). */
static const char *
rel(int64_t delta)
{
	static char	 bufs[4][32];
	static int	 k;

	k = (k + 1) % 4;
	time_format_s(now_sec() + delta, bufs[k], sizeof(bufs[k]));
	return bufs[k];
}

/* A SQL timestamp literal `delta' seconds from now (8 rotating buffers). */
static const char *
sqlts(int64_t delta)
{
	static char	 bufs[8][48];
	static int	 k;
	char		 t[32];

	k = (k + 1) % 8;
	time_format_s(now_sec() + delta, t, sizeof(t));
	t[10] = ' ';
	t[19] = '\0';
	snprintf(bufs[k], sizeof(bufs[k]), "timestamp '%s'", t);
	return bufs[k];
}

/*
 * A cluster as the original (or a check-in) leaves it: a clusters row,
 * `n' check-ins from `first' to `last' (SQL timestamp expressions), and
 * the summary rebuilt from them as migration 0003 does.
 */
static void
fixture(const char *id, const char *first, const char *last, int n)
{
	exec("INSERT INTO clusters (cluster_id, data) VALUES ('%s', "
	    "'{\"components\":[],\"id\":\"%s\"}') ON CONFLICT DO NOTHING",
	    id, id);
	exec("INSERT INTO clusters_checkins (cluster_id, created_at, data) "
	    "SELECT '%s', (%s)::timestamp + "
	    "((%s)::timestamp - (%s)::timestamp) * i / greatest(%d - 1, 1), "
	    "'{}' FROM generate_series(0, %d - 1) i", id, first, last, first,
	    n, n);
	exec("INSERT INTO cluster_stats SELECT cluster_id, min(created_at), "
	    "max(created_at), count(*) FROM clusters_checkins "
	    "WHERE cluster_id = '%s' GROUP BY cluster_id "
	    "ON CONFLICT (cluster_id) DO UPDATE SET "
	    "first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen, "
	    "checkins = EXCLUDED.checkins", id);
}

/* ------------------------------------------------------------ check-in */

START_TEST(test_checkin_v218)
{
	struct th_resp	 r;
	cJSON		*j, *c;
	int64_t		 first, last, t0 = now_sec();

	req("POST", "/v3/clusters", V218_BODY(UUID2), &r);
	ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
	ck_assert_str_eq(th_header(&r, "Content-Type"), JSON);
	ck_assert(r.body[r.body_len - 1] == '\n');
	j = json(&r);
	ck_assert_str_eq(str(j, "id"), UUID2);
	c = cJSON_GetObjectItemCaseSensitive(j, "components");
	ck_assert_int_eq(cJSON_GetArraySize(c), 15);
	ck_assert_str_eq(str(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetArrayItem(c, 14), "component"), "type"), "Daemon Set");
	first = seen(j, "firstSeen");
	last = seen(j, "lastSeen");
	ck_assert(first == last);
	ck_assert_msg(first >= t0 - SLACK && first <= t0 + SLACK,
	    "firstSeen %lld, now %lld", (long long)first, (long long)t0);
	/* Key order of the model: components, firstSeen, id, lastSeen. */
	ck_assert(strncmp(r.body, "{\"components\":[{\"component\":{\"name\":"
	    "\"deis-builder\",\"type\":\"Deployment\"},\"version\":{\"data\":"
	    "{\"image\":\"quay.io/deis/builder:v2.12.0\"},\"version\":"
	    "\"v2.12.0\"}},", 130) == 0);
	ck_assert(strstr(r.body, "],\"firstSeen\":\"") != NULL);
	ck_assert(strstr(r.body, "\",\"id\":\"" UUID2 "\",\"lastSeen\":\"") !=
	    NULL);
	cJSON_Delete(j);
	th_resp_free(&r);

	ck_assert_str_eq(scalar("SELECT count(*) FROM clusters_checkins "
	    "WHERE cluster_id = '%s'", UUID2), "1");
	ck_assert_str_eq(scalar("SELECT checkins FROM cluster_stats "
	    "WHERE cluster_id = '%s'", UUID2), "1");
	/* The check-in row holds the server's UTC time. */
	ck_assert_str_eq(scalar("SELECT abs(extract(epoch FROM created_at) - "
	    "%lld) < %d FROM clusters_checkins", (long long)first, SLACK),
	    "t");
	ck_assert_str_eq(scalar("SELECT data->>'id' FROM clusters"), UUID2);
	ck_assert_str_eq(scalar("SELECT json_array_length(data->'components') "
	    "FROM clusters_checkins"), "15");

	/* A second check-in: firstSeen stays, lastSeen moves. */
	usleep(20000);
	req("POST", "/v3/clusters", "{\"id\":\"" UUID2 "\",\"components\":[]}",
	    &r);
	ck_assert_int_eq(r.status, 200);
	j = json(&r);
	ck_assert(seen(j, "firstSeen") == first);
	ck_assert_str_eq(str(j, "firstSeen"), scalar("SELECT to_char("
	    "first_seen, 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM "
	    "cluster_stats"));
	ck_assert(strcmp(str(j, "lastSeen"), str(j, "firstSeen")) > 0);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    j, "components")), 0);
	cJSON_Delete(j);
	th_resp_free(&r);
	ck_assert_str_eq(scalar("SELECT count(*) FROM clusters_checkins"), "2");
	ck_assert_str_eq(scalar("SELECT checkins FROM cluster_stats"), "2");
	ck_assert_str_eq(scalar("SELECT count(*) FROM clusters"), "1");
	ck_assert_str_eq(scalar("SELECT data::text FROM clusters"),
	    "{\"components\":[],\"id\":\"" UUID2 "\"}");
	ck_assert_str_eq(scalar("SELECT last_seen > first_seen FROM "
	    "cluster_stats"), "t");
}
END_TEST

/* TestPostClusters: capitalised keys; then TestGetClusterByID. */
START_TEST(test_post_capitalised_get)
{
	struct th_resp	 r;
	cJSON		*j, *cv;

	req("POST", "/v3/clusters", "{\"Components\":[{\"Component\":{\"Name\":"
	    "\"component-a\"},\"Version\":{\"Version\":\"1.0\"}}],\"ID\":\""
	    "{8C6DA034-C8B1-489A-A55D-A2215D93F934}\"}", &r);
	ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
	th_resp_free(&r);

	/* Lookup by value: any form of the UUID finds it. */
	req("GET", "/v3/clusters/8C6DA034C8B1489AA55DA2215D93F934", NULL, &r);
	ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
	ck_assert_str_eq(th_header(&r, "Content-Type"), JSON);
	j = json(&r);
	ck_assert_str_eq(str(j, "id"), UUID1);
	cv = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j,
	    "components"), 0);
	ck_assert_str_eq(str(cJSON_GetObjectItemCaseSensitive(cv, "component"),
	    "name"), "component-a");
	ck_assert_str_eq(str(cJSON_GetObjectItemCaseSensitive(cv, "version"),
	    "version"), "1.0");
	ck_assert(seen(j, "firstSeen") == seen(j, "lastSeen"));
	cJSON_Delete(j);
	th_resp_free(&r);

	req("GET", "/v3/clusters/" UUID2, NULL, &r);
	th_expect_error(&r, 404, "404 cluster not found");
	th_resp_free(&r);
	req("GET", "/v3/clusters/testcluster", NULL, &r);
	th_expect_error(&r, 404, "404 cluster not found");
	th_resp_free(&r);
	req("HEAD", "/v3/clusters/" UUID1, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.body_len, 0);
	th_resp_free(&r);
}
END_TEST

/* POST /v2/clusters/{id}, and rc1's //v2/clusters//{id}. */
START_TEST(test_checkin_v2)
{
	struct th_resp	 r;
	cJSON		*j;

	req("POST", "/v2/clusters/" UUID1, "{\"id\":\"" UUID1 "\","
	    "\"components\":[{\"component\":{\"name\":\"deis-builder\"},"
	    "\"version\":{\"train\":\"\",\"version\":\"\",\"data\":null}}]}",
	    &r);
	ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
	j = json(&r);
	ck_assert_str_eq(str(j, "id"), UUID1);
	cJSON_Delete(j);
	th_resp_free(&r);

	/* No id in the body: the path's, in canonical form. */
	req("POST", "//v2/clusters//0D3E0A526F4C4C1B9E645C2F7F1B8A3E",
	    "{\"components\":[]}", &r);
	ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
	j = json(&r);
	ck_assert_str_eq(str(j, "id"), UUID2);
	cJSON_Delete(j);
	th_resp_free(&r);

	/* The body's id wins over the path's. */
	req("POST", "/v2/clusters/" UUID3, "{\"id\":\"" UUID4 "\"}", &r);
	ck_assert_int_eq(r.status, 200);
	j = json(&r);
	ck_assert_str_eq(str(j, "id"), UUID4);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j,
	    "components")));
	cJSON_Delete(j);
	th_resp_free(&r);
	ck_assert_str_eq(scalar("SELECT count(*) FROM clusters WHERE "
	    "cluster_id = '%s'", UUID3), "0");

	req("POST", "/v2/clusters/testcluster", "{\"components\":[]}", &r);
	th_expect_error(&r, 422, "id in path must be a UUID: \\\"testcluster\\\"");
	th_resp_free(&r);
	ck_assert_str_eq(scalar("SELECT count(*) FROM clusters"), "3");
	ck_assert_str_eq(scalar("SELECT count(*) FROM clusters_checkins"), "3");
}
END_TEST

START_TEST(test_checkin_errors)
{
	struct th_resp	 r;

	req("POST", "/v3/clusters", "{\"components\":[]}", &r);
	th_expect_error(&r, 422, "id in body is required");
	th_resp_free(&r);
	req("POST", "/v3/clusters", "{\"id\":\"\",\"components\":[]}", &r);
	th_expect_error(&r, 422, "id in body is required");
	th_resp_free(&r);
	req("POST", "/v3/clusters", "{\"id\":\"testcluster\"}", &r);
	th_expect_error(&r, 422, "id in body must be a UUID: \\\"testcluster\\\"");
	th_resp_free(&r);
	req("POST", "/v3/clusters", "{\"id\":\"" UUID1 "\",\"components\":{}}",
	    &r);
	ck_assert_int_eq(r.status, 400);
	th_resp_free(&r);
	req("POST", "/v3/clusters", "{\"id\":", &r);
	ck_assert_int_eq(r.status, 400);
	th_resp_free(&r);
	req("POST", "/v3/clusters", "", &r);
	ck_assert_int_eq(r.status, 400);
	th_resp_free(&r);
	th_request(ctx, "POST", "/v3/clusters", "text/plain",
	    "{\"id\":\"" UUID1 "\"}", NULL, &r);
	ck_assert_int_eq(r.status, 415);
	th_resp_free(&r);
	req("GET", "/v3/clusters", NULL, &r);
	ck_assert_int_eq(r.status, 405);
	ck_assert_str_eq(th_header(&r, "Allow"), "POST");
	th_resp_free(&r);
	req("POST", "/v3/clusters/count", "{}", &r);
	ck_assert_int_eq(r.status, 405);
	th_resp_free(&r);
	ck_assert_str_eq(scalar("SELECT count(*) FROM clusters_checkins"), "0");
	ck_assert_str_eq(scalar("SELECT count(*) FROM clusters"), "0");
}
END_TEST

/*
 * 32 processes check in one new cluster at once, each with its own
 * connection made after the fork: all succeed, 32 check-ins, one cluster.
 */
START_TEST(test_checkin_concurrent)
{
	enum { NPROC = 32 };
	pid_t	 pids[NPROC];
	int	 gate[2], out[2], ok = 0;
	char	 line[64];
	FILE	*f;
	int64_t	 first_min = INT64_MAX, first_max = 0, t0 = now_sec();

	ck_assert_int_eq(pipe(gate), 0);
	ck_assert_int_eq(pipe(out), 0);
	for (int i = 0; i < NPROC; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			struct th_ctx	*c;
			struct th_resp	 r;
			cJSON		*j;
			char		 one, msg[64];
			int		 st, n;

			close(gate[1]);
			close(out[0]);
			c = th_ctx_new("migrate_on_start = off\n");
			/* Connect first, then wait for the others. */
			th_request(c, "GET", "/v3/clusters/count", NULL, NULL,
			    NULL, &r);
			st = r.status;
			th_resp_free(&r);
			if (read(gate[0], &one, 1) != 0 || st != 200)
				_exit(3);
			th_request(c, "POST", "/v3/clusters", JSON,
			    V218_BODY(UUID3), NULL, &r);
			st = r.status;
			if (st == 200 && (j = cJSON_Parse(r.body)) != NULL) {
				struct wtime	 t;
				const char	*s = cJSON_GetObjectItem(j,
				    "firstSeen")->valuestring;

				time_parse_rfc3339(s, strlen(s), &t);
				n = snprintf(msg, sizeof(msg), "%lld\n",
				    (long long)t.sec);
				if (write(out[1], msg, (size_t)n) != n)
					st = 0;
				cJSON_Delete(j);
			}
			th_resp_free(&r);
			th_ctx_free(c);
			_exit(st == 200 ? 0 : 1);
		}
	}
	close(gate[0]);
	close(out[1]);
	usleep(300000);
	close(gate[1]);		/* go */
	for (int i = 0; i < NPROC; i++) {
		int	 st;

		ck_assert_int_eq(waitpid(pids[i], &st, 0), pids[i]);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ok++;
	}
	ck_assert_int_eq(ok, NPROC);
	f = fdopen(out[0], "r");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < NPROC; i++) {
		int64_t	 v;

		ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
		v = strtoll(line, NULL, 10);
		if (v < first_min)
			first_min = v;
		if (v > first_max)
			first_max = v;
	}
	fclose(f);
	ck_assert(first_min >= t0 - SLACK && first_max <= t0 + SLACK);
	ck_assert_str_eq(scalar("SELECT count(*) FROM clusters_checkins"),
	    "32");
	ck_assert_str_eq(scalar("SELECT count(*) FROM clusters"), "1");
	ck_assert_str_eq(scalar("SELECT checkins FROM cluster_stats"), "32");
	/* The summary agrees with the history. */
	ck_assert_str_eq(scalar("SELECT s.first_seen = m.f AND s.last_seen = "
	    "m.l FROM cluster_stats s, (SELECT min(created_at) f, "
	    "max(created_at) l FROM clusters_checkins) m"), "t");
}
END_TEST

/*
 * TestClusterRoundTrip: nothing before the first check-in; a second
 * check-in with a changed component description replaces the stored
 * cluster.
 */
START_TEST(test_cluster_round_trip)
{
	struct th_resp	 r;

	req("GET", "/v3/clusters/" UUID1, NULL, &r);
	th_expect_error(&r, 404, "404 cluster not found");
	th_resp_free(&r);
	req("POST", "/v3/clusters", "{\"id\":\"" UUID1 "\",\"components\":"
	    "[{\"component\":{\"name\":\"deis-builder\",\"description\":"
	    "\"old\"}}]}", &r);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	req("POST", "/v3/clusters", "{\"id\":\"" UUID1 "\",\"components\":"
	    "[{\"component\":{\"name\":\"deis-builder\",\"description\":"
	    "\"new\"}}]}", &r);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	req("GET", "/v3/clusters/" UUID1, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(strncmp(r.body, "{\"components\":[{\"component\":{"
	    "\"description\":\"new\",\"name\":\"deis-builder\"}}],"
	    "\"firstSeen\":\"", 84) == 0);
	th_resp_free(&r);
	ck_assert_str_eq(scalar("SELECT count(*) FROM clusters"), "1");
	ck_assert_str_eq(scalar("SELECT count(*) FROM clusters_checkins"), "2");
}
END_TEST

/* The database unreachable: 503 with Retry-After on every cluster route. */
START_TEST(test_database_down)
{
	static const char *const gets[] = { "/v3/clusters/count",
	    "/v3/clusters/" UUID1, "/v3/clusters/age",
	    "/v3/clusters/checkins?created_after=2017-01-01T00:00:00Z&"
	    "created_before=2018-01-01T00:00:00Z",
	    "/v3/clusters/persistent?epoch=2017-01-01T00:00:00Z&"
	    "timestamp=2018-01-01T00:00:00Z" };
	struct th_ctx	*down;
	struct th_resp	 r;

	down = th_ctx_new("migrate_on_start = off\nconnect_timeout = 1\n"
	    "database = \"host=/nonexistent-wfm-test dbname=wfm\"\n");
	th_request(down, "POST", "/v3/clusters", JSON,
	    "{\"id\":\"" UUID1 "\"}", NULL, &r);
	ck_assert_int_eq(r.status, 503);
	ck_assert_ptr_nonnull(th_header(&r, "Retry-After"));
	th_resp_free(&r);
	for (size_t i = 0; i < sizeof(gets) / sizeof(gets[0]); i++) {
		th_request(down, "GET", gets[i], NULL, NULL, NULL, &r);
		ck_assert_msg(r.status == 503, "%s: %d", gets[i], r.status);
		ck_assert_str_eq(th_header(&r, "Content-Type"), JSON);
		th_resp_free(&r);
	}
	th_ctx_free(down);
}
END_TEST

/* TestGetClusters and the count. */
START_TEST(test_count)
{
	struct th_resp	 r;

	req("GET", "/v3/clusters/count", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(th_header(&r, "Content-Type"), JSON);
	ck_assert_str_eq(r.body, "0\n");
	th_resp_free(&r);
	for (int i = 0; i < 3; i++) {
		req("POST", "/v3/clusters", "{\"id\":\"" UUID1 "\"}", &r);
		ck_assert_int_eq(r.status, 200);
		th_resp_free(&r);
	}
	req("POST", "/v3/clusters", "{\"id\":\"" UUID2 "\"}", &r);
	th_resp_free(&r);
	fixture(UUID3, "'2017-01-01'", "'2017-02-01'", 5);
	req("GET", "/v3/clusters/count", NULL, &r);
	ck_assert_str_eq(r.body, "3\n");
	th_resp_free(&r);
}
END_TEST

/*
 * Rows of the original's database: ids stored in another form, the
 * original's JSON (with firstSeen/lastSeen the client sent), check-ins
 * summarised by the migration; a cluster row without any check-in.
 */
START_TEST(test_original_rows)
{
	struct th_resp	 r;
	cJSON		*j;

	th_exec(pg, "INSERT INTO clusters (cluster_id, data) VALUES "
	    "('8C6DA034-C8B1-489A-A55D-A2215D93F934', '{\"components\":[{"
	    "\"component\":{\"name\":\"deis-builder\"},\"version\":"
	    "{\"data\":{},\"version\":\"2.0.0\"}}],"
	    "\"firstSeen\":\"2016-03-11T23:54:39.000Z\","
	    "\"id\":\"8C6DA034-C8B1-489A-A55D-A2215D93F934\"}')");
	th_exec(pg, "INSERT INTO clusters_checkins (cluster_id, created_at, "
	    "data) VALUES ('" UUID1 "', '2016-05-01 10:00:00', '{}'), "
	    "('" UUID1 "', '2016-05-02 10:00:00', '{}'), "
	    "('" UUID1 "', '2016-05-01 22:00:00', NULL)");
	th_exec(pg, "INSERT INTO clusters (cluster_id, data) VALUES "
	    "('" UUID2 "', '{\"components\":null,\"id\":\"" UUID2 "\"}')");
	/* What migration 0003 does with an original database. */
	th_exec(pg, "INSERT INTO cluster_stats SELECT cluster_id, "
	    "min(created_at), max(created_at), count(*) FROM clusters_checkins "
	    "GROUP BY cluster_id");

	req("GET", "/v3/clusters/" UUID1, NULL, &r);
	ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
	ck_assert_str_eq(r.body, "{\"components\":[{\"component\":{\"name\":"
	    "\"deis-builder\"},\"version\":{\"data\":{},\"version\":"
	    "\"2.0.0\"}}],\"firstSeen\":\"2016-05-01T10:00:00.000Z\","
	    "\"id\":\"" UUID1 "\","
	    "\"lastSeen\":\"2016-05-02T10:00:00.000Z\"}\n");
	th_resp_free(&r);
	req("GET", "/v3/clusters/" UUID2, NULL, &r);
	ck_assert_str_eq(r.body,
	    "{\"components\":null,\"id\":\"" UUID2 "\"}\n");
	th_resp_free(&r);

	/* A check-in on top of the history keeps the old first check-in. */
	req("POST", "/v3/clusters", "{\"id\":\"" UUID1 "\"}", &r);
	ck_assert_int_eq(r.status, 200);
	j = json(&r);
	ck_assert_str_eq(str(j, "firstSeen"), "2016-05-01T10:00:00.000Z");
	cJSON_Delete(j);
	th_resp_free(&r);
	ck_assert_str_eq(scalar("SELECT checkins FROM cluster_stats WHERE "
	    "cluster_id = '%s'", UUID1), "4");

	/* Emptying the history empties the summary (the truncate trigger). */
	th_exec(pg, "TRUNCATE clusters_checkins");
	ck_assert_str_eq(scalar("SELECT count(*) FROM cluster_stats"), "0");
}
END_TEST

/* ------------------------------------------------------------ age */

/* The ids in data[] of an age answer, comma-separated, in order. */
static char *
ids(const struct th_resp *r, int *n, cJSON **next)
{
	static char	 out[8192];
	cJSON		*j = json(r), *d, *e;
	size_t		 len = 0;

	d = cJSON_GetObjectItemCaseSensitive(j, "data");
	ck_assert_msg(cJSON_IsArray(d), "no data: %s", r->body);
	out[0] = '\0';
	*n = 0;
	cJSON_ArrayForEach(e, d) {
		len += (size_t)snprintf(out + len, len < sizeof(out) ?
		    sizeof(out) - len : 0, "%s%s", *n > 0 ? "," : "",
		    str(e, "id"));
		(*n)++;
	}
	if (next != NULL) {
		*next = cJSON_DetachItemFromObject(j, "next_cursor");
	} else
		ck_assert_msg(cJSON_GetObjectItemCaseSensitive(j,
		    "next_cursor") == NULL, "unexpected next_cursor: %s",
		    r->body);
	cJSON_Delete(j);
	return out;
}

/* TestFilterByClusterAge: a cluster checked in twice "now". */
START_TEST(test_filter_by_cluster_age)
{
	struct th_resp	 r;
	char		 uri[512];
	int		 n;

	req("POST", "/v3/clusters", "{\"id\":\"" UUID1 "\"}", &r);
	th_resp_free(&r);
	req("POST", "/v3/clusters", "{\"id\":\"" UUID1 "\"}", &r);
	th_resp_free(&r);
	snprintf(uri, sizeof(uri), "/v3/clusters/age?checked_in_before=%s&"
	    "checked_in_after=%s&created_before=%s&created_after=%s",
	    rel(3 * 3600), rel(-3600), rel(3600), rel(-2 * 3600));
	req("GET", uri, NULL, &r);
	ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
	ck_assert_str_eq(th_header(&r, "Content-Type"), JSON);
	ck_assert_str_eq(ids(&r, &n, NULL), UUID1);
	ck_assert(strstr(r.body, "\"firstSeen\":\"") != NULL);
	th_resp_free(&r);
}
END_TEST

/*
 * TestClusterFilterByAge: four clusters checked in now; check-ins 20 h
 * after created_before; seven impossible filters; a fresh database.
 */
START_TEST(test_cluster_filter_by_age)
{
	static const char *const cl[4] = { UUID1, UUID2, UUID3, UUID4 };
	struct th_resp	 r;
	char		 uri[512];
	int		 n;

	req("GET", "/v3/clusters/age", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "{\"data\":[]}\n");
	th_resp_free(&r);

	for (int i = 0; i < 4; i++)
		fixture(cl[i], "now() AT TIME ZONE 'UTC' - interval '10 min'",
		    "now() AT TIME ZONE 'UTC'", 2);
	/* Two valid filters: all four. */
	snprintf(uri, sizeof(uri), "/v3/clusters/age?checked_in_before=%s&"
	    "checked_in_after=%s&created_before=%s&created_after=%s",
	    rel(3600), rel(-3600), rel(3600), rel(-3600));
	req("GET", uri, NULL, &r);
	ids(&r, &n, NULL);
	ck_assert_int_eq(n, 4);
	th_resp_free(&r);
	snprintf(uri, sizeof(uri), "/v3/clusters/age?checked_in_before=%s&"
	    "checked_in_after=%s&created_before=%s&created_after=%s",
	    rel(7200), rel(-7200), rel(7200), rel(-7200));
	req("GET", uri, NULL, &r);
	ids(&r, &n, NULL);
	ck_assert_int_eq(n, 4);
	th_resp_free(&r);

	/* Check-ins 20 h after created_before: none. */
	th_exec(pg, "UPDATE cluster_stats SET first_seen = first_seen + "
	    "interval '20 hours' + interval '2 hours', last_seen = last_seen + "
	    "interval '22 hours'");
	snprintf(uri, sizeof(uri), "/v3/clusters/age?checked_in_before=%s&"
	    "checked_in_after=%s&created_before=%s&created_after=%s",
	    rel(3600 * 30), rel(-3600), rel(3600), rel(-3600));
	req("GET", uri, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "{\"data\":[]}\n");
	th_resp_free(&r);

	/*
	 * Seven impossible filters, each rule with ">" and "==" (rule 1 has
	 * no "==": equal is allowed): seconds from now of checked_in_before,
	 * checked_in_after, created_before, created_after; NONE = not given.
	 */
	{
		enum { NONE = 999999 };
		static const int64_t bad[7][4] = {
			{ 0, -7200, 3600, -7200 },
			{ -3600, 0, -3600, -7200 },
			{ -3600, -3600, -3600, -7200 },
			{ 3600, -3600, -3600, 0 },
			{ 3600, -3600, 0, 0 },
			{ -7200, NONE, NONE, -3600 },
			{ -3600, NONE, NONE, -3600 },
		};
		static const char *const names[4] = { "checked_in_before",
		    "checked_in_after", "created_before", "created_after" };

		for (int i = 0; i < 7; i++) {
			size_t	 len;

			len = (size_t)snprintf(uri, sizeof(uri),
			    "/v3/clusters/age?x=1");
			for (int k = 0; k < 4; k++)
				if (bad[i][k] != NONE)
					len += (size_t)snprintf(uri + len,
					    sizeof(uri) - len, "&%s=%s",
					    names[k], rel(bad[i][k]));
			req("GET", uri, NULL, &r);
			ck_assert_msg(r.status == 400, "filter %d: %d %s", i,
			    r.status, r.body);
			ck_assert(strstr(r.body, "impossible filter for "
			    "keys/times (") != NULL);
			th_resp_free(&r);
		}
	}
}
END_TEST

START_TEST(test_age_semantics)
{
	struct th_resp	 r;
	int		 n;

	/*
	 * UUID1: created 10 days ago, checked in an hour ago.
	 * UUID2: created 10 days ago, quiet for 9 days.
	 * UUID3: created 2 hours ago.
	 * UUID4: created 10 days ago too (same instant as UUID1: id order).
	 */
	fixture(UUID4, sqlts(-10 * 86400), sqlts(-3600), 20);
	fixture(UUID1, sqlts(-10 * 86400), sqlts(-3600), 20);
	fixture(UUID2, sqlts(-10 * 86400 + 1), sqlts(-9 * 86400), 3);
	fixture(UUID3, sqlts(-7200), sqlts(-7200), 1);

	req("GET", "/v3/clusters/age", NULL, &r);
	ck_assert_str_eq(ids(&r, &n, NULL), UUID4 "," UUID1 "," UUID2 ","
	    UUID3);
	th_resp_free(&r);
	/* "Has checked in since": the latest check-in counts. */
	req("GET", "/v3/clusters/age?checked_in_after=1d", NULL, &r);
	ck_assert_str_eq(ids(&r, &n, NULL), UUID4 "," UUID1 "," UUID3);
	th_resp_free(&r);
	req("GET", "/v3/clusters/age?checked_in_before=7d", NULL, &r);
	ck_assert_str_eq(ids(&r, &n, NULL), UUID2);
	th_resp_free(&r);
	req("GET", "/v3/clusters/age?created_after=3d", NULL, &r);
	ck_assert_str_eq(ids(&r, &n, NULL), UUID3);
	th_resp_free(&r);
	req("GET", "/v3/clusters/age?created_before=36h&checked_in_after=90m",
	    NULL, &r);
	ck_assert_str_eq(ids(&r, &n, NULL), UUID4 "," UUID1);
	th_resp_free(&r);
	/* An empty value is no bound; unknown parameters are ignored. */
	req("GET", "/v3/clusters/age?created_after=&foo=bar", NULL, &r);
	ids(&r, &n, NULL);
	ck_assert_int_eq(n, 4);
	th_resp_free(&r);
	/* Offsets are honoured: the same instant two ways. */
	req("GET", "/v3/clusters/age?created_after=2016-01-01T02:00:00%2B02:00"
	    "&created_before=2016-01-01T00:00:01Z", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	req("GET", "/v3/clusters/age?created_after=2016-01-01T02:00:00%2B02:00"
	    "&created_before=2016-01-01T00:00:00Z", NULL, &r);
	th_expect_error(&r, 400, "impossible filter for keys/times (created_after "
	    "(2016-01-01 02:00:00 +0200 +0200), created_before (2016-01-01 "
	    "00:00:00 +0000 UTC)): created_before needs to be greater than "
	    "created_after");
	th_resp_free(&r);

	req("GET", "/v3/clusters/age?created_after=2020-01-01", NULL, &r);
	th_expect_error(&r, 422, "created_after in query must be of type "
	    "date-time: \\\"2020-01-01\\\"");
	th_resp_free(&r);
	/* An unencoded '+' is a space. */
	req("GET", "/v3/clusters/age?"
	    "checked_in_before=2020-01-01T00:00:00+01:00", NULL, &r);
	th_expect_error(&r, 422, "checked_in_before in query must be of type "
	    "date-time: \\\"2020-01-01T00:00:00 01:00\\\"");
	th_resp_free(&r);
	/* Type checks in the original's order. */
	req("GET", "/v3/clusters/age?created_after=x&checked_in_before=y", NULL,
	    &r);
	th_expect_error(&r, 422, "checked_in_before in query must be of type "
	    "date-time: \\\"y\\\"");
	th_resp_free(&r);
	req("GET", "/v3/clusters/age?created_before=2031-01-01T00:00:00Z&"
	    "checked_in_before=2030-01-01T00:00:00Z", NULL, &r);
	th_expect_error(&r, 400, "impossible filter for keys/times "
	    "(created_before (2031-01-01 00:00:00 +0000 UTC), "
	    "checked_in_before (2030-01-01 00:00:00 +0000 UTC)): "
	    "checked_in_before needs to be greater than or equal to "
	    "created_before");
	th_resp_free(&r);
	req("HEAD", "/v3/clusters/age", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.body_len, 0);
	th_resp_free(&r);
}
END_TEST

/* Strict bounds: a cluster exactly at a bound is outside. */
START_TEST(test_age_strict)
{
	struct th_resp	 r;
	int		 n;

	fixture(UUID1, "'2017-03-01 00:00:00'", "'2017-03-02 00:00:00'", 2);
	req("GET", "/v3/clusters/age?created_after=2017-03-01T00:00:00Z", NULL,
	    &r);
	ids(&r, &n, NULL);
	ck_assert_int_eq(n, 0);
	th_resp_free(&r);
	req("GET", "/v3/clusters/age?created_after=2017-02-28T23:59:59.999999Z",
	    NULL, &r);
	ids(&r, &n, NULL);
	ck_assert_int_eq(n, 1);
	th_resp_free(&r);
	req("GET", "/v3/clusters/age?checked_in_before=2017-03-02T00:00:00Z",
	    NULL, &r);
	ids(&r, &n, NULL);
	ck_assert_int_eq(n, 0);
	th_resp_free(&r);
	req("GET", "/v3/clusters/age?"
	    "checked_in_before=2017-03-02T01:00:00%2B01:00"
	    "&checked_in_after=2017-03-01T23:59:59Z", NULL, &r);
	ids(&r, &n, NULL);
	ck_assert_int_eq(n, 0);
	th_resp_free(&r);
	req("GET", "/v3/clusters/age?"
	    "checked_in_before=2017-03-02T01:00:01%2B01:00"
	    "&checked_in_after=2017-03-01T23:59:59Z", NULL, &r);
	ids(&r, &n, NULL);
	ck_assert_int_eq(n, 1);
	th_resp_free(&r);
}
END_TEST

/* 25 clusters, 5 sharing one first check-in: every row once, in order. */
START_TEST(test_age_paging)
{
	struct th_resp	 r;
	char		 uri[512], all[8192];
	struct buf	 got = BUF_INIT;
	cJSON		*next = NULL, *next2;
	int		 n, pages = 0, total = 0;

	exec("INSERT INTO clusters (cluster_id, data) SELECT "
	    "('00000000-0000-0000-0000-' || lpad(i::text, 12, '0'))::uuid, "
	    "'{\"components\":[]}' FROM generate_series(1, 25) i");
	exec("INSERT INTO cluster_stats SELECT cluster_id, "
	    "timestamp '2017-01-01' + interval '1 hour' * "
	    "greatest(0, right(cluster_id::text, 2)::int - 5), "
	    "now() AT TIME ZONE 'UTC', 2 FROM clusters");
	req("GET", "/v3/clusters/age?created_after=2016-01-01T00:00:00Z", NULL,
	    &r);
	snprintf(all, sizeof(all), "%s", ids(&r, &n, NULL));
	ck_assert_int_eq(n, 25);
	th_resp_free(&r);
	ck_assert(strncmp(all, "00000000-0000-0000-0000-000000000001,", 37) ==
	    0);

	snprintf(uri, sizeof(uri), "/v3/clusters/age?limit=7&"
	    "created_after=2016-01-01T00:00:00Z");
	for (;;) {
		const char	*page;

		req("GET", uri, NULL, &r);
		ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
		page = ids(&r, &n, &next);
		th_resp_free(&r);
		pages++;
		total += n;
		if (got.len > 0)
			buf_putc(&got, ',');
		buf_puts(&got, page);
		if (next == NULL)
			break;
		ck_assert(cJSON_IsString(next));
		ck_assert_int_eq(n, 7);
		snprintf(uri, sizeof(uri), "/v3/clusters/age?limit=7&"
		    "created_after=2016-01-01T00:00:00Z&cursor=%s",
		    next->valuestring);
		cJSON_Delete(next);
	}
	ck_assert_int_eq(pages, 4);
	ck_assert_int_eq(total, 25);
	ck_assert_str_eq(got.data, all);
	buf_free(&got);

	/* A full last page has no cursor; a limit past the end neither. */
	req("GET", "/v3/clusters/age?limit=25", NULL, &r);
	ids(&r, &n, NULL);
	ck_assert_int_eq(n, 25);
	th_resp_free(&r);

	/* The cursor is bound to its filters; durations keep their instant. */
	req("GET", "/v3/clusters/age?limit=10&created_after=4000d", NULL, &r);
	ids(&r, &n, &next);
	ck_assert_ptr_nonnull(next);
	th_resp_free(&r);
	snprintf(uri, sizeof(uri), "/v3/clusters/age?limit=10&"
	    "created_after=4000d&cursor=%s", next->valuestring);
	req("GET", uri, NULL, &r);
	ids(&r, &n, &next2);
	ck_assert_int_eq(n, 10);
	ck_assert_ptr_nonnull(next2);
	cJSON_Delete(next2);
	th_resp_free(&r);
	snprintf(uri, sizeof(uri), "/v3/clusters/age?limit=15&"
	    "created_after=4000d&cursor=%s", next->valuestring);
	req("GET", uri, NULL, &r);
	ids(&r, &n, NULL);
	ck_assert_int_eq(n, 15);
	th_resp_free(&r);
	snprintf(uri, sizeof(uri), "/v3/clusters/age?limit=10&"
	    "created_after=4001d&cursor=%s", next->valuestring);
	req("GET", uri, NULL, &r);
	th_expect_error(&r, 400, "cursor is not valid for these filters");
	th_resp_free(&r);
	cJSON_Delete(next);

	req("GET", "/v3/clusters/age?limit=10&cursor=abc", NULL, &r);
	th_expect_error(&r, 400, "cursor is not valid");
	th_resp_free(&r);
	req("GET", "/v3/clusters/age?limit=0", NULL, &r);
	th_expect_error(&r, 422, "limit in query must be an integer from 1 to "
	    "10000: \\\"0\\\"");
	th_resp_free(&r);
	req("GET", "/v3/clusters/age?limit=10001", NULL, &r);
	ck_assert_int_eq(r.status, 422);
	th_resp_free(&r);
	req("GET", "/v3/clusters/age?limit=-1", NULL, &r);
	ck_assert_int_eq(r.status, 422);
	th_resp_free(&r);
}
END_TEST

/* More rows than one internal page: streamed, every row once, in order. */
START_TEST(test_age_stream)
{
	struct th_resp	 r;
	cJSON		*j, *d, *e;
	const char	*prev = "";
	char		 prevbuf[64];
	int		 n = 0;

	exec("INSERT INTO clusters (cluster_id, data) SELECT "
	    "md5(i::text)::uuid, '{\"components\":[{\"component\":{\"name\":"
	    "\"deis-builder\"}}],\"id\":\"x\"}' "
	    "FROM generate_series(1, 2600) i");
	exec("INSERT INTO cluster_stats SELECT cluster_id, timestamp "
	    "'2017-01-01' + interval '1 minute' * (get_byte(decode(md5("
	    "cluster_id::text), 'hex'), 0) %% 50), timestamp '2017-06-01', 2 "
	    "FROM clusters");
	req("GET", "/v3/clusters/age", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	/* Streamed: no Content-Length. */
	ck_assert_ptr_null(th_header(&r, "Content-Length"));
	ck_assert_str_eq(th_header(&r, "Content-Type"), JSON);
	j = json(&r);
	d = cJSON_GetObjectItemCaseSensitive(j, "data");
	cJSON_ArrayForEach(e, d) {
		char	 key[64];

		snprintf(key, sizeof(key), "%s %s", str(e, "firstSeen"),
		    str(e, "id"));
		ck_assert_msg(strcmp(prev, key) < 0, "%s after %s", key, prev);
		snprintf(prevbuf, sizeof(prevbuf), "%s", key);
		prev = prevbuf;
		n++;
	}
	ck_assert_int_eq(n, 2600);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetArrayItem(d, 0)->child),
	    1);
	cJSON_Delete(j);
	th_resp_free(&r);

	/* A small answer has a Content-Length. */
	req("GET", "/v3/clusters/age?limit=3", NULL, &r);
	ck_assert_ptr_nonnull(th_header(&r, "Content-Length"));
	th_resp_free(&r);
}
END_TEST

/*
 * The ids of every cluster an age query returns, comma-separated: in one
 * answer (limit 0), or following next_cursor page by page.  Caller frees.
 */
static char *
all_ids(const char *query, int limit)
{
	struct buf	 out = BUF_INIT;
	struct th_resp	 r;
	char		*cursor = NULL, uri[1024];
	cJSON		*j, *e, *next;

	for (;;) {
		snprintf(uri, sizeof(uri), "/v3/clusters/age?%s", query);
		if (limit > 0)
			snprintf(uri + strlen(uri), sizeof(uri) - strlen(uri),
			    "&limit=%d", limit);
		if (cursor != NULL)
			snprintf(uri + strlen(uri), sizeof(uri) - strlen(uri),
			    "&cursor=%s", cursor);
		req("GET", uri, NULL, &r);
		ck_assert_msg(r.status == 200, "%s: %d %s", uri, r.status,
		    r.body);
		j = json(&r);
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j,
		    "data")) {
			if (out.len > 0)
				buf_putc(&out, ',');
			buf_puts(&out, str(e, "id"));
		}
		free(cursor);
		cursor = NULL;
		next = cJSON_GetObjectItemCaseSensitive(j, "next_cursor");
		if (next != NULL)
			cursor = strdup(next->valuestring);
		cJSON_Delete(j);
		th_resp_free(&r);
		if (cursor == NULL)
			break;
	}
	buf_putc(&out, '\0');
	return out.data;
}

/*
 * Whichever way the query reads the clusters (by first or by latest
 * check-in), streamed or paged, the answer is the one SQL gives.
 */
START_TEST(test_age_plans)
{
	static const struct {
		const char	*query;
		const char	*where;
	} cases[] = {
		{ "checked_in_after=2017-01-06T00:00:00Z",
		  "last_seen > '2017-01-06'" },
		{ "checked_in_after=2016-12-01T00:00:00Z",
		  "last_seen > '2016-12-01'" },
		{ "checked_in_after=2017-01-06T04:00:00Z&"
		  "created_after=2017-01-01T03:00:00Z",
		  "last_seen > '2017-01-06 04:00' AND first_seen > "
		  "'2017-01-01 03:00'" },
		{ "checked_in_before=2017-01-03T00:00:00Z",
		  "last_seen < '2017-01-03'" },
		{ "created_after=2017-01-01T02:00:00Z&"
		  "created_before=2017-01-01T05:00:00Z&"
		  "checked_in_after=2017-01-04T00:00:00Z",
		  "first_seen > '2017-01-01 02:00' AND first_seen < "
		  "'2017-01-01 05:00' AND last_seen > '2017-01-04'" },
		{ "checked_in_after=2017-01-05T00:00:00Z&"
		  "checked_in_before=2017-01-06T00:00:00Z",
		  "last_seen > '2017-01-05' AND last_seen < '2017-01-06'" },
		{ "created_after=2017-01-01T04:00:00Z",
		  "first_seen > '2017-01-01 04:00'" },
	};

	exec("INSERT INTO clusters (cluster_id, data) SELECT "
	    "md5(i::text)::uuid, '{\"components\":[]}' "
	    "FROM generate_series(1, 3000) i");
	exec("INSERT INTO cluster_stats SELECT md5(i::text)::uuid, "
	    "timestamp '2017-01-01' + interval '1 minute' * (i %% 500), "
	    "timestamp '2017-01-01' + interval '1 minute' * (i %% 500) + "
	    "interval '1 day' * (i %% 7), 2 FROM generate_series(1, 3000) i");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char		*want, *stream, *paged, sql[1024];
		PGresult	*res;

		snprintf(sql, sizeof(sql), "SELECT coalesce(string_agg("
		    "cluster_id::text, ',' ORDER BY first_seen, cluster_id), "
		    "'') FROM cluster_stats WHERE %s", cases[i].where);
		res = PQexec(pg, sql);
		ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
		want = strdup(PQgetvalue(res, 0, 0));
		PQclear(res);
		stream = all_ids(cases[i].query, 0);
		paged = all_ids(cases[i].query, 97);
		ck_assert_msg(strlen(want) > 37, "case %zu selects nothing", i);
		ck_assert_msg(strcmp(stream, want) == 0, "case %zu streamed",
		    i);
		ck_assert_msg(strcmp(paged, want) == 0, "case %zu paged", i);
		free(want);
		free(stream);
		free(paged);
	}
}
END_TEST

/* ------------------------------------------------------------ statistics */

START_TEST(test_checkins)
{
	struct th_resp	 r;
	cJSON		*j, *d, *e;

	fixture(UUID4, "'2025-01-15 10:00:00'", "'2026-03-20 12:30:45'", 2);
	fixture(UUID3, "'2025-02-01 00:00:00.5'", "'2025-02-01 00:00:00.5'", 1);
	fixture(UUID2, "'2024-06-01 00:00:00'", "'2024-06-03 00:00:00'", 3);
	req("GET", "/v3/clusters/checkins?created_after=2025-01-01T00:00:00Z&"
	    "created_before=2025-12-31T00:00:00Z", NULL, &r);
	ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
	ck_assert_str_eq(th_header(&r, "Content-Type"), JSON);
	j = json(&r);
	ck_assert_int_eq(cJSON_GetObjectItem(j, "count")->valueint, 2);
	d = cJSON_GetObjectItemCaseSensitive(j, "data");
	ck_assert_int_eq(cJSON_GetArraySize(d), 2);
	/* Newest first check-in first. */
	e = cJSON_GetArrayItem(d, 0);
	ck_assert_str_eq(str(e, "clusterID"), UUID3);
	ck_assert_str_eq(str(e, "firstSeen"), "2025-02-01T00:00:00.5Z");
	ck_assert_str_eq(str(e, "clusterAge"), "00:00:00");
	ck_assert_int_eq(cJSON_GetObjectItem(e, "checkins")->valueint, 1);
	e = cJSON_GetArrayItem(d, 1);
	ck_assert_str_eq(str(e, "clusterID"), UUID4);
	ck_assert_str_eq(str(e, "firstSeen"), "2025-01-15T10:00:00Z");
	ck_assert_str_eq(str(e, "lastSeen"), "2026-03-20T12:30:45Z");
	ck_assert_str_eq(str(e, "clusterAge"), "1 year 2 mons 5 days 02:30:45");
	ck_assert_int_eq(cJSON_GetObjectItem(e, "checkins")->valueint, 2);
	ck_assert(str(e, "lastCheckin")[0] == '-');
	cJSON_Delete(j);
	/* Key order of clusterCheckin. */
	ck_assert(strstr(r.body, "{\"checkins\":2,\"clusterAge\":"
	    "\"1 year 2 mons 5 days 02:30:45\",\"clusterID\":\"" UUID4 "\","
	    "\"firstSeen\":\"2025-01-15T10:00:00Z\",\"lastCheckin\":\"-") !=
	    NULL);
	ck_assert(strncmp(r.body, "{\"count\":2,\"data\":[", 19) == 0);
	th_resp_free(&r);

	req("GET", "/v3/clusters/checkins?created_after=2010-01-01T00:00:00Z&"
	    "created_before=2011-01-01T00:00:00Z", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "{\"count\":0}\n");
	th_resp_free(&r);

	req("GET", "/v3/clusters/checkins", NULL, &r);
	th_expect_error(&r, 422, "created_after in query is required");
	th_resp_free(&r);
	req("GET", "/v3/clusters/checkins?created_after=2025-01-01T00:00:00Z&"
	    "created_before=", NULL, &r);
	th_expect_error(&r, 422, "created_before in query is required");
	th_resp_free(&r);
	req("GET", "/v3/clusters/checkins?created_after=7d&created_before=1d",
	    NULL, &r);
	th_expect_error(&r, 422, "created_after in query must be of type "
	    "date-time: \\\"7d\\\"");
	th_resp_free(&r);
	req("GET", "/v3/clusters/checkins?created_after=2025-01-01T00:00:00Z&"
	    "created_before=2025-01-01T00:00:00Z", NULL, &r);
	th_expect_error(&r, 400, "impossible filter for keys/times (created_after "
	    "(2025-01-01 00:00:00 +0000 UTC), created_before (2025-01-01 "
	    "00:00:00 +0000 UTC)): created_before needs to be greater than "
	    "created_after");
	th_resp_free(&r);
}
END_TEST

START_TEST(test_persistent)
{
	struct th_resp	 r;
	cJSON		*j, *d, *e;

	/* Kept: several check-ins, still alive on 2017-07-01. */
	fixture(UUID1, "'2017-02-01 00:00:00'", "'2017-06-30 12:00:00'", 10);
	fixture(UUID2, "'2017-01-10 00:00:00'", "'2017-08-01 00:00:00'", 3);
	/* Dropped: one check-in; dead a day before; created too late. */
	fixture(UUID3, "'2017-03-01 00:00:00'", "'2017-03-01 00:00:00'", 1);
	fixture(UUID4, "'2017-03-01 00:00:00'", "'2017-06-29 23:59:59'", 5);
	fixture("33333333-2222-3333-4444-555555555555", "'2017-07-02'",
	    "'2017-08-01'", 5);
	req("GET", "/v3/clusters/persistent?epoch=2017-01-01T00:00:00Z&"
	    "timestamp=2017-07-01T00:00:00Z", NULL, &r);
	ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
	j = json(&r);
	ck_assert_int_eq(cJSON_GetObjectItem(j, "count")->valueint, 2);
	d = cJSON_GetObjectItemCaseSensitive(j, "data");
	e = cJSON_GetArrayItem(d, 0);
	/* Oldest first check-in first; no lastCheckin. */
	ck_assert_str_eq(str(e, "clusterID"), UUID2);
	ck_assert_str_eq(str(e, "clusterAge"), "6 mons 22 days");
	ck_assert_ptr_null(cJSON_GetObjectItem(e, "lastCheckin"));
	e = cJSON_GetArrayItem(d, 1);
	ck_assert_str_eq(str(e, "clusterID"), UUID1);
	ck_assert_int_eq(cJSON_GetObjectItem(e, "checkins")->valueint, 10);
	ck_assert_str_eq(str(e, "clusterAge"), "4 mons 29 days 12:00:00");
	ck_assert_str_eq(str(e, "lastSeen"), "2017-06-30T12:00:00Z");
	cJSON_Delete(j);
	th_resp_free(&r);

	/* The day before `timestamp' in the timestamp's own offset. */
	req("GET", "/v3/clusters/persistent?epoch=2017-01-01T00:00:00Z&"
	    "timestamp=2017-07-01T02:00:00%2B02:00", NULL, &r);
	j = json(&r);
	ck_assert_int_eq(cJSON_GetObjectItem(j, "count")->valueint, 2);
	cJSON_Delete(j);
	th_resp_free(&r);

	req("GET", "/v3/clusters/persistent?epoch=2000-01-01T00:00:00Z&"
	    "timestamp=2001-01-01T00:00:00Z", NULL, &r);
	ck_assert_str_eq(r.body, "{\"count\":0}\n");
	th_resp_free(&r);
	req("GET", "/v3/clusters/persistent?timestamp=2001-01-01T00:00:00Z",
	    NULL, &r);
	th_expect_error(&r, 422, "epoch in query is required");
	th_resp_free(&r);
	req("GET", "/v3/clusters/persistent?epoch=2001-01-01T00:00:00Z", NULL,
	    &r);
	th_expect_error(&r, 422, "timestamp in query is required");
	th_resp_free(&r);
	req("GET", "/v3/clusters/persistent?epoch=2002-01-01T00:00:00Z&"
	    "timestamp=2001-01-01T00:00:00Z", NULL, &r);
	th_expect_error(&r, 400, "impossible filter for keys/times (epoch "
	    "(2002-01-01 00:00:00 +0000 UTC), timestamp (2001-01-01 00:00:00 "
	    "+0000 UTC)): epoch needs to be less than timestamp");
	th_resp_free(&r);
	req("GET", "/v3/clusters/persistent?epoch=x&timestamp=y", NULL, &r);
	th_expect_error(&r, 422, "epoch in query must be of type date-time: "
	    "\\\"x\\\"");
	th_resp_free(&r);
}
END_TEST

/* Statistics over more than one internal page, from one snapshot. */
START_TEST(test_stats_many)
{
	struct th_resp	 r;
	cJSON		*j, *d, *e;
	const char	*prev = NULL;
	char		 prevbuf[64];
	int		 n = 0;

	exec("INSERT INTO cluster_stats SELECT md5(i::text)::uuid, "
	    "timestamp '2017-01-01' + interval '1 minute' * (i %% 700), "
	    "timestamp '2017-06-01', 1 + i %% 3 "
	    "FROM generate_series(1, 2300) i");
	req("GET", "/v3/clusters/checkins?created_after=2016-01-01T00:00:00Z&"
	    "created_before=2018-01-01T00:00:00Z", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	j = json(&r);
	ck_assert_int_eq(cJSON_GetObjectItem(j, "count")->valueint, 2300);
	d = cJSON_GetObjectItemCaseSensitive(j, "data");
	cJSON_ArrayForEach(e, d) {
		char	 key[64];

		snprintf(key, sizeof(key), "%s %s", str(e, "firstSeen"),
		    str(e, "clusterID"));
		if (prev != NULL)
			ck_assert_msg(strcmp(key, prev) < 0, "%s after %s",
			    key, prev);
		snprintf(prevbuf, sizeof(prevbuf), "%s", key);
		prev = prevbuf;
		n++;
	}
	ck_assert_int_eq(n, 2300);
	cJSON_Delete(j);
	th_resp_free(&r);

	req("GET", "/v3/clusters/persistent?epoch=2016-01-01T00:00:00Z&"
	    "timestamp=2017-06-01T12:00:00Z", NULL, &r);
	j = json(&r);
	n = cJSON_GetObjectItem(j, "count")->valueint;
	ck_assert_int_eq(n, cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    j, "data")));
	ck_assert_str_eq(scalar("SELECT count(*) FROM cluster_stats WHERE "
	    "first_seen > '2016-01-01' AND first_seen < '2017-06-01 12:00' AND "
	    "checkins > 1 AND last_seen > '2017-05-31 12:00'"), "1534");
	ck_assert_int_eq(n, 1534);
	cJSON_Delete(j);
	th_resp_free(&r);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("api_clusters");
	TCase	*tc;

	tc = tcase_create("checkin");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_checkin_v218);
	tcase_add_test(tc, test_post_capitalised_get);
	tcase_add_test(tc, test_checkin_v2);
	tcase_add_test(tc, test_checkin_errors);
	tcase_add_test(tc, test_checkin_concurrent);
	tcase_add_test(tc, test_cluster_round_trip);
	tcase_add_test(tc, test_database_down);
	tcase_add_test(tc, test_count);
	tcase_add_test(tc, test_original_rows);
	suite_add_tcase(s, tc);

	tc = tcase_create("age");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_filter_by_cluster_age);
	tcase_add_test(tc, test_cluster_filter_by_age);
	tcase_add_test(tc, test_age_semantics);
	tcase_add_test(tc, test_age_strict);
	tcase_add_test(tc, test_age_paging);
	tcase_add_test(tc, test_age_stream);
	tcase_add_test(tc, test_age_plans);
	suite_add_tcase(s, tc);

	tc = tcase_create("statistics");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_checkins);
	tcase_add_test(tc, test_persistent);
	tcase_add_test(tc, test_stats_many);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return th_run(suite());
}
