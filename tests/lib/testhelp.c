/* testhelp.c: shared pieces of the Check programs. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "request.h"
#include "router.h"
#include "testhelp.h"
#include "timefmt.h"
#include "xalloc.h"

int
th_run(Suite *s)
{
	SRunner	*sr;
	int	 failed;

	xalloc_cjson_hooks();
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

struct th_ctx {
	struct config	*cfg;
	struct db	*db;
	struct arena	 arena;
	struct response	 res;
	const char	*body;
	size_t		 body_len;
};

struct th_ctx *
th_ctx_new(const char *conf)
{
	struct th_ctx	*c;
	char		 msg[256], *copy, *line, *save = NULL;

	c = xcalloc(1, sizeof(*c));
	c->cfg = config_defaults();
	if (conf != NULL) {
		copy = xstrdup(conf);
		for (line = strtok_r(copy, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			char	*eq = strchr(line, '='), *k, *v, *e;

			if (eq == NULL)
				continue;
			*eq = '\0';
			k = line;
			v = eq + 1;
			while (*k == ' ')
				k++;
			for (e = eq; e > k && e[-1] == ' '; e--)
				e[-1] = '\0';
			while (*v == ' ')
				v++;
			if (config_set(c->cfg, k, v, msg, sizeof(msg)) == -1)
				ck_abort_msg("test config %s: %s", k, msg);
		}
		free(copy);
	}
	c->db = db_new(c->cfg, NULL);
	arena_init(&c->arena);
	response_init(&c->res);
	return c;
}

void
th_ctx_free(struct th_ctx *c)
{
	if (c == NULL)
		return;
	db_free(c->db);
	arena_free(&c->arena);
	response_free(&c->res);
	config_free(c->cfg);
	free(c);
}

struct config *
th_ctx_config(struct th_ctx *c)
{
	return c->cfg;
}

static int
capture(void *ctx, const char *p, size_t n)
{
	buf_put(ctx, p, n);
	return 0;
}

/* The body as fcgi_io_read_body would deliver it. */
static struct th_ctx *current;

static int
read_body(struct request *req, size_t limit, struct api_error *err)
{
	if (current->body_len > limit)
		return apierr_set(err, APIERR_TOO_LARGE, "request body is "
		    "over the limit of %zu bytes", limit);
	req->body = arena_strndup(req->arena, current->body != NULL ?
	    current->body : "", current->body_len);
	req->body_len = current->body_len;
	return 0;
}

int
th_request_env(struct th_ctx *c, const char *method, const char *uri,
    const char *content_type, const char *body, size_t body_len,
    const char *authorization, struct th_resp *out)
{
	struct request		 req;
	struct api_error	 err;
	struct buf		 raw = BUF_INIT;
	const char		*q, *hend;
	char			*p;

	memset(out, 0, sizeof(*out));
	arena_reset(&c->arena);
	response_reset(&c->res);
	c->res.sink.write = capture;
	c->res.sink.ctx = &raw;
	memset(&req, 0, sizeof(req));
	req.arena = &c->arena;
	req.cfg = c->cfg;
	req.db = c->db;
	req.route = -1;
	req.request_id = "test-request";
	req.method_name = method;
	req.method = HTTP_OTHER;
	for (int i = 0; i < HTTP_OTHER; i++)
		if (strcmp(method, http_methods[i]) == 0)
			req.method = (enum http_method)i;
	req.content_type = content_type;
	req.authorization = authorization;
	req.raw_uri = uri;
	req.content_length = body != NULL ? (long long)body_len : -1;
	q = strchr(uri, '?');
	req.path = request_normalize_path(&c->arena, uri,
	    q != NULL ? (size_t)(q - uri) : strlen(uri), true);
	apierr_clear(&err);
	c->body = body;
	c->body_len = body_len;
	current = c;
	if (request_parse_query(&req, q != NULL ? q + 1 : NULL, &err) == -1)
		response_error(&c->res, &req, &err);
	else
		dispatch(&req, &c->res, read_body);
	if (!c->res.failed)
		response_finish(&c->res, &req);
	current = NULL;

	buf_putc(&raw, '\0');
	raw.len--;
	if (strncmp(raw.data, "Status: ", 8) == 0)
		out->status = (int)strtol(raw.data + 8, NULL, 10);
	hend = strstr(raw.data, "\r\n\r\n");
	ck_assert_msg(hend != NULL, "no end of headers in response");
	out->headers = xstrndup(raw.data, (size_t)(hend - raw.data) + 2);
	out->body_len = raw.len - (size_t)(hend + 4 - raw.data);
	p = xmalloc(out->body_len + 1);
	memcpy(p, hend + 4, out->body_len);
	p[out->body_len] = '\0';
	out->body = p;
	buf_free(&raw);
	return 0;
}

int
th_request(struct th_ctx *c, const char *method, const char *uri,
    const char *content_type, const char *body, const char *authorization,
    struct th_resp *out)
{
	return th_request_env(c, method, uri, content_type, body,
	    body != NULL ? strlen(body) : 0, authorization, out);
}

const char *
th_header(const struct th_resp *r, const char *name)
{
	static char	 value[1024];
	const char	*p = r->headers;
	size_t		 n = strlen(name);

	while (p != NULL && *p != '\0') {
		const char	*eol = strstr(p, "\r\n");
		size_t		 len;

		if (eol == NULL)
			break;
		if ((size_t)(eol - p) > n + 1 && strncasecmp(p, name, n) == 0
		    && p[n] == ':') {
			const char *v = p + n + 1;

			while (*v == ' ')
				v++;
			len = (size_t)(eol - v);
			if (len >= sizeof(value))
				len = sizeof(value) - 1;
			memcpy(value, v, len);
			value[len] = '\0';
			return value;
		}
		p = eol + 2;
	}
	return NULL;
}

void
th_expect_error(const struct th_resp *r, int status, const char *msg)
{
	char	 want[1024];

	ck_assert_msg(r->status == status, "status %d, want %d: %s",
	    r->status, status, r->body);
	ck_assert_str_eq(th_header(r, "Content-Type"), "application/json");
	snprintf(want, sizeof(want), "{\"code\":%d,\"message\":\"%s\"}\n",
	    status, msg);
	ck_assert_str_eq(r->body, want);
}

void
th_resp_free(struct th_resp *r)
{
	free(r->headers);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

PGconn *
th_pg(void)
{
	PGconn	*conn;

	conn = PQconnectdb("");
	ck_assert_msg(PQstatus(conn) == CONNECTION_OK, "database: %s",
	    PQerrorMessage(conn));
	th_exec(conn, "SET TimeZone = 'UTC'");
	return conn;
}

void
th_exec(PGconn *conn, const char *sql)
{
	PGresult	*res;
	ExecStatusType	 st;

	res = PQexec(conn, sql);
	st = PQresultStatus(res);
	ck_assert_msg(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK,
	    "%s: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
}

const char *
th_scalar(PGconn *conn, const char *sql)
{
	static char	 value[4096];
	PGresult	*res;

	res = PQexec(conn, sql);
	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql,
	    PQresultErrorMessage(res));
	if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0)) {
		PQclear(res);
		return NULL;
	}
	snprintf(value, sizeof(value), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return value;
}

void
th_truncate_all(PGconn *conn)
{
	th_exec(conn, "TRUNCATE versions, clusters, clusters_checkins, "
	    "doctors RESTART IDENTITY");
}
