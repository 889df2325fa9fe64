/* clusters_filter.h: cluster query bounds, impossible filters, cursors. */
#ifndef WFM_CLUSTERS_FILTER_H
#define WFM_CLUSTERS_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apierr.h"
#include "timefmt.h"
#include "uuidfmt.h"

/* The four bounds of GET /v3/clusters/age. */
enum cf_bound {
	CF_CREATED_AFTER = 0,
	CF_CREATED_BEFORE,
	CF_CHECKED_IN_AFTER,
	CF_CHECKED_IN_BEFORE,
	CF__MAX
};

/* Query parameter names, indexed by enum cf_bound. */
extern const char *const cf_names[CF__MAX];

/* The bounds given (set[b]) and their instants. */
struct age_filter {
	bool		 set[CF__MAX];
	struct wtime	 t[CF__MAX];
};

/*
 * Page sizes: what `limit' may ask for, and the internal streaming page.
 * CF_PROBE_CAP: up to this many clusters checked in within the
 * checked_in_after bound, the age query reads them by latest check-in.
 */
#define CF_LIMIT_MAX	10000
#define CF_STREAM_PAGE	1000
#define CF_PROBE_CAP	100000

/*
 * Parses one bound of the age filter: an RFC 3339 instant, or a duration
 * (time_parse_duration) before `now', giving that instant in UTC,
 * truncated to microseconds.  Returns 0, or -1 with a 422
 * "<name> in query must be of type date-time: \"<raw>\"".
 */
int	 cf_parse_bound(const char *name, const char *raw,
	    const struct wtime *now, struct wtime *out, struct api_error *);
/* The same for an RFC 3339 instant only (checkins, persistent). */
int	 cf_parse_instant(const char *name, const char *raw,
	    struct wtime *out, struct api_error *);

/* -1, 0, 1 as a is before, equal to, after b. */
int	 cf_cmp(const struct wtime *a, const struct wtime *b);

/*
 * The original's four impossibility checks, in its order, among the
 * bounds that are set.  Returns 0, or -1 with a 400
 * "impossible filter for keys/times (...): <reason>".
 */
int	 cf_age_check(const struct age_filter *, struct api_error *);
/* created_after must be before created_before (checkins).  0 or -1/400. */
int	 cf_checkins_check(const struct wtime *after,
	    const struct wtime *before, struct api_error *);
/* epoch must be before timestamp (persistent).  0 or -1/400. */
int	 cf_persistent_check(const struct wtime *epoch,
	    const struct wtime *timestamp, struct api_error *);

/* Microseconds since the epoch (UTC) of an instant, fraction truncated. */
int64_t	 cf_us(const struct wtime *);
/*
 * An instant as a PostgreSQL timestamp literal in UTC,
 * "YYYY-MM-DD HH:MM:SS.ffffff"; "-infinity" before year 1 (no stored
 * time is that early).  `buf' holds CF_SQLTIME_LEN.
 */
#define CF_SQLTIME_LEN	32
void	 cf_sql_time(int64_t us, char buf[CF_SQLTIME_LEN]);
/* "YYYY-MM-DDTHH:MM:SS.mmmZ" of microseconds (cluster firstSeen). */
size_t	 cf_format_ms(int64_t us, char *buf, size_t size);
/*
 * Go's RFC 3339 with nanoseconds: "YYYY-MM-DDTHH:MM:SS[.f]Z", the
 * fraction only when non-zero, trailing zeros dropped (check-in stats).
 */
size_t	 cf_format_nano(int64_t us, char *buf, size_t size);

/*
 * Paging cursor of the age query: where the previous page ended (its last
 * row's first check-in and id) and the instants the first page resolved
 * its bounds to (so that "7d" means the same instant on every page),
 * bound to the raw filter parameters by a hash.
 */
struct age_cursor {
	int64_t		 first_us;
	char		 id[UUID_STR_LEN + 1];
	bool		 set[CF__MAX];
	int64_t		 bound_us[CF__MAX];
};

#define CF_FHASH_LEN	8
#define CF_CURSOR_LEN	88	/* base64url characters, no padding */

/* Hash of the raw bound parameters (NULL = absent), in cf_names order. */
void	 cf_filter_hash(const char *const raw[CF__MAX],
	    uint8_t out[CF_FHASH_LEN]);
/* Writes the opaque cursor text (CF_CURSOR_LEN + 1 bytes with the NUL). */
void	 cf_cursor_encode(const struct age_cursor *,
	    const uint8_t fhash[CF_FHASH_LEN], char out[CF_CURSOR_LEN + 1]);
/*
 * Reads a cursor.  Returns 0, or -1 with a 400 "cursor is not valid"
 * when it is malformed, or "cursor is not valid for these filters" when
 * it was made for other filter parameters than `fhash'.
 */
int	 cf_cursor_decode(const char *, const uint8_t fhash[CF_FHASH_LEN],
	    struct age_cursor *, struct api_error *);

#endif
