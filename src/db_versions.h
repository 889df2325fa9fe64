/* db_versions.h: the release catalogue (the original's versions table). */
#ifndef WFM_DB_VERSIONS_H
#define WFM_DB_VERSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apierr.h"
#include "arena.h"
#include "buf.h"
#include "model.h"

struct db;

/* Column sizes of the original schema: varchar(n), n in characters. */
#define VERSIONS_COMPONENT_MAX	32
#define VERSIONS_TRAIN_MAX	24
#define VERSIONS_VERSION_MAX	32

/*
 * One row of the versions table.  Strings are arena copies; a column
 * that is SQL NULL is NULL here.
 */
struct db_version {
	long long	 id;		/* version_id: publication order */
	const char	*component;
	const char	*train;
	const char	*version;
	bool		 has_released;	/* release time not NULL */
	int64_t		 released;	/* seconds since the epoch */
	struct version_data data;	/* the kept fields; NULL = absent */
};

/* One (component, train) pair asked for in a multi-get. */
struct db_version_pair {
	const char	*component;
	const char	*train;
};

/*
 * Characters (UTF-8 code points) in `s', as varchar(n) counts them, or
 * SIZE_MAX when `s' is not valid UTF-8.
 */
size_t	 db_versions_chars(const char *s);

/*
 * Can `s' be stored as a component name, train or version: 1 to
 * `maxchars' characters of valid UTF-8, no control character (C0, DEL,
 * C1) and no '/'?
 */
bool	 db_versions_name_ok(const char *s, size_t maxchars);

/*
 * Publishes a release: inserts it, or replaces release time and data of
 * the existing (component, train, version), in one statement, so that
 * concurrent publishes of the same release all succeed.  `data' NULL
 * stores JSON null.  The names must pass db_versions_name_ok().  Fills
 * `out' with the stored row (arena strings).  Returns 0, or -1 with err
 * set (503 when the database is unavailable, 500 otherwise).
 */
int	 db_versions_publish(struct db *, struct arena *,
	    const char *component, const char *train, const char *version,
	    int64_t released, const struct version_data *data,
	    struct db_version *out, struct api_error *)
	    __attribute__((warn_unused_result));

/*
 * One release by name.  Returns 0 with *found telling whether it exists
 * (then `out' is filled, arena strings), or -1 with err set.
 */
int	 db_versions_get(struct db *, struct arena *, const char *component,
	    const char *train, const char *version, struct db_version *out,
	    bool *found, struct api_error *)
	    __attribute__((warn_unused_result));

/*
 * The latest release of a component on a train (db_versions_pick among
 * the releases with the newest release time).  Returns 0 with *found,
 * or -1 with err set.
 */
int	 db_versions_latest(struct db *, struct arena *,
	    const char *component, const char *train, struct db_version *out,
	    bool *found, struct api_error *)
	    __attribute__((warn_unused_result));

/*
 * Every release of a component on a train, oldest release time first
 * (rows without one first), then in publication order.  *rows is an
 * arena array of *n rows (NULL when none).  Returns 0, or -1 with err
 * set.
 */
int	 db_versions_list(struct db *, struct arena *, const char *component,
	    const char *train, struct db_version **rows, size_t *n,
	    struct api_error *)
	    __attribute__((warn_unused_result));

/*
 * The latest release of each of `n' distinct pairs, in one statement.
 * (*best)[i] is the answer for pairs[i], NULL when the pair has no
 * release; the array and rows are arena memory.  Any strings are fine
 * (they are passed as JSON text).  Returns 0, or -1 with err set.
 */
int	 db_versions_latest_many(struct db *, struct arena *,
	    const struct db_version_pair *pairs, size_t n,
	    const struct db_version ***best, struct api_error *)
	    __attribute__((warn_unused_result));

/*
 * Among releases tied on their release time, the latest: the highest
 * semantic version (semver_cmp), then the lowest id.  NULL when n is 0.
 */
const struct db_version *db_versions_pick(const struct db_version *,
	    size_t n);
/* Is `a' a better "latest" than `b' (the order of db_versions_pick)? */
bool	 db_versions_better(const struct db_version *a,
	    const struct db_version *b);

/*
 * The JSON stored in the data column for `d': the versionData object with
 * the model's omissions, or null when `d' is NULL.  Appended to `b'.
 */
void	 db_versions_data_json(struct buf *b, const struct version_data *d);
/*
 * Reads a stored data column (JSON text, as the original or this service
 * wrote it) the way the original did: keys matched case-insensitively,
 * the last one wins, other keys and non-string values ignored, anything
 * that is not an object gives no fields.  Strings are arena copies.
 */
void	 db_versions_data_parse(struct arena *, const char *text,
	    size_t len, struct version_data *);

/*
 * The componentVersion of a row, as the original returned it: component
 * name, version data ({} when absent), released as YYYY-MM-DDTHH:MM:SSZ
 * (written into `released', at least 32 bytes), train and version.
 * The strings of `cv' borrow from `row' and `released'.
 */
void	 db_versions_cv(const struct db_version *row, char *released,
	    struct component_version *cv);

#endif
