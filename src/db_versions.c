/* db_versions.c: release catalogue queries: publish, get, list, latest. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "db.h"
#include "db_versions.h"
#include "json.h"
#include "jw.h"
#include "semver.h"
#include "timefmt.h"

/*
 * Every query returns the same columns, in this order: the release time
 * as whole seconds since the epoch (the column is a timestamp without
 * time zone holding the UTC instant; extract reads it as UTC), the data
 * column as its JSON text.
 */
#define VCOLS(p) \
	p "version_id, " p "component_name, " p "train, " p "version, " \
	"floor(extract(epoch FROM " p "release_timestamp))::bigint, " \
	p "data"
#define NCOLS 6

/*
 * "Latest" of one pair in two index lookups on versions_latest_idx: the
 * newest release time (NULLS LAST: rows without one rank below), then
 * every release with that time (the ties, normally one row).
 */
#define LATEST_OF(c, t) \
	"(SELECT release_timestamp AS ts FROM versions " \
	"WHERE component_name = " c " AND train = " t " " \
	"ORDER BY release_timestamp DESC NULLS LAST LIMIT 1) m " \
	"JOIN versions w ON w.component_name = " c " AND w.train = " t " " \
	"AND (w.release_timestamp = m.ts OR " \
	"(m.ts IS NULL AND w.release_timestamp IS NULL))"

enum versions_stmt {
	VSTMT_PUBLISH = 0,
	VSTMT_GET,
	VSTMT_LATEST,
	VSTMT_LIST,
	VSTMT_LATEST_MANY,
	VSTMT__MAX
};

static const struct db_stmt stmts[VSTMT__MAX] = {
	/*
	 * One statement: concurrent publishes of the same release all
	 * succeed (the original's unique constraint arbitrates).  The time
	 * is sent as seconds since the epoch, so any year 0000-9999 works.
	 */
	[VSTMT_PUBLISH] = { "versions_publish",
	    "INSERT INTO versions (component_name, train, version, "
	    "release_timestamp, data) VALUES ($1, $2, $3, "
	    "timestamp 'epoch' + $4::bigint * interval '1 second', $5::json) "
	    "ON CONFLICT (component_name, train, version) DO UPDATE SET "
	    "release_timestamp = EXCLUDED.release_timestamp, "
	    "data = EXCLUDED.data "
	    "RETURNING " VCOLS(""), 5 },
	[VSTMT_GET] = { "versions_get",
	    "SELECT " VCOLS("") " FROM versions "
	    "WHERE component_name = $1 AND train = $2 AND version = $3", 3 },
	[VSTMT_LATEST] = { "versions_latest",
	    "SELECT " VCOLS("w.") " FROM " LATEST_OF("$1", "$2")
	    " ORDER BY w.version_id", 2 },
	[VSTMT_LIST] = { "versions_list",
	    "SELECT " VCOLS("") " FROM versions "
	    "WHERE component_name = $1 AND train = $2 "
	    "ORDER BY release_timestamp ASC NULLS FIRST, version_id", 2 },
	/*
	 * $1 is a JSON array of [component, train] pairs; one round trip
	 * whatever their number.  OFFSET 0 keeps the lateral subquery a
	 * per-pair index lookup (the planner would otherwise hash-join the
	 * whole table).
	 */
	[VSTMT_LATEST_MANY] = { "versions_latest_many",
	    "SELECT p.ord, v.* FROM json_array_elements($1::json) "
	    "WITH ORDINALITY AS p(pair, ord) CROSS JOIN LATERAL "
	    "(SELECT " VCOLS("w.") " FROM "
	    LATEST_OF("(p.pair->>0)", "(p.pair->>1)")
	    " OFFSET 0) v ORDER BY p.ord, v.version_id", 1 },
};

const struct db_stmt_set db_versions_set = { stmts, VSTMT__MAX };

/* Length of the UTF-8 sequence that starts with byte c (0: invalid). */
static size_t
seqlen(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

size_t
db_versions_chars(const char *s)
{
	size_t	 len = strlen(s), n = 0;

	if (!json_valid_utf8(s, len))
		return SIZE_MAX;
	for (size_t i = 0; i < len; i += seqlen((unsigned char)s[i]))
		n++;
	return n;
}

bool
db_versions_name_ok(const char *s, size_t maxchars)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;

	if (s == NULL)
		return false;
	n = db_versions_chars(s);
	if (n == 0 || n == SIZE_MAX || n > maxchars)
		return false;
	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '/')
			return false;
		/* C1 controls U+0080-U+009F: C2 80 - C2 9F. */
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return false;
	}
	return true;
}

