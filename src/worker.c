/* worker.c: one prefork worker: database session and the accept loop. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "conf.h"
#include "db.h"
#include "fcgi_io.h"
#include "log.h"
#include "metrics.h"
#include "request.h"
#include "router.h"
#include "timefmt.h"
#include "worker.h"

/*
 * SIGTERM and SIGINT stay blocked in a worker, so that no signal ever
 * interrupts libfcgi between accept(2) and the end of a request: its
 * select(2) right after accept(2) is never restarted (signal(7)) and a
 * failed one makes it drop the connection (nginx: 502).  A stop is
 * noticed with sigpending() after each request, or within a second
 * when idle: the listening socket has SO_RCVTIMEO, so accept(2)
 * returns.  FCGX_ShutdownPending() is not used: after it libfcgi
 * accepts nothing more, not even the connections already queued that
 * a stopping worker still serves.
 */
static bool
stop_pending(void)
{
	sigset_t	 p;

	if (sigpending(&p) == -1)
		return false;
	return sigismember(&p, SIGTERM) == 1 || sigismember(&p, SIGINT) == 1;
}

static void
worker_signals(void)
{
	struct sigaction	 sa;
	sigset_t		 stop;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_SETMASK, &stop, NULL);
}

/* Serves one accepted request, start to end. */
static void
serve(const struct config *cfg, struct fcgi_io *io, struct db *db,
    struct metrics *m, struct arena *arena, struct response *res,
    double started, unsigned long served)
{
	struct request		 req;
	struct api_error	 err;
	double			 t0 = time_mono(), secs;

	memset(&req, 0, sizeof(req));
	req.arena = arena;
	req.cfg = cfg;
	req.db = db;
	req.metrics = m;
	req.route = -1;
	req.start = t0;
	req.worker_started = started;
	req.worker_served = served;
	response_reset(res);
	apierr_clear(&err);

	if (fcgi_io_read_request(io, &req, res, &err) == -1)
		response_error(res, &req, &err);
	else
		dispatch(&req, res, fcgi_io_read_body);
	if (!res->failed)
		response_finish(res, &req);
	fcgi_io_finish(io, res->failed && res->streaming);

	secs = time_mono() - t0;
	if (cfg->access_log)
		log_access(req.request_id != NULL ? req.request_id : "-",
		    req.method_name, req.path != NULL ? req.path : "-",
		    res->failed && res->streaming ? 499 : res->status,
		    secs * 1000.0, res->bytes_out);
	metrics_request(m, req.route, res->status, secs,
	    req.body_len, res->bytes_out);
	log_set_request_id(NULL);
}

/* Is a connection waiting on the listening socket? */
static bool
pending(int fd)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN);
}

int
worker_main(const struct config *cfg, int listen_fd, struct metrics *m,
    unsigned slot)
{
	struct fcgi_io		*io;
	struct db		*db;
	struct arena		 arena;
	struct response		 res;
	struct api_error	 err;
	unsigned long		 served = 0;
	int			 rc, status = WORKER_EXIT_SHUTDOWN;
	double			 started = time_mono();

	worker_signals();
	arena_init(&arena);
	response_init(&res);
	io = fcgi_io_new(listen_fd);
	db = db_new(cfg, m);
	apierr_clear(&err);
	/* Connect now so the first request does not pay for it. */
	(void)db_ensure(db, &err);
	metrics_worker_busy(m, slot, false);

	while (!stop_pending()) {
		rc = fcgi_io_accept(io);
		/* An accepted request is served, stop or not. */
		if (rc == 1)
			continue;
		if (rc == -1) {
			/* EMFILE and the like: back off instead of spinning. */
			sleep(1);
			continue;
		}
		metrics_worker_busy(m, slot, true);
		arena_reset(&arena);
		serve(cfg, io, db, m, &arena, &res, started, served);
		metrics_worker_busy(m, slot, false);
		served++;
		if (cfg->max_requests > 0 && served >= cfg->max_requests) {
			log_info("worker served %lu requests, recycling",
			    served);
			status = WORKER_EXIT_RECYCLE;
			break;
		}
	}
	/*
	 * Stopping: connections already queued on the socket were handed to
	 * us by nginx; serve them rather than let them be reset.  The
	 * supervisor removed the socket's name first, so no new ones come
	 * (on a reload the new workers take over; stop after a short while).
	 */
	if (status == WORKER_EXIT_SHUTDOWN) {
		double	 until = time_mono() + 2.0;

		while (time_mono() < until && pending(listen_fd) &&
		    fcgi_io_accept(io) == 0) {
			arena_reset(&arena);
			serve(cfg, io, db, m, &arena, &res, started, served);
			served++;
		}
	}
	fcgi_io_free(io);
	db_free(db);
	arena_free(&arena);
	response_free(&res);
	return status;
}
