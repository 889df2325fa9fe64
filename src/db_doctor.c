/* db_doctor.c: diagnostics reports. */
#include "config.h"

#include "db.h"
#include "db_doctor.h"

enum doctor_stmt {
	DSTMT_PUT = 0,
	DSTMT_GET,
	DSTMT__MAX
};

static const struct db_stmt stmts[DSTMT__MAX] = {
	/* One statement: a report sent twice at once is stored once. */
	[DSTMT_PUT] = { "doctor_put",
	    "INSERT INTO doctors (report_id, data) VALUES ($1::uuid, $2::json) "
	    "ON CONFLICT (report_id) DO UPDATE SET data = EXCLUDED.data", 2 },
	/* A json column keeps the text as it was stored. */
	[DSTMT_GET] = { "doctor_get",
	    "SELECT data::text FROM doctors WHERE report_id = $1::uuid", 1 },
};

const struct db_stmt_set db_doctor_set = { stmts, DSTMT__MAX };

int
db_doctor_put(struct db *db, const char *uuid, const char *json,
    struct api_error *err)
{
	const char	*values[2] = { uuid, json };
	PGresult	*res;

	if (db_exec(db, &stmts[DSTMT_PUT], values, &res, err) == -1)
		return -1;
	PQclear(res);
	return 0;
}

int
db_doctor_get(struct db *db, struct arena *a, const char *uuid,
    const char **json, size_t *len, struct api_error *err)
{
	const char	*values[1] = { uuid };
	PGresult	*res;

	*json = NULL;
	*len = 0;
	if (db_exec(db, &stmts[DSTMT_GET], values, &res, err) == -1)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	if (PQgetisnull(res, 0, 0)) {
		*json = "null";
		*len = 4;
	} else {
		*len = (size_t)PQgetlength(res, 0, 0);
		*json = arena_strndup(a, PQgetvalue(res, 0, 0), *len);
	}
	PQclear(res);
	return 1;
}
