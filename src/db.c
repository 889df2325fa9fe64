/* db.c: one PostgreSQL connection per worker, prepared statements, SQLSTATE mapping. */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "db.h"
#include "log.h"
#include "metrics.h"
#include "migrate.h"
#include "timefmt.h"
#include "xalloc.h"

enum health_stmt {
	HSTMT_SCHEMA = 0,
	HSTMT__MAX
};

static const struct db_stmt health_stmts[HSTMT__MAX] = {
	[HSTMT_SCHEMA] = { "health_schema",
	    "SELECT coalesce(max(version), 0) FROM schema_migrations", 0 },
};

const struct db_stmt_set db_health_set = { health_stmts, HSTMT__MAX };

static const struct db_stmt_set *const sets[] = {
	&db_health_set,
	&db_versions_set,
	&db_clusters_set,
	&db_doctor_set,
};

#define BACKOFF_MIN	0.25
#define BACKOFF_MAX	5.0

struct db {
	const struct config	*cfg;
	struct metrics		*metrics;
	PGconn			*conn;
	bool			 up;
	bool			 ever_up;
	bool			 migrated;	/* migrations checked once */
	double			 next_try;	/* monotonic */
	double			 backoff;
};

struct db *
db_new(const struct config *cfg, struct metrics *m)
{
	struct db	*db;

	db = xcalloc(1, sizeof(*db));
	db->cfg = cfg;
	db->metrics = m;
	db->backoff = BACKOFF_MIN;
	return db;
}

static void
disconnect(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
	db->up = false;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	disconnect(db);
	free(db);
}

/* First line of a libpq message, for the log. */
static void
oneline(char *dst, size_t size, const char *msg)
{
	size_t	 n = strcspn(msg, "\n");

	if (n >= size)
		n = size - 1;
	memcpy(dst, msg, n);
	dst[n] = '\0';
}

static int
session_set(struct db *db, const char *sql, int n, const char *const *values)
{
	PGresult	*res;
	char		 line[256];

	res = PQexecParams(db->conn, sql, n, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		oneline(line, sizeof(line), PQresultErrorMessage(res));
		log_err("database session setup failed: %s", line);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

static int
setup_session(struct db *db)
{
	char		 timeout[32];
	const char	*values[1] = { timeout };
	PGresult	*res;
	char		 line[256];
	long long	 v;

	if (session_set(db, "SELECT set_config('TimeZone', 'UTC', false), "
	    "set_config('search_path', 'public', false), "
	    "set_config('DateStyle', 'ISO, MDY', false), "
	    "set_config('IntervalStyle', 'postgres', false)", 0, NULL) == -1)
		return -1;
	if (db->cfg->migrate_on_start && !db->migrated) {
		/*
		 * Before statement_timeout is set: a migration may take long
		 * (backfills), and so may waiting for another process's lock.
		 * Every worker may try; the advisory lock lets one apply.
		 */
		if (migrate_run(db->conn, db->cfg->migrations_dir) < 0)
			return -1;
		db->migrated = true;
	}
	if (db->metrics != NULL && (v = migrate_current(db->conn)) >= 0)
		metrics_set_schema_version(db->metrics, v);
	snprintf(timeout, sizeof(timeout), "%u", db->cfg->statement_timeout);
	if (session_set(db, "SELECT set_config('statement_timeout', $1, "
	    "false)", 1, values) == -1)
		return -1;
	for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++)
		for (size_t i = 0; i < sets[s]->n; i++) {
			const struct db_stmt *st = &sets[s]->stmts[i];

			res = PQprepare(db->conn, st->name, st->sql,
			    st->nparams, NULL);
			if (PQresultStatus(res) != PGRES_COMMAND_OK) {
				oneline(line, sizeof(line),
				    PQresultErrorMessage(res));
				log_err("preparing statement %s failed: %s "
				    "(is the schema migrated?)", st->name,
				    line);
				PQclear(res);
				return -1;
			}
			PQclear(res);
		}
	return 0;
}

static int
connect_db(struct db *db)
{
	char		 ct[16], tcp_timeout[32];
	char		 line[256];
	const char	*kw[] = { "dbname", "connect_timeout",
	    "application_name", "keepalives", "keepalives_idle",
	    "keepalives_interval", "keepalives_count", "tcp_user_timeout",
	    NULL };
	const char	*val[9];

	snprintf(ct, sizeof(ct), "%u", db->cfg->connect_timeout);
	snprintf(tcp_timeout, sizeof(tcp_timeout), "%u",
	    db->cfg->statement_timeout + 5000);
	val[0] = db->cfg->database;
	val[1] = ct;
	val[2] = "workflow-manager-api";
	val[3] = "1";
	val[4] = "10";
	val[5] = "3";
	val[6] = "3";
	val[7] = tcp_timeout;
	val[8] = NULL;
	disconnect(db);
	db->conn = PQconnectdbParams(kw, val, 1);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		oneline(line, sizeof(line), db->conn == NULL ?
		    "out of memory" : PQerrorMessage(db->conn));
		log_err("cannot connect to the database: %s", line);
		disconnect(db);
		return -1;
	}
	if (setup_session(db) == -1) {
		disconnect(db);
		return -1;
	}
	return 0;
}

