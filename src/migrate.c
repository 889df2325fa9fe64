/* migrate.c: ordered SQL migrations under an advisory lock. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "migrate.h"
#include "xalloc.h"

/* Any constant will do; it only has to be the same for every process. */
#define MIGRATE_LOCK_KEY "7217700101"

static bool
is_migration(const char *name, long long *version)
{
	size_t	 len = strlen(name);

	if (len < 10 || strcmp(name + len - 4, ".sql") != 0)
		return false;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)name[i]))
			return false;
	if (name[4] != '_')
		return false;
	for (size_t i = 5; i < len - 4; i++)
		if (!(islower((unsigned char)name[i]) ||
		    isdigit((unsigned char)name[i]) || name[i] == '_'))
			return false;
	*version = (name[0] - '0') * 1000 + (name[1] - '0') * 100 +
	    (name[2] - '0') * 10 + (name[3] - '0');
	return *version > 0;
}

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
ok(PGresult *res, const char *what)
{
	ExecStatusType	 st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return true;
	log_err("migration: %s: %s", what, PQresultErrorMessage(res));
	return false;
}

/* Runs fixed SQL with no parameters; true on success. */
static bool
simple(PGconn *conn, const char *sql, const char *what)
{
	PGresult	*res;
	bool		 r;

	res = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	r = ok(res, what);
	PQclear(res);
	return r;
}

static int
read_file(const char *path, struct buf *out)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		log_err("migration: cannot open %s: %s", path,
		    strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(out, chunk, n);
	if (ferror(f)) {
		log_err("migration: cannot read %s", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	if (out->len == 0)
		buf_puts(out, "");
	return 0;
}

static int
apply(PGconn *conn, const char *dir, const char *name, long long version)
{
	struct buf	 script = BUF_INIT;
	char		*path, ver[32];
	const char	*vals[2] = { ver, name };
	PGresult	*res;
	int		 rc = -1;

	path = xmalloc(strlen(dir) + strlen(name) + 2);
	snprintf(path, strlen(dir) + strlen(name) + 2, "%s/%s", dir, name);
	if (read_file(path, &script) == -1)
		goto out;
	if (!simple(conn, "BEGIN", "BEGIN"))
		goto out;
	/*
	 * A migration file is trusted SQL shipped with the program (several
	 * statements, no parameters), never request data.
	 */
	res = PQexec(conn, script.data);
	if (!ok(res, name)) {
		PQclear(res);
		simple(conn, "ROLLBACK", "ROLLBACK");
		goto out;
	}
	PQclear(res);
	snprintf(ver, sizeof(ver), "%lld", version);
	res = PQexecParams(conn, "INSERT INTO schema_migrations "
	    "(version, name) VALUES ($1, $2)", 2, NULL, vals, NULL, NULL, 0);
	if (!ok(res, "recording the migration")) {
		PQclear(res);
		simple(conn, "ROLLBACK", "ROLLBACK");
		goto out;
	}
	PQclear(res);
	if (!simple(conn, "COMMIT", "COMMIT"))
		goto out;
	log_info("migration %s applied", name);
	rc = 0;
out:
	buf_free(&script);
	free(path);
	return rc;
}

static int
applied(PGconn *conn, long long version)
{
	char		 ver[32];
	const char	*vals[1] = { ver };
	PGresult	*res;
	int		 r;

	snprintf(ver, sizeof(ver), "%lld", version);
	res = PQexecParams(conn, "SELECT 1 FROM schema_migrations "
	    "WHERE version = $1", 1, NULL, vals, NULL, NULL, 0);
	if (!ok(res, "reading schema_migrations"))
		r = -1;
	else
		r = PQntuples(res) > 0;
	PQclear(res);
	return r;
}

int
migrate_run(PGconn *conn, const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL;
	size_t		 n = 0;
	long long	 version;
	int		 count = 0, r;

	if ((d = opendir(dir)) == NULL) {
		log_err("migration: cannot open directory %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!is_migration(de->d_name, &version))
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), namecmp);

	if (!simple(conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")",
	    "taking the migration lock")) {
		count = -1;
		goto out;
	}
	if (!simple(conn, "SET client_min_messages = warning",
	    "setting message level") ||
	    !simple(conn, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version bigint PRIMARY KEY, name text NOT NULL, "
	    "applied_at timestamptz NOT NULL DEFAULT now())",
	    "creating schema_migrations")) {
		count = -1;
		goto unlock;
	}
	for (size_t i = 0; i < n; i++) {
		is_migration(names[i], &version);
		if ((r = applied(conn, version)) == -1) {
			count = -1;
			break;
		}
		if (r == 1)
			continue;
		if (apply(conn, dir, names[i], version) == -1) {
			count = -1;
			break;
		}
		count++;
	}
unlock:
	simple(conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")",
	    "releasing the migration lock");
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return count;
}

long long
migrate_current(PGconn *conn)
{
	PGresult	*res;
	long long	 v = -1;

	res = PQexecParams(conn, "SELECT to_regclass('schema_migrations') "
	    "IS NOT NULL", 0, NULL, NULL, NULL, NULL, 0);
	if (!ok(res, "looking for schema_migrations")) {
		PQclear(res);
		return -1;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		PQclear(res);
		return 0;
	}
	PQclear(res);
	res = PQexecParams(conn, "SELECT coalesce(max(version), 0) FROM "
	    "schema_migrations", 0, NULL, NULL, NULL, NULL, 0);
	if (ok(res, "reading the schema version"))
		v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return v;
}