void
db_versions_data_json(struct buf *b, const struct version_data *d)
{
	struct jw	 w;

	if (d == NULL) {
		buf_puts(b, "null");
		return;
	}
	jw_init(&w, b);
	model_vdata_render(&w, d);
}

void
db_versions_data_parse(struct arena *a, const char *text, size_t len,
    struct version_data *d)
{
	cJSON		*root;
	const cJSON	*c;

	memset(d, 0, sizeof(*d));
	if (text == NULL || len == 0)
		return;
	root = cJSON_ParseWithLength(text, len);
	if (root == NULL)
		return;
	for (c = cJSON_IsObject(root) ? root->child : NULL; c != NULL;
	    c = c->next) {
		const char	**field;

		if (c->string == NULL)
			continue;
		if (strcasecmp(c->string, "description") == 0)
			field = &d->description;
		else if (strcasecmp(c->string, "fixes") == 0)
			field = &d->fixes;
		else if (strcasecmp(c->string, "image") == 0)
			field = &d->image;
		else
			continue;
		if (cJSON_IsString(c))
			*field = arena_strdup(a, c->valuestring);
		else if (cJSON_IsNull(c) && field == &d->image)
			*field = NULL;	/* a pointer in the original */
	}
	cJSON_Delete(root);
}

bool
db_versions_better(const struct db_version *a, const struct db_version *b)
{
	int	 c;

	c = semver_cmp(a->version, b->version);
	if (c != 0)
		return c > 0;
	return a->id < b->id;
}

const struct db_version *
db_versions_pick(const struct db_version *rows, size_t n)
{
	const struct db_version	*best = NULL;

	for (size_t i = 0; i < n; i++)
		if (best == NULL || db_versions_better(&rows[i], best))
			best = &rows[i];
	return best;
}

void
db_versions_cv(const struct db_version *row, char *released,
    struct component_version *cv)
{
	memset(cv, 0, sizeof(*cv));
	cv->has_component = true;
	cv->c_name = row->component;
	cv->has_version = true;
	cv->has_data = true;
	cv->data = row->data;
	released[0] = '\0';
	if (row->has_released) {
		time_format_s(row->released, released, 32);
		cv->released = released;
	}
	cv->train = row->train;
	cv->version = row->version;
}

static const char *
col_str(const PGresult *res, int i, int c, struct arena *a)
{
	if (PQgetisnull(res, i, c))
		return NULL;
	return arena_strndup(a, PQgetvalue(res, i, c),
	    (size_t)PQgetlength(res, i, c));
}

/* Copies row i, whose NCOLS columns start at column c0, into `v'. */
static void
row_copy(const PGresult *res, int i, int c0, struct arena *a,
    struct db_version *v)
{
	memset(v, 0, sizeof(*v));
	v->id = strtoll(PQgetvalue(res, i, c0), NULL, 10);
	v->component = col_str(res, i, c0 + 1, a);
	v->train = col_str(res, i, c0 + 2, a);
	v->version = col_str(res, i, c0 + 3, a);
	if (!PQgetisnull(res, i, c0 + 4)) {
		v->has_released = true;
		v->released = strtoll(PQgetvalue(res, i, c0 + 4), NULL, 10);
	}
	if (!PQgetisnull(res, i, c0 + 5))
		db_versions_data_parse(a, PQgetvalue(res, i, c0 + 5),
		    (size_t)PQgetlength(res, i, c0 + 5), &v->data);
}

/* Checks the shape of a result (a bug in our SQL otherwise). */
static int
check_cols(PGresult *res, int want, const char *name, struct api_error *err)
{
	if (PQnfields(res) == want)
		return 0;
	apierr_log(err, "statement %s: %d columns, expected %d", name,
	    PQnfields(res), want);
	PQclear(res);
	return apierr_code(err, APIERR_INTERNAL);
}

int
db_versions_publish(struct db *db, struct arena *a, const char *component,
    const char *train, const char *version, int64_t released,
    const struct version_data *data, struct db_version *out,
    struct api_error *err)
{
	struct buf	 json = BUF_INIT;
	char		 ts[32];
	const char	*values[5];
	PGresult	*res;
	int		 rc;