/*
 * An idle connection has nothing to read; if the socket is readable the
 * server has closed it (restart, admin shutdown).  Find out before a
 * request is spent on it.
 */
static bool
idle_conn_alive(struct db *db)
{
	struct pollfd	 pfd;

	if (PQstatus(db->conn) != CONNECTION_OK)
		return false;
	pfd.fd = PQsocket(db->conn);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (pfd.fd < 0)
		return false;
	if (poll(&pfd, 1, 0) <= 0)
		return true;
	/*
	 * Nothing is expected on an idle session (no LISTEN, no async
	 * notices): whatever arrived is the server's goodbye (57P01 and the
	 * like) or the end of the stream.
	 */
	return false;
}

static int
unavailable(struct db *db, struct api_error *err)
{
	char	 ra[16];

	snprintf(ra, sizeof(ra), "%u", db->cfg->retry_after);
	apierr_header(err, "Retry-After", ra);
	return apierr_code(err, APIERR_UNAVAILABLE);
}

int
db_ensure(struct db *db, struct api_error *err)
{
	double	 now;

	if (db->up && idle_conn_alive(db))
		return 0;
	if (db->up) {
		log_warn("database connection lost, reconnecting");
		disconnect(db);
		db->next_try = 0;
	}
	now = time_mono();
	if (now < db->next_try)
		return unavailable(db, err);
	if (connect_db(db) == -1) {
		db->next_try = now + db->backoff;
		db->backoff *= 2;
		if (db->backoff > BACKOFF_MAX)
			db->backoff = BACKOFF_MAX;
		if (db->metrics != NULL)
			metrics_db_error(db->metrics);
		return unavailable(db, err);
	}
	if (db->ever_up && db->metrics != NULL)
		metrics_db_reconnect(db->metrics);
	db->up = db->ever_up = true;
	db->backoff = BACKOFF_MIN;
	db->next_try = 0;
	return 0;
}

enum apierr
db_map_sqlstate(const char *s)
{
	if (s == NULL || strlen(s) != 5)
		return APIERR_UNAVAILABLE;	/* no server answer at all */
	if (strncmp(s, "08", 2) == 0 || strncmp(s, "53", 2) == 0 ||
	    strncmp(s, "57", 2) == 0 || strcmp(s, "40001") == 0 ||
	    strcmp(s, "40P01") == 0 || strcmp(s, "55P03") == 0 ||
	    strcmp(s, "26000") == 0)
		return APIERR_UNAVAILABLE;
	if (strncmp(s, "22", 2) == 0 || strcmp(s, "23502") == 0 ||
	    strcmp(s, "23514") == 0)
		return APIERR_VALIDATION;
	return APIERR_INTERNAL;
}

int
db_exec(struct db *db, const struct db_stmt *st, const char *const *values,
    PGresult **out, struct api_error *err)
{
	PGresult	*res;
	ExecStatusType	 status;
	const char	*f;
	char		 sqlstate[8] = "", line[256];
	enum apierr	 code;

	*out = NULL;
	if (!db->up || db->conn == NULL)
		return unavailable(db, err);
	res = PQexecPrepared(db->conn, st->name, st->nparams, values, NULL,
	    NULL, 0);
	status = PQresultStatus(res);
	if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
		*out = res;
		return 0;
	}
	/* Copy what is needed: the result is cleared right below. */
	if (res != NULL && (f = PQresultErrorField(res, PG_DIAG_SQLSTATE)) !=
	    NULL)
		snprintf(sqlstate, sizeof(sqlstate), "%s", f);
	oneline(line, sizeof(line), res != NULL ? PQresultErrorMessage(res) :
	    PQerrorMessage(db->conn));
	PQclear(res);
	apierr_log(err, "statement %s: %s%s%s", st->name, sqlstate,
	    sqlstate[0] != '\0' ? " " : "", line);
	code = db_map_sqlstate(sqlstate[0] != '\0' ? sqlstate : NULL);
	if (db->metrics != NULL)
		metrics_db_error(db->metrics);
	if (PQstatus(db->conn) != CONNECTION_OK ||
	    strncmp(sqlstate, "08", 2) == 0 || strcmp(sqlstate, "57P01") == 0 ||
	    strcmp(sqlstate, "26000") == 0) {
		/* Reconnect (and re-prepare) on the next request. */
		disconnect(db);
		db->next_try = 0;
	}
	if (code == APIERR_UNAVAILABLE)
		return unavailable(db, err);
	return apierr_code(err, code);
}

int
db_health(struct db *db, double *rtt_ms, char *server_version, size_t svsz,
    long long *schema_version, struct api_error *err)
{
	PGresult	*res;
	double		 t0;
	int		 v;

	t0 = time_mono();
	if (db_exec(db, &health_stmts[HSTMT_SCHEMA], NULL, &res, err) == -1)
		return -1;
	*rtt_ms = (time_mono() - t0) * 1000.0;
	*schema_version = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	v = PQserverVersion(db->conn);
	if (v >= 100000)
		snprintf(server_version, svsz, "%d.%d", v / 10000, v % 10000);
	else
		snprintf(server_version, svsz, "%d.%d.%d", v / 10000,
		    (v / 100) % 100, v % 100);
	return 0;
}
