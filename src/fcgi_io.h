/* fcgi_io.h: the FastCGI side of a request (the only user of libfcgi). */
#ifndef WFM_FCGI_IO_H
#define WFM_FCGI_IO_H

#include <stdbool.h>
#include <stddef.h>

#include "apierr.h"
#include "request.h"

struct fcgi_io;

/* Caller owns; free with fcgi_io_free().  Never NULL. */
struct fcgi_io	*fcgi_io_new(int listen_fd);
void		 fcgi_io_free(struct fcgi_io *);

/*
 * Waits for the next request.  Returns 0, 1 when nothing arrived (timeout
 * or signal: check for shutdown and call again), or -1 on an error worth
 * a pause (logged).
 */
int	 fcgi_io_accept(struct fcgi_io *);

/*
 * Copies the request's parameters into `req' (arena strings): method,
 * path, query, headers that matter, request id.  Sets req->io and the
 * response sink.  Returns 0, or -1 with a 400 in err (req stays usable
 * for the error answer).
 */
int	 fcgi_io_read_request(struct fcgi_io *, struct request *,
	    struct response *, struct api_error *);

/* The body reader dispatch() calls (see router.h). */
int	 fcgi_io_read_body(struct request *, size_t limit,
	    struct api_error *);

/*
 * Ends the request.  With `abort_conn', the connection is dropped without
 * a proper end, so that nginx cuts the client's answer short rather than
 * pass on a truncated body as complete.
 */
void	 fcgi_io_finish(struct fcgi_io *, bool abort_conn);

#endif
