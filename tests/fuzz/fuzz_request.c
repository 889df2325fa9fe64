/* fuzz_request.c: libFuzzer target for the request adapter and dispatch(). */
#include "config.h"

#include <ctype.h>
#include <strings.h>

#include <fcgiapp.h>

#include "apierr.h"
#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "crypto.h"
#include "db.h"
#include "fcgi_io.h"
#include "fuzz.h"
#include "json.h"
#include "log.h"
#include "metrics.h"
#include "request.h"
#include "router.h"
#include "xalloc.h"

/*
 * Input: FastCGI parameters as nginx sends them, one "NAME=VALUE" line
 * each (REQUEST_METHOD, REQUEST_URI, DOCUMENT_URI, QUERY_STRING,
 * CONTENT_TYPE, CONTENT_LENGTH, HTTP_AUTHORIZATION, REQUEST_ID, ...), an
 * empty line, then the request body.  The request goes through the
 * worker's own path: fcgi_io_read_request() (libfcgi's parameter list
 * and input stream are set up in memory), dispatch() with
 * fcgi_io_read_body(), response_finish().
 *
 * The database is configured but unreachable (a socket path that does
 * not exist), so routes that need it answer 503 after the routing,
 * Content-Type, size and body checks.  Each input is therefore served a
 * second time with the handler of such a route called directly (what
 * dispatch() does, without connecting): authentication, body decoding
 * and query parsing then run in full, and the handler can only fail at
 * its first database call (503), never with a 500 before it.
 *
 * Every answer must be well formed: a status line, headers without
 * control characters (no header splitting), Content-Length matching,
 * no body for HEAD, Retry-After with 503, Allow with 405, and for every
 * error the JSON body {"code":<status>,"message":"..."} in UTF-8.
 * Secrets are configured (a publisher token, doctor credentials, a
 * database password) and must never appear in an answer unless the
 * request itself carried them outside its Authorization header.
 */

#define MAX_PARAMS	32

#define PUBLISH_TOKEN	"QZX-publish-token-SECRET"
#define DOCTOR_PASS	"QZX-doctor-pass-SECRET"
#define DB_PASS		"QZX-db-pass-SECRET"

/*
 * Known bugs can be tolerated for long runs until they are fixed, with
 * WFM_FUZZ_TOLERATE in the environment: "utf8" (error bodies that are
 * not UTF-8), "head" (a body in the answer to HEAD).
 */
static bool		 tolerate_bad_utf8, tolerate_head_body;
static struct config	*cfg;
static struct db	*db;
static struct metrics	*metrics;
static struct fcgi_io	*io;
static struct arena	 arena;
static struct response	 res;