	memset(out, 0, sizeof(*out));
	snprintf(ts, sizeof(ts), "%lld", (long long)released);
	db_versions_data_json(&json, data);
	values[0] = component;
	values[1] = train;
	values[2] = version;
	values[3] = ts;
	values[4] = json.data;
	rc = db_exec(db, &stmts[VSTMT_PUBLISH], values, &res, err);
	buf_free(&json);
	if (rc == -1)
		return -1;
	if (PQntuples(res) != 1 || PQnfields(res) != NCOLS) {
		apierr_log(err, "statement %s: %d rows, %d columns",
		    stmts[VSTMT_PUBLISH].name, PQntuples(res),
		    PQnfields(res));
		PQclear(res);
		return apierr_code(err, APIERR_INTERNAL);
	}
	row_copy(res, 0, 0, a, out);
	PQclear(res);
	return 0;
}

int
db_versions_get(struct db *db, struct arena *a, const char *component,
    const char *train, const char *version, struct db_version *out,
    bool *found, struct api_error *err)
{
	const char	*values[3] = { component, train, version };
	PGresult	*res;

	memset(out, 0, sizeof(*out));
	*found = false;
	if (db_exec(db, &stmts[VSTMT_GET], values, &res, err) == -1)
		return -1;
	if (check_cols(res, NCOLS, stmts[VSTMT_GET].name, err) == -1)
		return -1;
	if (PQntuples(res) > 0) {
		row_copy(res, 0, 0, a, out);
		*found = true;
	}
	PQclear(res);
	return 0;
}

int
db_versions_latest(struct db *db, struct arena *a, const char *component,
    const char *train, struct db_version *out, bool *found,
    struct api_error *err)
{
	const char		*values[2] = { component, train };
	PGresult		*res;
	struct db_version	*rows;
	int			 n;

	memset(out, 0, sizeof(*out));
	*found = false;
	if (db_exec(db, &stmts[VSTMT_LATEST], values, &res, err) == -1)
		return -1;
	if (check_cols(res, NCOLS, stmts[VSTMT_LATEST].name, err) == -1)
		return -1;
	n = PQntuples(res);
	if (n > 0) {
		rows = arena_calloc(a, (size_t)n, sizeof(*rows));
		for (int i = 0; i < n; i++)
			row_copy(res, i, 0, a, &rows[i]);
		*out = *db_versions_pick(rows, (size_t)n);
		*found = true;
	}
	PQclear(res);
	return 0;
}

int
db_versions_list(struct db *db, struct arena *a, const char *component,
    const char *train, struct db_version **rows, size_t *nrows,
    struct api_error *err)
{
	const char	*values[2] = { component, train };
	PGresult	*res;
	int		 n;

	*rows = NULL;
	*nrows = 0;
	if (db_exec(db, &stmts[VSTMT_LIST], values, &res, err) == -1)
		return -1;
	if (check_cols(res, NCOLS, stmts[VSTMT_LIST].name, err) == -1)
		return -1;
	n = PQntuples(res);
	if (n > 0) {
		*rows = arena_calloc(a, (size_t)n, sizeof(**rows));
		for (int i = 0; i < n; i++)
			row_copy(res, i, 0, a, &(*rows)[i]);
		*nrows = (size_t)n;
	}
	PQclear(res);
	return 0;
}

int
db_versions_latest_many(struct db *db, struct arena *a,
    const struct db_version_pair *pairs, size_t n,
    const struct db_version ***best, struct api_error *err)
{
	struct buf		  json = BUF_INIT;
	struct jw		  w;
	const char		 *values[1];
	const struct db_version	**out;
	PGresult		 *res;
	int			  rc, rows;

	out = arena_calloc(a, n > 0 ? n : 1, sizeof(*out));
	*best = out;
	if (n == 0)
		return 0;
	jw_init(&w, &json);
	jw_arr_open(&w);
	for (size_t i = 0; i < n; i++) {
		jw_arr_open(&w);
		jw_str(&w, pairs[i].component);
		jw_str(&w, pairs[i].train);
		jw_arr_close(&w);
	}
	jw_arr_close(&w);
	values[0] = json.data;
	rc = db_exec(db, &stmts[VSTMT_LATEST_MANY], values, &res, err);
	buf_free(&json);
	if (rc == -1)
		return -1;
	if (check_cols(res, NCOLS + 1, stmts[VSTMT_LATEST_MANY].name,
	    err) == -1)
		return -1;
	rows = PQntuples(res);
	for (int i = 0; i < rows; i++) {
		long long		 ord;
		struct db_version	*v;

		ord = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		if (ord < 1 || (unsigned long long)ord > n)
			continue;	/* cannot happen */
		v = arena_alloc(a, sizeof(*v));
		row_copy(res, i, 1, a, v);
		if (out[ord - 1] == NULL ||
		    db_versions_better(v, out[ord - 1]))
			out[ord - 1] = v;
	}
	PQclear(res);
	return 0;
}
