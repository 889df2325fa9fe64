/* metrics.h: pool-wide counters in shared memory, Prometheus text output. */
#ifndef WFM_METRICS_H
#define WFM_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

enum worker_exit {
	WEXIT_RECYCLED = 0,	/* max_requests reached */
	WEXIT_SHUTDOWN,		/* SIGTERM or reload */
	WEXIT_ERROR,		/* exited with a non-zero status */
	WEXIT_SIGNAL,		/* killed by a signal */
	WEXIT__MAX
};

struct metrics;

/*
 * Created by the supervisor before it forks (anonymous shared mapping,
 * inherited by every worker).  Caller owns; metrics_free() unmaps.
 * `max_workers' bounds the per-slot busy flags.
 */
struct metrics	*metrics_new(unsigned max_workers);
void		 metrics_free(struct metrics *);

/* Worker side.  `slot' is the worker's index in the pool. */
void	 metrics_worker_busy(struct metrics *, unsigned slot, bool);
void	 metrics_request(struct metrics *, int route, int status,
	    double seconds, unsigned long long bytes_in,
	    unsigned long long bytes_out);
void	 metrics_db_error(struct metrics *);
void	 metrics_db_reconnect(struct metrics *);
void	 metrics_set_schema_version(struct metrics *, long long);

/* Supervisor side. */
void	 metrics_worker_started(struct metrics *);
void	 metrics_worker_exited(struct metrics *, enum worker_exit);
void	 metrics_set_workers(struct metrics *, unsigned configured,
	    unsigned running);
/* A worker in `slot' is gone: it is no longer busy. */
void	 metrics_slot_clear(struct metrics *, unsigned slot);

#define METRICS_SLOTS	4096

/* Appends the Prometheus text exposition of everything to `out'. */
void	 metrics_render(const struct metrics *, struct buf *out);

#endif
