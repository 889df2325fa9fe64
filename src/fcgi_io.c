/* fcgi_io.c: the FastCGI side of a request (the only user of libfcgi). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <fcgiapp.h>

#include "conf.h"
#include "crypto.h"
#include "fcgi_io.h"
#include "log.h"
#include "xalloc.h"

struct fcgi_io {
	FCGX_Request	 fr;
	bool		 active;
};

struct fcgi_io *
fcgi_io_new(int listen_fd)
{
	struct fcgi_io	*io;

	io = xcalloc(1, sizeof(*io));
	FCGX_Init();
	FCGX_InitRequest(&io->fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
	return io;
}

void
fcgi_io_free(struct fcgi_io *io)
{
	if (io == NULL)
		return;
	if (io->active)
		FCGX_Finish_r(&io->fr);
	FCGX_Free(&io->fr, 1);
	free(io);
}

int
fcgi_io_accept(struct fcgi_io *io)
{
	int	 rc;

	rc = FCGX_Accept_r(&io->fr);
	if (rc >= 0) {
		struct timeval	 none = { 0, 0 };

		io->active = true;
		/*
		 * A TCP connection inherits the listening socket's wake-up
		 * timeout; reads of a request must not time out after 1 s.
		 */
		(void)setsockopt(io->fr.ipcFd, SOL_SOCKET, SO_RCVTIMEO, &none,
		    sizeof(none));
		return 0;
	}
	io->active = false;
	/* Timeout on the listening socket (SO_RCVTIMEO) or a signal. */
	if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR)
		return 1;
	if (rc == -EMFILE || rc == -ENFILE || rc == -ENOBUFS ||
	    rc == -ENOMEM) {
		log_err("accept: %s; pausing", strerror(-rc));
		return -1;
	}
	if (rc < 0 && rc > -4096) {
		log_warn("accept: %s", strerror(-rc));
		return -1;
	}
	log_warn("accept failed (%d)", rc);
	return -1;
}

static int
sink_write(void *ctx, const char *p, size_t n)
{
	struct fcgi_io	*io = ctx;

	while (n > 0) {
		int	 chunk = n > (1 << 30) ? (1 << 30) : (int)n;
		int	 w = FCGX_PutStr(p, chunk, io->fr.out);

		if (w != chunk)
			return -1;
		p += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

static const char *
param(struct fcgi_io *io, struct arena *a, const char *name)
{
	const char	*v = FCGX_GetParam(name, io->fr.envp);

	return v == NULL ? NULL : arena_strdup(a, v);
}

static enum http_method
method_of(const char *m)
{
	for (int i = 0; i < HTTP_OTHER; i++)
		if (strcmp(m, http_methods[i]) == 0)
			return (enum http_method)i;
	return HTTP_OTHER;
}

/* nginx's $request_id is 32 hex digits; anything odd is replaced. */
static bool
sane_id(const char *id)
{
	size_t	 n = 0;

	for (; id[n] != '\0'; n++)
		if (!((id[n] >= '0' && id[n] <= '9') ||
		    (id[n] >= 'a' && id[n] <= 'z') ||
		    (id[n] >= 'A' && id[n] <= 'Z') || id[n] == '-'))
			return false;
	return n > 0 && n <= 64;
}

static const char *
new_id(struct arena *a)
{
	uint8_t	 r[16];
	char	*hex;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		memset(r, 0, sizeof(r));
	hex = arena_alloc(a, 33);
	hex_encode(r, sizeof(r), hex);
	return hex;
}

int
fcgi_io_read_request(struct fcgi_io *io, struct request *req,
    struct response *res, struct api_error *err)
{
	const char	*v, *uri, *qs;
	char		*end;

	req->io = io;
	res->sink.write = sink_write;
	res->sink.ctx = io;

	v = param(io, req->arena, "REQUEST_ID");
	req->request_id = v != NULL && sane_id(v) ? v : new_id(req->arena);
	log_set_request_id(req->request_id);

	v = param(io, req->arena, "REQUEST_METHOD");
	req->method_name = v != NULL ? v : "GET";
	req->method = method_of(req->method_name);
	req->content_type = param(io, req->arena, "CONTENT_TYPE");
	req->authorization = param(io, req->arena, "HTTP_AUTHORIZATION");
	req->remote_addr = param(io, req->arena, "REMOTE_ADDR");
	uri = param(io, req->arena, "REQUEST_URI");
	req->raw_uri = uri != NULL ? uri : "";

	/* nginx: DOCUMENT_URI is decoded and merged; else REQUEST_URI. */
	if ((v = FCGX_GetParam("DOCUMENT_URI", io->fr.envp)) != NULL)
		req->path = request_normalize_path(req->arena, v, strlen(v),
		    false);
	else if (uri != NULL)
		req->path = request_normalize_path(req->arena, uri,
		    strcspn(uri, "?"), true);
	else
		req->path = arena_strdup(req->arena, "/");

	req->content_length = -1;
	if ((v = FCGX_GetParam("CONTENT_LENGTH", io->fr.envp)) != NULL &&
	    *v != '\0') {
		errno = 0;
		req->content_length = strtoll(v, &end, 10);
		if (errno != 0 || *end != '\0' || req->content_length < 0 ||
		    *v < '0' || *v > '9')
			return apierr_set(err, APIERR_BAD_REQUEST,
			    "the Content-Length header is not valid");
	}
	if (req->path == NULL)
		return apierr_set(err, APIERR_BAD_REQUEST,
		    "the request path is not valid");
	qs = FCGX_GetParam("QUERY_STRING", io->fr.envp);
	if (request_parse_query(req, qs, err) == -1)
		return -1;
	return 0;
}

int
fcgi_io_read_body(struct request *req, size_t limit, struct api_error *err)
{
	struct fcgi_io	*io = req->io;
	char		*buf;
	size_t		 want, got = 0;
	int		 n;

	/* nginx always sends CONTENT_LENGTH; without it read to the limit. */
	want = req->content_length >= 0 ? (size_t)req->content_length :
	    limit + 1;
	buf = arena_alloc(req->arena, want + 1);
	while (got < want) {
		int	 chunk = want - got > (1 << 20) ? (1 << 20) :
		    (int)(want - got);

		n = FCGX_GetStr(buf + got, chunk, io->fr.in);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got > limit)
		return apierr_set(err, APIERR_TOO_LARGE, "request body is "
		    "over the limit of %zu bytes", limit);
	if (req->content_length >= 0 && got < want)
		return apierr_set(err, APIERR_BAD_REQUEST, "request body "
		    "ended after %zu of %zu bytes", got, want);
	buf[got] = '\0';
	req->body = buf;
	req->body_len = got;
	return 0;
}

void
fcgi_io_finish(struct fcgi_io *io, bool abort_conn)
{
	if (!io->active)
		return;
	io->active = false;
	if (abort_conn) {
		/* Close without FCGI_END_REQUEST: nginx sees a broken reply. */
		FCGX_Free(&io->fr, 1);
		return;
	}
	FCGX_Finish_r(&io->fr);
}
