/* request.h: the request a handler sees and the response it fills. */
#ifndef WFM_REQUEST_H
#define WFM_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apierr.h"
#include "arena.h"
#include "buf.h"

struct config;
struct db;
struct metrics;

enum http_method {
	HTTP_GET = 0,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_DELETE,
	HTTP_PATCH,
	HTTP_OPTIONS,
	HTTP_OTHER,
	HTTP__MAX
};

extern const char *const http_methods[HTTP__MAX];

#define REQUEST_MAX_PARAMS	4
#define REQUEST_MAX_QUERY	16

struct query_param {
	const char	*name;		/* decoded, arena */
	const char	*value;		/* decoded, arena */
};

/*
 * Everything is copied into the request arena by fcgi_io.c before the
 * handler runs (libfcgi's strings die at FCGX_Finish_r).  Handlers borrow.
 */
struct request {
	struct arena	*arena;
	enum http_method method;
	const char	*method_name;	/* as sent */
	const char	*path;		/* decoded, slashes merged */
	const char	*raw_uri;	/* REQUEST_URI as sent */
	const char	*request_id;	/* nginx $request_id or generated */
	const char	*content_type;	/* NULL when absent */
	const char	*authorization;	/* NULL when absent */
	const char	*remote_addr;
	long long	 content_length; /* -1 when absent */

	struct query_param query[REQUEST_MAX_QUERY];
	size_t		 nquery;

	/* filled by the router: values of {params} in the pattern */
	const char	*params[REQUEST_MAX_PARAMS];
	size_t		 nparams;
	int		 route;		/* enum route, -1 before routing */

	/* body, read by fcgi_io.c when the route takes one */
	const char	*body;		/* NUL-terminated arena copy */
	size_t		 body_len;

	/* per-process context */
	const struct config *cfg;
	struct db	*db;
	struct metrics	*metrics;
	void		*io;		/* fcgi_io's private state */
	double		 start;		/* monotonic seconds */
	double		 worker_started;	/* monotonic seconds */
	unsigned long	 worker_served;	/* requests before this one */
};

#define RESPONSE_MAX_HEADERS	8

struct header {
	const char	*name;
	const char	*value;
};

/* A sink takes response bytes: fcgi_io.c in the daemon, a buf in tests. */
struct response_sink {
	int	(*write)(void *ctx, const char *, size_t);
	void	*ctx;
};

struct response {
	int		 status;
	const char	*content_type;	/* NULL: no Content-Type header */
	struct header	 headers[RESPONSE_MAX_HEADERS];
	size_t		 nheaders;
	struct buf	 body;		/* owned by the worker, reset per request */
	bool		 head_only;	/* HEAD: headers, no body */
	bool		 streaming;	/* headers already sent */
	bool		 failed;	/* the sink failed (client gone) */
	unsigned long long bytes_out;	/* body bytes handed to the sink */
	struct response_sink sink;
};

/* Query: the last occurrence of `name' (decoded), or NULL. */
const char	*request_query(const struct request *, const char *name);
/* Path parameter i (0-based), or NULL. */
const char	*request_param(const struct request *, size_t);

/*
 * Splits a raw query string into decoded name/value pairs in the arena.
 * '+' is a space.  Returns 0, or -1 and sets err (400) for bad %-escapes or
 * too many parameters.
 */
int	 request_parse_query(struct request *, const char *qs,
	    struct api_error *);
/*
 * Merges repeated slashes in a path, first decoding %-escapes when
 * `decode' (nginx's DOCUMENT_URI is already decoded; REQUEST_URI is not).
 * Returns an arena string, or NULL (bad escape, NUL byte).
 */
char	*request_normalize_path(struct arena *, const char *, size_t,
	    bool decode);

void	 response_init(struct response *);
void	 response_reset(struct response *);
void	 response_free(struct response *);
void	 response_header(struct response *, const char *, const char *);
/* 200 application/json; the handler then writes JSON into res->body. */
void	 response_json(struct response *, int status);
/* The one place an error becomes a response. */
void	 response_error(struct response *, const struct request *,
	    const struct api_error *);

/*
 * Streaming: sends status and headers now; later body bytes go out with
 * response_flush() whenever res->body grows past a threshold.  Returns -1
 * when the client is gone.
 */
int	 response_stream_begin(struct response *, const struct request *);
int	 response_flush(struct response *);
/* Writes everything not yet written (headers too unless streaming). */
int	 response_finish(struct response *, const struct request *);

/* Content-Type check for bodies: 0, or -1 with 400/415 in err. */
int	 request_check_json_type(const struct request *, struct api_error *);

#endif
