/* request.c: requests and responses as handlers see them; the error renderer. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "jw.h"
#include "request.h"

const char *const http_methods[HTTP__MAX] = {
	[HTTP_GET] = "GET",
	[HTTP_HEAD] = "HEAD",
	[HTTP_POST] = "POST",
	[HTTP_PUT] = "PUT",
	[HTTP_DELETE] = "DELETE",
	[HTTP_PATCH] = "PATCH",
	[HTTP_OPTIONS] = "OPTIONS",
	[HTTP_OTHER] = "OTHER",
};

/* Flush a streamed body to the sink once it is this large. */
#define STREAM_CHUNK	(32 * 1024)

const char *
request_query(const struct request *req, const char *name)
{
	const char	*v = NULL;

	for (size_t i = 0; i < req->nquery; i++)
		if (strcmp(req->query[i].name, name) == 0)
			v = req->query[i].value;
	return v;
}

const char *
request_param(const struct request *req, size_t i)
{
	return i < req->nparams ? req->params[i] : NULL;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* %-decodes s[0..n) into the arena; '+' is a space when `plus'. */
static char *
pct_decode(struct arena *a, const char *s, size_t n, bool plus)
{
	char	*out, *w;

	out = w = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int	 h, l;

			if (i + 2 >= n)
				return NULL;
			if ((h = hexval((unsigned char)s[i + 1])) < 0 ||
			    (l = hexval((unsigned char)s[i + 2])) < 0)
				return NULL;
			if (h == 0 && l == 0)
				return NULL;
			*w++ = (char)(h << 4 | l);
			i += 2;
		} else if (s[i] == '\0')
			return NULL;
		else if (plus && s[i] == '+')
			*w++ = ' ';
		else
			*w++ = s[i];
	}
	*w = '\0';
	return out;
}

int
request_parse_query(struct request *req, const char *qs, struct api_error *err)
{
	const char	*p = qs, *amp, *eq;

	req->nquery = 0;
	if (qs == NULL)
		return 0;
	while (*p != '\0') {
		size_t	 len;
		char	*name, *value;

		amp = strchr(p, '&');
		len = amp == NULL ? strlen(p) : (size_t)(amp - p);
		if (len > 0) {
			eq = memchr(p, '=', len);
			if (eq == NULL) {
				name = pct_decode(req->arena, p, len, true);
				value = arena_strdup(req->arena, "");
			} else {
				name = pct_decode(req->arena, p,
				    (size_t)(eq - p), true);
				value = pct_decode(req->arena, eq + 1,
				    len - (size_t)(eq - p) - 1, true);
			}
			if (name == NULL || value == NULL)
				return apierr_set(err, APIERR_BAD_REQUEST,
				    "the query string has an invalid "
				    "%%-escape");
			if (req->nquery == REQUEST_MAX_QUERY)
				return apierr_set(err, APIERR_BAD_REQUEST,
				    "too many query parameters (at most %d)",
				    REQUEST_MAX_QUERY);
			req->query[req->nquery].name = name;
			req->query[req->nquery].value = value;
			req->nquery++;
		}
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	return 0;
}

char *
request_normalize_path(struct arena *a, const char *s, size_t n, bool decode)
{
	char	*p, *r, *w;

	if (decode)
		p = pct_decode(a, s, n, false);
	else {
		if (memchr(s, '\0', n) != NULL)
			return NULL;
		p = arena_strndup(a, s, n);
	}
	if (p == NULL)
		return NULL;
	for (r = w = p; *r != '\0'; r++) {
		if (*r == '/' && w > p && w[-1] == '/')
			continue;
		*w++ = *r;
	}
	*w = '\0';
	return p;
}

void
response_init(struct response *res)
{
	memset(res, 0, sizeof(*res));
	res->status = 200;
}

void
response_reset(struct response *res)
{
	struct buf		 body = res->body;
	struct response_sink	 sink = res->sink;

	buf_reset(&body);
	memset(res, 0, sizeof(*res));
	res->body = body;
	res->sink = sink;
	res->status = 200;
}

void
response_free(struct response *res)
{
	buf_free(&res->body);
}

void
response_header(struct response *res, const char *name, const char *value)
{
	if (res->nheaders == RESPONSE_MAX_HEADERS)
		return;
	res->headers[res->nheaders].name = name;
	res->headers[res->nheaders].value = value;
	res->nheaders++;
}

void
response_json(struct response *res, int status)
{
	res->status = status;
	res->content_type = "application/json";
}

void
response_error(struct response *res, const struct request *req,
    const struct api_error *err)
{
	struct jw	 w;
	enum apierr	 code = err->code;
	const char	*msg = err->message;

	if (code <= APIERR_OK || code >= APIERR__MAX)
		code = APIERR_INTERNAL;
	if (msg[0] == '\0')
		msg = apierrs[code].message;
	res->nheaders = 0;
	buf_reset(&res->body);
	response_json(res, apierrs[code].status);
	if (err->header_name[0] != '\0')
		response_header(res, arena_strdup(req->arena,
		    err->header_name), arena_strdup(req->arena,
		    err->header_value));
	if (code == APIERR_UNAVAILABLE && (err->header_name[0] == '\0' ||
	    strcasecmp(err->header_name, "Retry-After") != 0))
		response_header(res, "Retry-After", arena_printf(req->arena,
		    "%u", req->cfg != NULL ? req->cfg->retry_after : 5));
	jw_init(&w, &res->body);
	jw_obj_open(&w);
	jw_kint(&w, "code", apierrs[code].status);
	jw_kstr(&w, "message", msg);
	jw_obj_close(&w);
	buf_putc(&res->body, '\n');
	res->head_only = req->method == HTTP_HEAD;
}

static const char *
reason(int status)
{
	for (int i = 0; i < APIERR__MAX; i++)
		if (apierrs[i].status == status)
			return apierrs[i].reason;
	return status == 200 ? "OK" : "Unknown";
}

static int
sink_write(struct response *res, const char *p, size_t n)
{
	if (res->failed)
		return -1;
	if (n == 0)
		return 0;
	if (res->sink.write == NULL || res->sink.write(res->sink.ctx, p, n) ==
	    -1) {
		res->failed = true;
		return -1;
	}
	return 0;
}

static int
send_headers(struct response *res, const struct request *req, bool length)
{
	struct buf	 h = BUF_INIT;
	int		 rc;

	buf_printf(&h, "Status: %d %s\r\n", res->status, reason(res->status));
	if (res->content_type != NULL)
		buf_printf(&h, "Content-Type: %s\r\n", res->content_type);
	if (req->request_id != NULL)
		buf_printf(&h, "X-Request-Id: %s\r\n", req->request_id);
	for (size_t i = 0; i < res->nheaders; i++)
		buf_printf(&h, "%s: %s\r\n", res->headers[i].name,
		    res->headers[i].value);
	if (length)
		buf_printf(&h, "Content-Length: %zu\r\n", res->body.len);
	buf_puts(&h, "\r\n");
	rc = sink_write(res, h.data, h.len);
	buf_free(&h);
	return rc;
}

int
response_stream_begin(struct response *res, const struct request *req)
{
	if (res->streaming)
		return res->failed ? -1 : 0;
	res->streaming = true;
	return send_headers(res, req, false);
}

int
response_flush(struct response *res)
{
	int	 rc = 0;

	if (!res->streaming || res->body.len < STREAM_CHUNK)
		return res->failed ? -1 : 0;
	if (!res->head_only)
		rc = sink_write(res, res->body.data, res->body.len);
	res->bytes_out += res->body.len;
	buf_reset(&res->body);
	return rc;
}

int
response_finish(struct response *res, const struct request *req)
{
	int	 rc = 0;

	if (!res->streaming && send_headers(res, req, true) == -1)
		return -1;
	if (!res->head_only)
		rc = sink_write(res, res->body.data, res->body.len);
	res->bytes_out += res->body.len;
	buf_reset(&res->body);
	return rc;
}

static bool
is_tchar(int c)
{
	return c != 0 && (isalnum(c) || strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/*
 * Parses "type/subtype *(; name=value)" the way the original's framework
 * (Go mime.ParseMediaType) did.  Returns the media type in `mt', or NULL
 * with the reason.
 */
static const char *
parse_media_type(const char *s, char *mt, size_t mtsz)
{
	const char	*p = s, *from;
	size_t		 n;

	while (*p == ' ' || *p == '\t')
		p++;
	from = p;
	while (is_tchar((unsigned char)*p))
		p++;
	if (p == from)
		return "mime: no media type";
	if (*p != '/')
		return "mime: expected slash after first token";
	p++;
	if (!is_tchar((unsigned char)*p))
		return "mime: expected token after slash";
	while (is_tchar((unsigned char)*p))
		p++;
	n = (size_t)(p - from);
	if (n >= mtsz)
		return "mime: media type too long";
	memcpy(mt, from, n);
	mt[n] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p != '\0') {
		if (*p != ';')
			return "mime: unexpected content after media subtype";
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;		/* Go accepts a trailing ';' */
		from = p;
		while (is_tchar((unsigned char)*p))
			p++;
		if (p == from || *p != '=')
			return "mime: invalid media parameter";
		p++;
		if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++)
				if (*p == '\\' && p[1] != '\0')
					p++;
			if (*p != '"')
				return "mime: invalid media parameter";
			p++;
		} else {
			from = p;
			while (is_tchar((unsigned char)*p))
				p++;
			if (p == from)
				return "mime: invalid media parameter";
		}
		while (*p == ' ' || *p == '\t')
			p++;
	}
	return NULL;
}

int
request_check_json_type(const struct request *req, struct api_error *err)
{
	char		 mt[128];
	const char	*why, *ct = req->content_type;

	if (ct == NULL || *ct == '\0')
		return apierr_set(err, APIERR_MEDIA_TYPE, "unsupported media "
		    "type \"application/octet-stream\", only "
		    "[application/json] are allowed");
	if ((why = parse_media_type(ct, mt, sizeof(mt))) != NULL)
		return apierr_set(err, APIERR_BAD_REQUEST, "parsing "
		    "Content-Type header from \"%.200s\" failed, because %s",
		    ct, why);
	for (char *p = mt; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	if (strcmp(mt, "application/json") != 0)
		return apierr_set(err, APIERR_MEDIA_TYPE, "unsupported media "
		    "type \"%s\", only [application/json] are allowed", mt);
	return 0;
}
