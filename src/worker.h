/* worker.h: one prefork worker: database session and the accept loop. */
#ifndef WFM_WORKER_H
#define WFM_WORKER_H

/* Exit statuses of a worker process. */
#define WORKER_EXIT_SHUTDOWN	0	/* asked to stop */
#define WORKER_EXIT_RECYCLE	3	/* served max_requests */
#define WORKER_EXIT_FATAL	4	/* cannot work (logged) */

struct config;
struct metrics;

/*
 * Runs in the child after fork: connects (lazily, with backoff), serves
 * requests on `listen_fd' until SIGTERM, max_requests or a fatal error.
 * Returns the process exit status.
 */
int	 worker_main(const struct config *, int listen_fd,
	    struct metrics *, unsigned slot);

#endif
