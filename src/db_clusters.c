/* db_clusters.c: check-ins and the cluster queries. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_clusters.h"

/*
 * Times are timestamp without time zone holding UTC.  They leave the
 * database as whole microseconds since the epoch (extract reads the
 * column as UTC), whatever the session's DateStyle.
 */
#define US(x) "(extract(epoch FROM " x ") * 1000000)::bigint"

/*
 * cluster_stats (migration 0003) summarises clusters_checkins per
 * cluster: first_seen = min(created_at), last_seen = max(created_at),
 * checkins = count(*).  Every query below reads it instead of grouping
 * the check-in history.
 */
enum clusters_stmt {
	CSTMT_CHECKIN = 0,
	CSTMT_GET,
	CSTMT_COUNT,
	CSTMT_AGE_PROBE,
	CSTMT_AGE_BY_FIRST,
	CSTMT_AGE_BY_LAST,
	CSTMT_SNAPSHOT,
	CSTMT_SNAPSHOT_END,
	CSTMT_CHECKINS_COUNT,
	CSTMT_CHECKINS_PAGE,
	CSTMT_PERSISTENT_COUNT,
	CSTMT_PERSISTENT_PAGE,
	CSTMT__MAX
};

/*
 * Pages.  Every page query walks cluster_stats in (first_seen,
 * cluster_id) order from an exclusive key ($1, $2), which also carries
 * the lower first_seen bound, so that the generic plan PostgreSQL caches
 * for a prepared statement keeps to that index whatever the bounds are
 * (-infinity/infinity for "none").  A filter that must not steer the
 * plan is written "(...) IS TRUE", which no index matches.  The cluster
 * rows are joined after the LIMIT, one index lookup each.  ORDER BY names
 * columns with their table ("s.cluster_id"): a bare "cluster_id" would
 * mean the uuid::text output column.
 */
#define AGE_COLS(t) \
	"SELECT " t ".cluster_id::text, (c.data -> 'components')::text, " \
	US(t ".first_seen") ", " US(t ".last_seen") " "
#define AGE_JOIN(t) \
	"JOIN clusters c ON c.cluster_id = " t ".cluster_id " \
	"ORDER BY " t ".first_seen, " t ".cluster_id"

