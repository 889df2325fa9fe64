/* db.h: one PostgreSQL connection per worker, prepared statements, SQLSTATE mapping. */
#ifndef WFM_DB_H
#define WFM_DB_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "apierr.h"

struct config;
struct metrics;

/*
 * A statement is prepared once per connection under `name'.  Each domain
 * module (db_versions.c, db_clusters.c, ...) owns a set; db.c prepares
 * every set after each (re)connect.
 */
struct db_stmt {
	const char	*name;
	const char	*sql;
	int		 nparams;
};

struct db_stmt_set {
	const struct db_stmt	*stmts;
	size_t			 n;
};

extern const struct db_stmt_set db_health_set;
extern const struct db_stmt_set db_versions_set;
extern const struct db_stmt_set db_clusters_set;
extern const struct db_stmt_set db_doctor_set;

struct db;

/* Caller owns; no connection is made until db_ensure().  Never NULL. */
struct db	*db_new(const struct config *, struct metrics *);
void		 db_free(struct db *);

/*
 * Makes sure the connection is up and every statement prepared, trying
 * to (re)connect when it is down and the backoff allows.  Returns 0, or
 * -1 with a 503 in `err' (and its Retry-After header).
 */
int		 db_ensure(struct db *, struct api_error *);

/*
 * Runs a prepared statement with text parameters (NULL = SQL NULL).  On
 * success returns 0 and `*res' (caller clears it with PQclear() in the
 * same function: a PGresult never leaves a db_*.c file).  On failure
 * returns -1, sets *res = NULL and maps the SQLSTATE into `err' (503 for
 * connection loss, timeouts and resource errors, 500 otherwise; the libpq
 * text only goes to err->log).
 */
int		 db_exec(struct db *, const struct db_stmt *,
		    const char *const *values, PGresult **res,
		    struct api_error *)
		    __attribute__((warn_unused_result));

/* SQLSTATE of a failed result to an API error; exposed for tests. */
enum apierr	 db_map_sqlstate(const char *sqlstate);

/*
 * Readiness facts for /healthz: database round trip in milliseconds,
 * server version ("15.4"), schema version (last migration applied).
 */
int		 db_health(struct db *, double *rtt_ms, char *server_version,
		    size_t svsz, long long *schema_version,
		    struct api_error *);

/* Current time of the database server as a string ("now()"), for tests. */

#endif
