/* db_clusters.h: check-ins and the cluster queries. */
#ifndef WFM_DB_CLUSTERS_H
#define WFM_DB_CLUSTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apierr.h"
#include "arena.h"
#include "clusters_filter.h"

struct db;

/*
 * One cluster as stored.  Strings are borrowed: from the arena for
 * db_cluster_get, from the database result for the duration of one
 * callback for db_clusters_age.
 */
struct cluster_row {
	const char	*id;		/* canonical */
	const char	*components;	/* JSON text, NULL when none */
	size_t		 components_len;
	bool		 has_times;	/* a check-in summary exists */
	int64_t		 first_us;	/* first check-in, UTC us */
	int64_t		 last_us;	/* latest check-in */
};

/* Per-cluster check-in statistics (checkins, persistent). */
struct checkin_row {
	const char	*id;
	int64_t		 first_us;
	int64_t		 last_us;
	long long	 checkins;
	const char	*cluster_age;	/* interval text */
	const char	*last_checkin;	/* interval text, or NULL */
};

/* Row callbacks: 0 to go on, -1 to stop (the client is gone). */
typedef int (*cluster_row_fn)(void *, const struct cluster_row *);
typedef int (*checkin_row_fn)(void *, const struct checkin_row *);

/*
 * Records a check-in of cluster `id' (canonical) with its stored JSON
 * `data', in one statement: the check-in row at the server's time, the
 * cluster row inserted or replaced, the summary updated.  Sets the
 * cluster's first check-in and this check-in's time.  0, or -1 with err.
 */
int	 db_cluster_checkin(struct db *, const char *id, const char *data,
	    int64_t *first_us, int64_t *last_us, struct api_error *)
	    __attribute__((warn_unused_result));

/*
 * Reads cluster `id' (canonical) into `row' (strings in the arena).
 * Returns 1 when found, 0 when not, -1 with err.
 */
int	 db_cluster_get(struct db *, struct arena *, const char *id,
	    struct cluster_row *, struct api_error *)
	    __attribute__((warn_unused_result));

/* Number of clusters that ever checked in.  0, or -1 with err. */
int	 db_clusters_count(struct db *, long long *, struct api_error *)
	    __attribute__((warn_unused_result));

/*
 * One page of the age query: clusters with a cluster row, in (first
 * check-in, id) order, strictly after the key (key_us, key_id) when
 * has_key (the lower first-check-in bound, or the last row of the
 * previous page), whose first check-in is strictly before `hi' and whose
 * latest check-in is strictly between ls_lo and ls_hi (PostgreSQL
 * timestamp texts, "-infinity"/"infinity" for no bound), at most `limit'
 * rows.  by_last reads the clusters by latest check-in and sorts them,
 * which pays when few clusters are in the ls_lo..ls_hi range
 * (db_clusters_age_probe); the answer is the same.  Calls fn for each
 * row; *n is the number of rows read.  0, or -1 with err (a callback's
 * -1 ends the page early and returns 0).
 */
struct age_page {
	bool		 has_key;
	int64_t		 key_us;
	const char	*key_id;
	const char	*hi;
	const char	*ls_lo;
	const char	*ls_hi;
	long		 limit;
	bool		 by_last;
};

int	 db_clusters_age(struct db *, const struct age_page *,
	    cluster_row_fn, void *, size_t *n, struct api_error *)
	    __attribute__((warn_unused_result));

/*
 * Counts, each up to `cap', the clusters whose latest check-in is in the
 * page's ls_lo..ls_hi range (*by_last) and those after its key with a
 * first check-in before `hi' (*by_first).  0, or -1 with err.
 */
int	 db_clusters_age_probe(struct db *, const struct age_page *,
	    long cap, long long *by_last, long long *by_first,
	    struct api_error *)
	    __attribute__((warn_unused_result));

/*
 * The check-ins and persistent queries read their count and their pages
 * in one snapshot: db_clusters_snapshot() opens a read-only repeatable
 * read transaction, db_clusters_snapshot_end() ends it (always call it
 * once the snapshot is open, on every path).  0, or -1 with err.
 */
int	 db_clusters_snapshot(struct db *, struct api_error *)
	    __attribute__((warn_unused_result));
void	 db_clusters_snapshot_end(struct db *);

/*
 * Check-ins: clusters whose first check-in is strictly between `after'
 * and `before' (timestamp texts).  The count, then pages newest first
 * check-in first, each strictly before (before_us, before_id) when
 * before_id is not NULL.
 */
int	 db_checkins_count(struct db *, const char *after,
	    const char *before, long long *, struct api_error *)
	    __attribute__((warn_unused_result));
int	 db_checkins_page(struct db *, const char *after, const char *before,
	    int64_t before_us, const char *before_id, long limit,
	    checkin_row_fn, void *, size_t *n, struct api_error *)
	    __attribute__((warn_unused_result));

/*
 * Persistent: first check-in strictly between `epoch' and `timestamp',
 * more than one check-in, latest check-in strictly after `alive'.  The
 * count, then pages oldest first check-in first, each strictly after
 * (after_us, after_id) when after_id is not NULL.
 */
int	 db_persistent_count(struct db *, const char *epoch,
	    const char *timestamp, const char *alive, long long *,
	    struct api_error *)
	    __attribute__((warn_unused_result));
int	 db_persistent_page(struct db *, const char *epoch,
	    const char *timestamp, const char *alive, int64_t after_us,
	    const char *after_id, long limit, checkin_row_fn, void *,
	    size_t *n, struct api_error *)
	    __attribute__((warn_unused_result));

#endif