static const struct db_stmt stmts[CSTMT__MAX] = {
	/*
	 * One statement, one transaction: the summary row is upserted
	 * first (so concurrent check-ins of one cluster lock rows in the
	 * same order), then the check-in row and the cluster row.  ON
	 * CONFLICT lets concurrent first check-ins of a new cluster all
	 * succeed.  $1 id, $2 the cluster's JSON.
	 */
	[CSTMT_CHECKIN] = { "clusters_checkin",
	    "WITH t AS (SELECT statement_timestamp() AT TIME ZONE 'UTC' "
	    "AS now), "
	    "st AS (INSERT INTO cluster_stats AS s "
	    "(cluster_id, first_seen, last_seen, checkins) "
	    "SELECT $1::uuid, t.now, t.now, 1 FROM t "
	    "ON CONFLICT (cluster_id) DO UPDATE SET "
	    "first_seen = least(s.first_seen, EXCLUDED.first_seen), "
	    "last_seen = greatest(s.last_seen, EXCLUDED.last_seen), "
	    "checkins = s.checkins + 1 "
	    "RETURNING s.first_seen), "
	    "ci AS (INSERT INTO clusters_checkins (cluster_id, created_at, "
	    "data) SELECT $1::uuid, t.now, $2::json FROM t), "
	    "cl AS (INSERT INTO clusters (cluster_id, data) "
	    "VALUES ($1::uuid, $2::json) "
	    "ON CONFLICT (cluster_id) DO UPDATE SET data = EXCLUDED.data) "
	    "SELECT " US("st.first_seen") ", " US("t.now") " FROM st, t", 2 },
	/* $1 id.  A cluster row without any check-in has no times. */
	[CSTMT_GET] = { "clusters_get",
	    "SELECT (c.data -> 'components')::text, s.cluster_id IS NOT NULL, "
	    US("s.first_seen") ", " US("s.last_seen") " "
	    "FROM clusters c LEFT JOIN cluster_stats s "
	    "ON s.cluster_id = c.cluster_id WHERE c.cluster_id = $1::uuid",
	    1 },
	[CSTMT_COUNT] = { "clusters_count",
	    "SELECT count(*) FROM cluster_stats", 0 },
	/*
	 * Age pages: ($1, $2) the key after which the page starts, $3 the
	 * upper first_seen bound, ($4, $5) the last_seen bounds, $6 the
	 * page size.  The probe counts, up to $6, the clusters in the
	 * last_seen range and those left in the first_seen range: which
	 * of the two walks is cheaper.
	 */
	[CSTMT_AGE_PROBE] = { "clusters_age_probe",
	    "SELECT (SELECT count(*) FROM (SELECT 1 FROM cluster_stats "
	    "WHERE last_seen > $4::timestamp AND last_seen < $5::timestamp "
	    "ORDER BY last_seen LIMIT $6::bigint) a), "
	    "(SELECT count(*) FROM (SELECT 1 FROM cluster_stats "
	    "WHERE (first_seen, cluster_id) > ($1::timestamp, $2::uuid) "
	    "AND first_seen < $3::timestamp "
	    "ORDER BY first_seen, cluster_id LIMIT $6::bigint) f)", 6 },
	/* Walks first_seen order, filtering on last_seen. */
	[CSTMT_AGE_BY_FIRST] = { "clusters_age_by_first",
	    AGE_COLS("s")
	    "FROM (SELECT cluster_id, first_seen, last_seen FROM cluster_stats "
	    "WHERE (first_seen, cluster_id) > ($1::timestamp, $2::uuid) "
	    "AND first_seen < $3::timestamp "
	    "AND (last_seen > $4::timestamp) IS TRUE "
	    "AND (last_seen < $5::timestamp) IS TRUE "
	    "ORDER BY first_seen, cluster_id LIMIT $6::bigint) s "
	    AGE_JOIN("s"), 6 },
	/*
	 * Few clusters in the last_seen range (those that checked in
	 * lately): read them by last_seen, then sort.
	 */
	[CSTMT_AGE_BY_LAST] = { "clusters_age_by_last",
	    "WITH m AS MATERIALIZED (SELECT cluster_id, first_seen, last_seen "
	    "FROM cluster_stats WHERE last_seen > $4::timestamp "
	    "AND last_seen < $5::timestamp), "
	    "p AS (SELECT * FROM m "
	    "WHERE (first_seen, cluster_id) > ($1::timestamp, $2::uuid) "
	    "AND first_seen < $3::timestamp "
	    "ORDER BY first_seen, cluster_id LIMIT $6::bigint) "
	    AGE_COLS("p") "FROM p " AGE_JOIN("p"), 6 },
	[CSTMT_SNAPSHOT] = { "clusters_snapshot",
	    "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0 },
	[CSTMT_SNAPSHOT_END] = { "clusters_snapshot_end", "ROLLBACK", 0 },
	/* $1 created_after, $2 created_before. */
	[CSTMT_CHECKINS_COUNT] = { "clusters_checkins_count",
	    "SELECT count(*) FROM cluster_stats "
	    "WHERE first_seen > $1::timestamp AND first_seen < $2::timestamp",
	    2 },
	/*
	 * Newest first: ($1, $2) the key before which the page starts
	 * (created_before and the nil UUID on the first page), $3
	 * created_after, $4 the page size.
	 */
	[CSTMT_CHECKINS_PAGE] = { "clusters_checkins_page",
	    "SELECT s.cluster_id::text, " US("s.first_seen") ", "
	    US("s.last_seen") ", s.checkins, "
	    "age(s.last_seen, s.first_seen)::text, "
	    "age(s.last_seen, now() AT TIME ZONE 'UTC')::text "
	    "FROM cluster_stats s "
	    "WHERE (s.first_seen, s.cluster_id) < ($1::timestamp, $2::uuid) "
	    "AND s.first_seen > $3::timestamp "
	    "ORDER BY s.first_seen DESC, s.cluster_id DESC LIMIT $4::bigint",
	    4 },
	/* $1 epoch, $2 timestamp, $3 timestamp minus one day. */
	[CSTMT_PERSISTENT_COUNT] = { "clusters_persistent_count",
	    "SELECT count(*) FROM cluster_stats "
	    "WHERE first_seen > $1::timestamp AND first_seen < $2::timestamp "
	    "AND checkins > 1 AND last_seen > $3::timestamp", 3 },
	/*
	 * Oldest first: ($1, $2) the key after which the page starts (epoch
	 * and the greatest UUID on the first page), $3 timestamp, $4
	 * timestamp minus one day, $5 the page size.
	 */
	[CSTMT_PERSISTENT_PAGE] = { "clusters_persistent_page",
	    "SELECT s.cluster_id::text, " US("s.first_seen") ", "
	    US("s.last_seen") ", s.checkins, "
	    "age(s.last_seen, s.first_seen)::text "
	    "FROM cluster_stats s "
	    "WHERE (s.first_seen, s.cluster_id) > ($1::timestamp, $2::uuid) "
	    "AND s.first_seen < $3::timestamp AND s.checkins > 1 "
	    "AND (s.last_seen > $4::timestamp) IS TRUE "
	    "ORDER BY s.first_seen, s.cluster_id LIMIT $5::bigint", 5 },
};

const struct db_stmt_set db_clusters_set = { stmts, CSTMT__MAX };

/* Keyset starts: before every row, after every row. */
#define KEY_LOW_ID	"00000000-0000-0000-0000-000000000000"
#define KEY_HIGH_ID	"ffffffff-ffff-ffff-ffff-ffffffffffff"

static int64_t
col_i64(const PGresult *res, int row, int col)
{
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

int
db_cluster_checkin(struct db *db, const char *id, const char *data,
    int64_t *first_us, int64_t *last_us, struct api_error *err)
{
	const char	*values[2] = { id, data };
	PGresult	*res;

	if (db_exec(db, &stmts[CSTMT_CHECKIN], values, &res, err) == -1)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		apierr_log(err, "clusters_checkin returned no row");
		return apierr_code(err, APIERR_INTERNAL);
	}
	*first_us = col_i64(res, 0, 0);
	*last_us = col_i64(res, 0, 1);
	PQclear(res);
	return 0;
}

int
db_cluster_get(struct db *db, struct arena *a, const char *id,
    struct cluster_row *row, struct api_error *err)
{
	const char	*values[1] = { id };
	PGresult	*res;

	memset(row, 0, sizeof(*row));
	if (db_exec(db, &stmts[CSTMT_GET], values, &res, err) == -1)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	row->id = arena_strdup(a, id);
	if (!PQgetisnull(res, 0, 0)) {
		row->components_len = (size_t)PQgetlength(res, 0, 0);
		row->components = arena_strndup(a, PQgetvalue(res, 0, 0),
		    row->components_len);
	}
	row->has_times = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	if (row->has_times) {
		row->first_us = col_i64(res, 0, 2);
		row->last_us = col_i64(res, 0, 3);
	}
	PQclear(res);
	return 1;
}

int
db_clusters_count(struct db *db, long long *n, struct api_error *err)
{
	PGresult	*res;

	if (db_exec(db, &stmts[CSTMT_COUNT], NULL, &res, err) == -1)
		return -1;
	*n = col_i64(res, 0, 0);
	PQclear(res);
	return 0;
}

/* The start key of a page as statement parameters. */
static void
page_key(bool has_key, int64_t us, const char *id, const char *none_ts,
    const char *none_id, char ts[CF_SQLTIME_LEN], const char **values)
{
	if (has_key) {
		cf_sql_time(us, ts);
		values[0] = ts;
		values[1] = id;
	} else {
		values[0] = none_ts;
		values[1] = none_id;
	}
}

int
db_clusters_age_probe(struct db *db, const struct age_page *pg, long cap,
    long long *by_last, long long *by_first, struct api_error *err)
{
	char		 key[CF_SQLTIME_LEN], lim[32];
	const char	*values[6];
	PGresult	*res;

	page_key(pg->has_key, pg->key_us, pg->key_id, "-infinity",
	    KEY_LOW_ID, key, values);
	values[2] = pg->hi;
	values[3] = pg->ls_lo;
	values[4] = pg->ls_hi;
	snprintf(lim, sizeof(lim), "%ld", cap);
	values[5] = lim;
	if (db_exec(db, &stmts[CSTMT_AGE_PROBE], values, &res, err) == -1)
		return -1;
	*by_last = col_i64(res, 0, 0);
	*by_first = col_i64(res, 0, 1);
	PQclear(res);
	return 0;
}

int
db_clusters_age(struct db *db, const struct age_page *pg, cluster_row_fn fn,
    void *ctx, size_t *n, struct api_error *err)
{
	char		 key[CF_SQLTIME_LEN], lim[32];
	const char	*values[6];
	PGresult	*res;
	struct cluster_row row;
	int		 rows;

	*n = 0;
	page_key(pg->has_key, pg->key_us, pg->key_id, "-infinity",
	    KEY_LOW_ID, key, values);
	values[2] = pg->hi;
	values[3] = pg->ls_lo;
	values[4] = pg->ls_hi;
	snprintf(lim, sizeof(lim), "%ld", pg->limit);
	values[5] = lim;
	if (db_exec(db, &stmts[pg->by_last ? CSTMT_AGE_BY_LAST :
	    CSTMT_AGE_BY_FIRST], values, &res, err) == -1)
		return -1;
	rows = PQntuples(res);
	for (int r = 0; r < rows; r++) {
		memset(&row, 0, sizeof(row));
		row.id = PQgetvalue(res, r, 0);
		if (!PQgetisnull(res, r, 1)) {
			row.components = PQgetvalue(res, r, 1);
			row.components_len = (size_t)PQgetlength(res, r, 1);
		}
		row.has_times = true;
		row.first_us = col_i64(res, r, 2);
		row.last_us = col_i64(res, r, 3);
		(*n)++;
		if (fn(ctx, &row) == -1)
			break;
	}
	PQclear(res);
	return 0;
}

int
db_clusters_snapshot(struct db *db, struct api_error *err)
{
	PGresult	*res;

	if (db_exec(db, &stmts[CSTMT_SNAPSHOT], NULL, &res, err) == -1)
		return -1;
	PQclear(res);
	return 0;
}

void
db_clusters_snapshot_end(struct db *db)
{
	struct api_error err;
	PGresult	*res;

	/*
	 * A read-only transaction: ROLLBACK ends it in any state.  If it
	 * fails the connection is broken, and db_exec has dropped it.
	 */
	apierr_clear(&err);
	if (db_exec(db, &stmts[CSTMT_SNAPSHOT_END], NULL, &res, &err) == 0)
		PQclear(res);
}

static int
count_stmt(struct db *db, const struct db_stmt *st, const char *const *v,
    long long *n, struct api_error *err)
{
	PGresult	*res;

	if (db_exec(db, st, v, &res, err) == -1)
		return -1;
	*n = col_i64(res, 0, 0);
	PQclear(res);
	return 0;
}

static int
checkin_rows(struct db *db, const struct db_stmt *st, const char *const *v,
    bool last_checkin, checkin_row_fn fn, void *ctx, size_t *n,
    struct api_error *err)
{
	PGresult	*res;
	struct checkin_row row;
	int		 rows;

	*n = 0;
	if (db_exec(db, st, v, &res, err) == -1)
		return -1;
	rows = PQntuples(res);
	for (int r = 0; r < rows; r++) {
		row.id = PQgetvalue(res, r, 0);
		row.first_us = col_i64(res, r, 1);
		row.last_us = col_i64(res, r, 2);
		row.checkins = col_i64(res, r, 3);
		row.cluster_age = PQgetvalue(res, r, 4);
		row.last_checkin = last_checkin ? PQgetvalue(res, r, 5) : NULL;
		(*n)++;
		if (fn(ctx, &row) == -1)
			break;
	}
	PQclear(res);
	return 0;
}

int
db_checkins_count(struct db *db, const char *after, const char *before,
    long long *n, struct api_error *err)
{
	const char	*values[2] = { after, before };

	return count_stmt(db, &stmts[CSTMT_CHECKINS_COUNT], values, n, err);
}

int
db_checkins_page(struct db *db, const char *after, const char *before,
    int64_t before_us, const char *before_id, long limit, checkin_row_fn fn,
    void *ctx, size_t *n, struct api_error *err)
{
	char		 key[CF_SQLTIME_LEN], lim[32];
	const char	*values[4];

	/* (created_before, nil UUID): every row before created_before. */
	page_key(before_id != NULL, before_us, before_id, before, KEY_LOW_ID,
	    key, values);
	values[2] = after;
	snprintf(lim, sizeof(lim), "%ld", limit);
	values[3] = lim;
	return checkin_rows(db, &stmts[CSTMT_CHECKINS_PAGE], values, true, fn,
	    ctx, n, err);
}

int
db_persistent_count(struct db *db, const char *epoch, const char *timestamp,
    const char *alive, long long *n, struct api_error *err)
{
	const char	*values[3] = { epoch, timestamp, alive };

	return count_stmt(db, &stmts[CSTMT_PERSISTENT_COUNT], values, n, err);
}

int
db_persistent_page(struct db *db, const char *epoch, const char *timestamp,
    const char *alive, int64_t after_us, const char *after_id, long limit,
    checkin_row_fn fn, void *ctx, size_t *n, struct api_error *err)
{
	char		 key[CF_SQLTIME_LEN], lim[32];
	const char	*values[5];

	/* (epoch, greatest UUID): every row after epoch. */
	page_key(after_id != NULL, after_us, after_id, epoch, KEY_HIGH_ID,
	    key, values);
	values[2] = timestamp;
	values[3] = alive;
	snprintf(lim, sizeof(lim), "%ld", limit);
	values[4] = lim;
	return checkin_rows(db, &stmts[CSTMT_PERSISTENT_PAGE], values, false,
	    fn, ctx, n, err);
}
