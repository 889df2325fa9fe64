/* clusters.c: cluster check-ins and the cluster queries. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../clusters_filter.h"
#include "../clusters_model.h"
#include "../conf.h"
#include "../db_clusters.h"
#include "../jw.h"
#include "../uuidfmt.h"
#include "handlers.h"

#define US_PER_DAY	((int64_t)86400 * 1000000)
/* At most this much of a bad value is quoted back in a message. */
#define RAW_MAX		128

static int
checkin(struct request *req, struct response *res, const char *path_id,
    struct api_error *err)
{
	struct json_limits	 lim;
	struct cluster_in	 in;
	struct jw		 w;
	int64_t			 first_us, last_us;

	lim.max_depth = req->cfg->json_max_depth;
	lim.max_elements = req->cfg->json_max_elements;
	if (cluster_decode(req->arena, req->body, req->body_len, &lim,
	    path_id, &in, err) == -1)
		return -1;
	if (db_cluster_checkin(req->db, in.id, in.data, &first_us, &last_us,
	    err) == -1)
		return -1;
	response_json(res, 200);
	jw_init(&w, &res->body);
	cluster_render(&w, in.components, in.components_len, in.id, true,
	    first_us, last_us);
	buf_putc(&res->body, '\n');
	return 0;
}

/*
 * POST /v3/clusters: a cluster check-in.
 * Raises HTTP 200 with the stored cluster (server firstSeen/lastSeen),
 * 400 malformed body, 413, 415, 422 missing or non-UUID id, 503.
 */
int
handle_clusters_checkin(struct request *req, struct response *res,
    struct api_error *err)
{
	return checkin(req, res, NULL, err);
}

/*
 * POST /v2/clusters/{id}: the same; the body's id wins, {id} is used when
 * the body has none.
 * Raises HTTP 200, 400, 413, 415, 422, 503 as above.
 */
int
handle_clusters_checkin_v2(struct request *req, struct response *res,
    struct api_error *err)
{
	return checkin(req, res, request_param(req, 0), err);
}

/*
 * GET /v3/clusters/{id}: one cluster as it last checked in.
 * Raises HTTP 200, 404 "404 cluster not found" (unknown id, or not a
 * UUID), 503.
 */
int
handle_clusters_get(struct request *req, struct response *res,
    struct api_error *err)
{
	const char		*raw = request_param(req, 0);
	char			 id[UUID_STR_LEN + 1];
	struct cluster_row	 row;
	struct jw		 w;
	int			 rc;

	if (raw == NULL || uuid_canon(raw, strlen(raw), id) == -1)
		return apierr_set(err, APIERR_NOT_FOUND,
		    "404 cluster not found");
	if ((rc = db_cluster_get(req->db, req->arena, id, &row, err)) == -1)
		return -1;
	if (rc == 0)
		return apierr_set(err, APIERR_NOT_FOUND,
		    "404 cluster not found");
	response_json(res, 200);
	jw_init(&w, &res->body);
	cluster_render(&w, row.components, row.components_len, row.id,
	    row.has_times, row.first_us, row.last_us);
	buf_putc(&res->body, '\n');
	return 0;
}

/*
 * GET /v3/clusters/count: the number of clusters ever seen, a bare JSON
 * integer.
 * Raises HTTP 200, 503.
 */
int
handle_clusters_count(struct request *req, struct response *res,
    struct api_error *err)
{
	long long	 n;

	if (db_clusters_count(req->db, &n, err) == -1)
		return -1;
	response_json(res, 200);
	buf_printf(&res->body, "%lld\n", n);
	return 0;
}