static void
set(const char *key, const char *value)
{
	char	 msg[256];

	if (config_set(cfg, key, value, msg, sizeof(msg)) == -1) {
		fprintf(stderr, "fuzz_request: %s: %s\n", key, msg);
		abort();
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t	 h[SHA256_LEN];
	char	 hex[2 * SHA256_LEN + 1], tok[160];
	const char *tol;

	xalloc_cjson_hooks();
	if ((tol = getenv("WFM_FUZZ_TOLERATE")) != NULL) {
		tolerate_bad_utf8 = strstr(tol, "utf8") != NULL;
		tolerate_head_body = strstr(tol, "head") != NULL;
	}
	log_open(LOG_TARGET_STDERR, LOGL_ERR, "fuzz_request");
	cfg = config_defaults();
	set("database", "host=/nonexistent/wfm-fuzz dbname=wfm user=fuzz "
	    "password=" DB_PASS " connect_timeout=1");
	set("openapi_file", "/dev/null");
	sha256(PUBLISH_TOKEN, strlen(PUBLISH_TOKEN), h);
	hex_encode(h, sizeof(h), hex);
	snprintf(tok, sizeof(tok), "sha256:%s components=deis-*,x "
	    "trains=stable", hex);
	set("publish_token", tok);
	set("doctor_user", "fuzz");
	set("doctor_password", DOCTOR_PASS);
	/* Small limits, so that short inputs reach the limit checks. */
	set("max_body", "1024");
	set("doctor_max_body", "2048");
	set("max_path", "128");
	set("json_max_depth", "8");
	set("json_max_elements", "256");
	set("max_latest_pairs", "4");
	db = db_new(cfg, NULL);
	metrics = metrics_new(4);
	io = fcgi_io_new(-1);
	arena_init(&arena);
	response_init(&res);
	return 0;
}

static int
capture(void *ctx, const char *p, size_t n)
{
	buf_put(ctx, p, n);
	return 0;
}

static bool
is_tchar(int c)
{
	return c != 0 && (isalnum(c) || strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/*
 * Does the response contain `secret' that the request did not carry?
 * The secrets start with "QZX", which no JSON escape or message
 * text produces, and the request counts as carrying one when it has all
 * of it but its first character.
 */
static bool
leaks(const struct buf *out, const char *secret, const uint8_t *in,
    size_t inlen)
{
	size_t	 n = strlen(secret);

	if (memmem(out->data, out->len, secret, n) == NULL)
		return false;
	return memmem(in, inlen, secret + 1, n - 1) == NULL;
}

/* The response as the worker sent it must be well formed. */
static void
check_response(const struct request *req, const struct buf *out,
    const uint8_t *in, size_t inlen)
{
	const char		*p = out->data, *end = out->data + out->len;
	const char		*eol, *body;
	char			 ctype[128] = "";
	long			 status, clen = -1;
	bool			 retry_after = false, allow = false;
	size_t			 blen;

	FUZZ_CHECK(out->len > 8 && strncmp(p, "Status: ", 8) == 0);
	status = strtol(p + 8, NULL, 10);
	FUZZ_CHECK(status >= 200 && status <= 599);
	FUZZ_CHECK(status == res.status);
	for (;;) {
		const char	*colon;

		eol = memmem(p, (size_t)(end - p), "\r\n", 2);
		FUZZ_CHECK(eol != NULL);
		if (eol == p)
			break;
		colon = memchr(p, ':', (size_t)(eol - p));
		FUZZ_CHECK(colon != NULL && colon > p && colon[1] == ' ');
		for (const char *c = p; c < colon; c++)
			FUZZ_CHECK(is_tchar((unsigned char)*c));
		/* No header splitting: no control byte in any value. */
		for (const char *c = colon + 2; c < eol; c++)
			FUZZ_CHECK((unsigned char)*c >= 0x20 &&
			    (unsigned char)*c != 0x7f);
		if (strncasecmp(p, "Content-Type: ", 14) == 0)
			snprintf(ctype, sizeof(ctype), "%.*s",
			    (int)(eol - p - 14), p + 14);
		else if (strncasecmp(p, "Content-Length: ", 16) == 0)
			clen = strtol(p + 16, NULL, 10);
		else if (strncasecmp(p, "Retry-After: ", 13) == 0)
			retry_after = true;
		else if (strncasecmp(p, "Allow: ", 7) == 0)
			allow = true;
		p = eol + 2;
	}
	body = eol + 2;
	blen = (size_t)(end - body);
	if (!res.streaming)
		FUZZ_CHECK(clen >= 0 && (req->method == HTTP_HEAD ||
		    (size_t)clen == blen));
	if (req->method == HTTP_HEAD && !tolerate_head_body)
		FUZZ_CHECK(blen == 0);
	if (status == 503)
		FUZZ_CHECK(retry_after);
	if (status == 405)
		FUZZ_CHECK(allow);
	if (status >= 400) {
		FUZZ_CHECK(strcmp(ctype, "application/json") == 0);
		/* JSON is UTF-8, whatever bytes the request path had. */
		if (!tolerate_bad_utf8)
			FUZZ_CHECK(json_valid_utf8(body, blen));
		if (req->method != HTTP_HEAD && json_valid_utf8(body, blen)) {
			struct json_limits	 lim = { 4, 16 };
			struct api_error	 err;
			cJSON			*root;
			const cJSON		*code, *msg;

			FUZZ_CHECK(blen > 0 && body[blen - 1] == '\n');
			apierr_clear(&err);
			root = json_parse_body(body, blen, &lim, &err);
			FUZZ_CHECK(root != NULL);
			code = cJSON_GetObjectItemCaseSensitive(root, "code");
			msg = cJSON_GetObjectItemCaseSensitive(root,
			    "message");
			/* /healthz adds its facts to the error members. */
			FUZZ_CHECK(cJSON_GetArraySize(root) == 2 ||
			    req->route == ROUTE_HEALTHZ);
			FUZZ_CHECK(cJSON_IsNumber(code) &&
			    code->valuedouble == (double)status);
			FUZZ_CHECK(cJSON_IsString(msg) &&
			    msg->valuestring[0] != '\0');
			cJSON_Delete(root);
		}
	}
	if (req->route == ROUTE_PING && status == 200)
		FUZZ_CHECK(blen == 0);
	FUZZ_CHECK(!leaks(out, PUBLISH_TOKEN, in, inlen));
	FUZZ_CHECK(!leaks(out, DOCTOR_PASS, in, inlen));
	FUZZ_CHECK(!leaks(out, DB_PASS, in, inlen));
}

/*
 * What dispatch() does before the handler, for a route that needs the
 * database, except connecting: the handler then runs its own checks and
 * decoding (authentication, JSON models, query parameters) and fails
 * with 503 only where it would first touch the database.
 */
static void
direct(struct request *req, struct response *r)
{
	const struct route_method	*rm;
	struct api_error		 err;
	char				 allow[64];
	size_t				 limit;

	apierr_clear(&err);
	if (req->path == NULL || strlen(req->path) > cfg->max_path ||
	    router_match(req, req->path, req->method, &rm, allow,
	    sizeof(allow)) != ROUTER_FOUND || !(rm->flags & ROUTE_F_DB))
		return;
	r->head_only = req->method == HTTP_HEAD;
	if (rm->flags & ROUTE_F_BODY) {
		limit = rm->flags & ROUTE_F_DOCTOR ? cfg->doctor_max_body :
		    cfg->max_body;
		if (request_check_json_type(req, &err) == -1 ||
		    req->content_length > (long long)limit ||
		    fcgi_io_read_body(req, limit, &err) == -1)
			return;
	}
	if (rm->handler(req, r, &err) == -1) {
		/* Only the database may fail: no 500 before it. */
		FUZZ_CHECK(err.code != APIERR_INTERNAL);
		FUZZ_CHECK(!r->streaming);
		response_error(r, req, &err);
		r->head_only = req->method == HTTP_HEAD;
	}
}

/*
 * One request through the worker's path (dispatch), or with `handler'
 * straight to the handler of a database route (direct).
 */
static void
serve(const uint8_t *data, size_t size, bool handler)
{
	FCGX_Request		*fr = (FCGX_Request *)io;
	FCGX_Stream		 in;
	char			*envp[MAX_PARAMS + 1];
	size_t			 nenv = 0, rest = size, len;
	const uint8_t		*p = data;
	unsigned char		*body;
	struct request		 req;
	struct api_error	 err;
	struct buf		 out = BUF_INIT;

	/* Parameters up to the first empty line. */
	while (rest > 0) {
		char	*line;

		p = fuzz_split(p, rest, '\n', &line, &len, &rest);
		if (len == 0) {
			free(line);
			break;
		}
		if (nenv < MAX_PARAMS && strchr(line, '=') != NULL)
			envp[nenv++] = line;
		else
			free(line);
	}
	envp[nenv] = NULL;
	body = malloc(rest + 1);
	if (body == NULL)
		abort();
	memcpy(body, p, rest);

	/*
	 * libfcgi's request as FCGX_Accept_r leaves it: struct fcgi_io
	 * starts with its FCGX_Request (fcgi_io.c); a closed reader stream
	 * over the body.
	 */
	memset(&in, 0, sizeof(in));
	in.rdNext = in.stopUnget = body;
	in.stop = in.wrNext = body + rest;
	in.isReader = 1;
	in.isClosed = 1;
	fr->envp = envp;
	fr->in = &in;

	memset(&req, 0, sizeof(req));
	arena_reset(&arena);
	req.arena = &arena;
	req.cfg = cfg;
	req.db = db;
	req.metrics = metrics;
	req.route = -1;
	response_reset(&res);
	apierr_clear(&err);
	if (fcgi_io_read_request(io, &req, &res, &err) == -1) {
		FUZZ_CHECK(err.code == APIERR_BAD_REQUEST);
		if (handler)
			goto done;
		res.sink.write = capture;
		res.sink.ctx = &out;
		response_error(&res, &req, &err);
	} else {
		FUZZ_CHECK(req.path != NULL);
		res.sink.write = capture;
		res.sink.ctx = &out;
		if (handler) {
			direct(&req, &res);
			if (out.len == 0 && res.body.len == 0 &&
			    res.status == 200)
				goto done;	/* not a database route */
		} else
			dispatch(&req, &res, fcgi_io_read_body);
	}
	if (!res.failed)
		FUZZ_CHECK(response_finish(&res, &req) == 0);
	FUZZ_CHECK(!res.failed);
	log_access(req.request_id, req.method_name, req.path, res.status,
	    0.0, res.bytes_out);
	metrics_request(metrics, req.route, res.status, 0.0, req.body_len,
	    res.bytes_out);
	check_response(&req, &out, data, size);
done:
	log_set_request_id(NULL);
	fr->envp = NULL;
	fr->in = NULL;
	buf_free(&out);
	free(body);
	for (size_t i = 0; i < nenv; i++)
		free(envp[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	serve(data, size, false);
	serve(data, size, true);
	return 0;
}