/* A query parameter, NULL when absent or empty (empty means absent). */
static const char *
query(const struct request *req, const char *name)
{
	const char	*v = request_query(req, name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/*
 * Rows of a query written into the body as they come: after the first
 * full page the headers go out and the body is flushed as it grows, so
 * that no result is held whole in memory.
 */
struct out {
	struct request	*req;
	struct response	*res;
	struct jw	 w;
	size_t		 max;		/* rows to write (a row more: "more") */
	size_t		 written;
	bool		 more;		/* a row past max was seen */
	bool		 gone;		/* the client went away */
	int64_t		 key_us;	/* last row written */
	char		 key_id[UUID_STR_LEN + 1];
};

/* After a full page: send the headers (once), then what is buffered. */
static int
out_flush(struct out *o)
{
	if (response_stream_begin(o->res, o->req) == -1 ||
	    response_flush(o->res) == -1) {
		o->gone = true;
		return -1;
	}
	return 0;
}

static void
out_key(struct out *o, int64_t us, const char *id)
{
	o->key_us = us;
	snprintf(o->key_id, sizeof(o->key_id), "%s", id);
}

static int
age_row(void *ctx, const struct cluster_row *row)
{
	struct out	*o = ctx;

	if (o->written == o->max) {
		o->more = true;
		return -1;
	}
	cluster_render(&o->w, row->components, row->components_len, row->id,
	    row->has_times, row->first_us, row->last_us);
	o->written++;
	out_key(o, row->first_us, row->id);
	return 0;
}

/* `limit': absent (0), or 1..CF_LIMIT_MAX.  0, or -1 with a 422. */
static int
parse_limit(const char *raw, long *limit, struct api_error *err)
{
	long	 v = 0;

	*limit = 0;
	if (raw == NULL)
		return 0;
	for (const char *p = raw; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || v > CF_LIMIT_MAX)
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > CF_LIMIT_MAX)
		goto bad;
	*limit = v;
	return 0;
bad:
	return apierr_set(err, APIERR_VALIDATION, "limit in query must be an "
	    "integer from 1 to %d: \"%.*s\"", CF_LIMIT_MAX, RAW_MAX, raw);
}

/*
 * Where an age page starts: after the cursor's row, or after the
 * created_after bound when that is later (a key (t, greatest UUID) keeps
 * exactly the first check-ins after t).
 */
static void
age_key(struct age_page *pg, const struct age_cursor *cur, bool cursor,
    char id[UUID_STR_LEN + 1])
{
	bool	 ca = cur->set[CF_CREATED_AFTER];

	pg->has_key = cursor || ca;
	if (cursor && !(ca && cur->bound_us[CF_CREATED_AFTER] >=
	    cur->first_us)) {
		pg->key_us = cur->first_us;
		snprintf(id, UUID_STR_LEN + 1, "%s", cur->id);
	} else if (ca) {
		pg->key_us = cur->bound_us[CF_CREATED_AFTER];
		snprintf(id, UUID_STR_LEN + 1, "%s",
		    "ffffffff-ffff-ffff-ffff-ffffffffffff");
	}
	pg->key_id = id;
}

/*
 * GET /v3/clusters/age: clusters by first ("created") and latest
 * ("checked in") check-in, any subset of the four bounds, each RFC 3339
 * or a duration before now; ordered by first check-in, then id; paged
 * with limit and cursor, or streamed whole.
 * Raises HTTP 200 {"data":[cluster...]} (with "next_cursor" when a
 * limited page has more after it), 400 impossible filter or bad cursor,
 * 422 malformed bound or limit, 503.
 */
int
handle_clusters_age(struct request *req, struct response *res,
    struct api_error *err)
{
	/* The original's type-check order. */
	static const enum cf_bound order[CF__MAX] = { CF_CHECKED_IN_AFTER,
	    CF_CHECKED_IN_BEFORE, CF_CREATED_AFTER, CF_CREATED_BEFORE };
	const char		*raw[CF__MAX], *craw;
	char			 hi[CF_SQLTIME_LEN], lo2[CF_SQLTIME_LEN];
	char			 hi2[CF_SQLTIME_LEN];
	char			 key_id[UUID_STR_LEN + 1];
	char			 next[CF_CURSOR_LEN + 1];
	uint8_t			 fhash[CF_FHASH_LEN];
	struct age_filter	 f;
	struct age_cursor	 cur;
	struct age_page		 pg;
	struct wtime		 now;
	struct out		 o;
	size_t			 n;
	long			 limit, page;
	long long		 by_last, by_first;
	int64_t			 hi_us;
	bool			 hi_set;

	memset(&f, 0, sizeof(f));
	time_now(&now);
	for (int i = 0; i < CF__MAX; i++)
		raw[i] = query(req, cf_names[i]);
	for (int i = 0; i < CF__MAX; i++) {
		enum cf_bound b = order[i];

		if (raw[b] == NULL)
			continue;
		if (cf_parse_bound(cf_names[b], raw[b], &now, &f.t[b],
		    err) == -1)
			return -1;
		f.set[b] = true;
	}
	if (cf_age_check(&f, err) == -1 ||
	    parse_limit(query(req, "limit"), &limit, err) == -1)
		return -1;

	/* Later pages keep the instants the first page resolved. */
	memset(&cur, 0, sizeof(cur));
	cf_filter_hash(raw, fhash);
	for (int b = 0; b < CF__MAX; b++) {
		cur.set[b] = f.set[b];
		cur.bound_us[b] = f.set[b] ? cf_us(&f.t[b]) : 0;
	}
	craw = query(req, "cursor");
	if (craw != NULL && cf_cursor_decode(craw, fhash, &cur, err) == -1)
		return -1;

	memset(&pg, 0, sizeof(pg));
	age_key(&pg, &cur, craw != NULL, key_id);
	/* first <= last, so a latest check-in bound caps the first too. */
	hi_set = cur.set[CF_CREATED_BEFORE] || cur.set[CF_CHECKED_IN_BEFORE];
	hi_us = INT64_MAX;
	if (cur.set[CF_CREATED_BEFORE])
		hi_us = cur.bound_us[CF_CREATED_BEFORE];
	if (cur.set[CF_CHECKED_IN_BEFORE] &&
	    cur.bound_us[CF_CHECKED_IN_BEFORE] < hi_us)
		hi_us = cur.bound_us[CF_CHECKED_IN_BEFORE];
	if (hi_set)
		cf_sql_time(hi_us, hi);
	pg.hi = hi_set ? hi : "infinity";
	if (cur.set[CF_CHECKED_IN_AFTER])
		cf_sql_time(cur.bound_us[CF_CHECKED_IN_AFTER], lo2);
	pg.ls_lo = cur.set[CF_CHECKED_IN_AFTER] ? lo2 : "-infinity";
	if (cur.set[CF_CHECKED_IN_BEFORE])
		cf_sql_time(cur.bound_us[CF_CHECKED_IN_BEFORE], hi2);
	pg.ls_hi = cur.set[CF_CHECKED_IN_BEFORE] ? hi2 : "infinity";

	/*
	 * "Checked in since": when that is a small set (recent check-ins
	 * are usually the newest clusters, at the far end of first
	 * check-in order), read it by latest check-in instead.
	 */
	page = CF_STREAM_PAGE;
	if (cur.set[CF_CHECKED_IN_AFTER]) {
		if (db_clusters_age_probe(req->db, &pg, CF_PROBE_CAP, &by_last,
		    &by_first, err) == -1)
			return -1;
		pg.by_last = by_last < CF_PROBE_CAP && by_last < by_first;
		/* Each by_last page reads the whole set: take big ones. */
		if (pg.by_last && by_last / 10 > page)
			page = by_last / 10 < 10 * CF_STREAM_PAGE ?
			    (long)(by_last / 10) : 10 * CF_STREAM_PAGE;
	}

	memset(&o, 0, sizeof(o));
	o.req = req;
	o.res = res;
	response_json(res, 200);
	jw_init(&o.w, &res->body);
	jw_obj_open(&o.w);
	jw_key(&o.w, "data");
	jw_arr_open(&o.w);
	if (limit > 0) {
		/* One row more than asked says whether a next page exists. */
		o.max = (size_t)limit;
		pg.limit = limit + 1;
		if (db_clusters_age(req->db, &pg, age_row, &o, &n, err) == -1)
			return -1;
	} else {
		o.max = SIZE_MAX;
		pg.limit = page;
		for (;;) {
			if (db_clusters_age(req->db, &pg, age_row, &o, &n,
			    err) == -1)
				return -1;
			if (n < (size_t)page)
				break;
			if (out_flush(&o) == -1)
				return 0;
			pg.has_key = true;
			pg.key_us = o.key_us;
			snprintf(key_id, sizeof(key_id), "%s", o.key_id);
		}
	}
	jw_arr_close(&o.w);
	if (o.more) {
		cur.first_us = o.key_us;
		snprintf(cur.id, sizeof(cur.id), "%s", o.key_id);
		cf_cursor_encode(&cur, fhash, next);
		jw_kstr(&o.w, "next_cursor", next);
	}
	jw_obj_close(&o.w);
	buf_putc(&res->body, '\n');
	return 0;
}

/* ------------------------------------------------------------ check-ins */

/* A required RFC 3339 parameter.  0, or -1 with a 422. */
static int
required_instant(const struct request *req, const char *name,
    struct wtime *t, struct api_error *err)
{
	const char	*raw = query(req, name);

	if (raw == NULL)
		return apierr_set(err, APIERR_VALIDATION,
		    "%s in query is required", name);
	return cf_parse_instant(name, raw, t, err);
}

static int
checkin_row(void *ctx, const struct checkin_row *row)
{
	struct out	*o = ctx;
	char		 t[40];

	jw_obj_open(&o->w);
	jw_kint(&o->w, "checkins", row->checkins);
	jw_kstr(&o->w, "clusterAge", row->cluster_age);
	jw_kstr(&o->w, "clusterID", row->id);
	cf_format_nano(row->first_us, t, sizeof(t));
	jw_kstr(&o->w, "firstSeen", t);
	if (row->last_checkin != NULL && *row->last_checkin != '\0')
		jw_kstr(&o->w, "lastCheckin", row->last_checkin);
	cf_format_nano(row->last_us, t, sizeof(t));
	jw_kstr(&o->w, "lastSeen", t);
	jw_obj_close(&o->w);
	o->written++;
	out_key(o, row->first_us, row->id);
	return 0;
}

/* Which statistics query a clustersCount answer is made of. */
struct stats_query {
	bool		 persistent;
	/* created_after or epoch, created_before or timestamp */
	char		 lo[CF_SQLTIME_LEN];
	char		 hi[CF_SQLTIME_LEN];
	/* persistent: timestamp minus one day */
	char		 alive[CF_SQLTIME_LEN];
};

/*
 * Writes a clustersCount: {"count":N,"data":[...]}, or {"count":0}.  The
 * count and every page come from one snapshot.
 */
static int
stats_answer(struct request *req, struct response *res,
    const struct stats_query *q, struct api_error *err)
{
	struct out	 o;
	long long	 count;
	size_t		 n;
	int		 rc = -1;

	if (db_clusters_snapshot(req->db, err) == -1)
		return -1;
	if ((q->persistent ? db_persistent_count(req->db, q->lo, q->hi,
	    q->alive, &count, err) : db_checkins_count(req->db, q->lo, q->hi,
	    &count, err)) == -1)
		goto out;

	memset(&o, 0, sizeof(o));
	o.req = req;
	o.res = res;
	o.max = SIZE_MAX;
	response_json(res, 200);
	jw_init(&o.w, &res->body);
	jw_obj_open(&o.w);
	jw_kint(&o.w, "count", count);
	if (count > 0) {
		jw_key(&o.w, "data");
		jw_arr_open(&o.w);
		for (;;) {
			const char *key = o.written > 0 ? o.key_id : NULL;

			if ((q->persistent ? db_persistent_page(req->db, q->lo,
			    q->hi, q->alive, o.key_us, key, CF_STREAM_PAGE,
			    checkin_row, &o, &n, err) : db_checkins_page(
			    req->db, q->lo, q->hi, o.key_us, key,
			    CF_STREAM_PAGE, checkin_row, &o, &n, err)) == -1)
				goto out;
			if (n < CF_STREAM_PAGE)
				break;
			if (out_flush(&o) == -1) {
				rc = 0;
				goto out;
			}
		}
		jw_arr_close(&o.w);
	}
	jw_obj_close(&o.w);
	buf_putc(&res->body, '\n');
	rc = 0;
out:
	db_clusters_snapshot_end(req->db);
	return rc;
}

/*
 * GET /v3/clusters/checkins: check-in statistics of the clusters first
 * seen strictly between created_after and created_before, newest first.
 * Raises HTTP 200 clustersCount, 400 created_after not before
 * created_before, 422 missing or malformed parameter, 503.
 */
int
handle_clusters_checkins(struct request *req, struct response *res,
    struct api_error *err)
{
	struct stats_query	 q;
	struct wtime		 after, before;

	if (required_instant(req, "created_after", &after, err) == -1 ||
	    required_instant(req, "created_before", &before, err) == -1 ||
	    cf_checkins_check(&after, &before, err) == -1)
		return -1;
	memset(&q, 0, sizeof(q));
	cf_sql_time(cf_us(&after), q.lo);
	cf_sql_time(cf_us(&before), q.hi);
	return stats_answer(req, res, &q, err);
}

/*
 * GET /v3/clusters/persistent: clusters first seen strictly between epoch
 * and timestamp, with more than one check-in, the latest less than a day
 * before timestamp or later; oldest first.
 * Raises HTTP 200 clustersCount (without lastCheckin), 400 epoch not
 * before timestamp, 422 missing or malformed parameter, 503.
 */
int
handle_clusters_persistent(struct request *req, struct response *res,
    struct api_error *err)
{
	struct stats_query	 q;
	struct wtime		 epoch, ts;

	if (required_instant(req, "epoch", &epoch, err) == -1 ||
	    required_instant(req, "timestamp", &ts, err) == -1 ||
	    cf_persistent_check(&epoch, &ts, err) == -1)
		return -1;
	memset(&q, 0, sizeof(q));
	q.persistent = true;
	cf_sql_time(cf_us(&epoch), q.lo);
	cf_sql_time(cf_us(&ts), q.hi);
	cf_sql_time(cf_us(&ts) - US_PER_DAY, q.alive);
	return stats_answer(req, res, &q, err);
}
