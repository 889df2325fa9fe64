/* check_migrate.c: migrations on empty and original databases, and in parallel. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "migrate.h"
#include "testhelp.h"

static char	 dir[1024];

static const char *
top(void)
{
	const char	*t = getenv("top_srcdir");

	return t != NULL ? t : ".";
}

static int
count_files(void)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	int		 n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (strlen(de->d_name) > 9 &&
		    strcmp(de->d_name + strlen(de->d_name) - 4, ".sql") == 0)
			n++;
	closedir(d);
	return n;
}

static long
scalar_long(PGconn *c, const char *sql)
{
	const char	*v = th_scalar(c, sql);

	ck_assert_ptr_nonnull(v);
	return strtol(v, NULL, 10);
}

/* A fresh database; returns a connection to it. */
static PGconn *
fresh_db(const char *name)
{
	PGconn		*admin = th_pg(), *c;
	char		 sql[256], ci[256];

	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
	th_exec(admin, sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	th_exec(admin, sql);
	PQfinish(admin);
	snprintf(ci, sizeof(ci), "dbname=%s", name);
	c = PQconnectdb(ci);
	ck_assert_int_eq(PQstatus(c), CONNECTION_OK);
	return c;
}

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "%s/db/migrations", top());
}

START_TEST(test_empty)
{
	PGconn	*c = fresh_db("wfm_mig_empty");
	int	 n = count_files();

	ck_assert_int_ge(n, 1);
	ck_assert_int_eq(migrate_current(c), 0);
	ck_assert_int_eq(migrate_run(c, dir), n);
	ck_assert_int_eq(scalar_long(c, "SELECT count(*) FROM "
	    "schema_migrations"), n);
	ck_assert_int_eq(migrate_current(c), scalar_long(c, "SELECT "
	    "max(version) FROM schema_migrations"));
	/* The original's four tables exist with its unique constraint. */
	ck_assert_int_eq(scalar_long(c, "SELECT count(*) FROM pg_tables "
	    "WHERE schemaname = 'public' AND tablename IN ('versions',"
	    "'clusters','clusters_checkins','doctors')"), 4);
	ck_assert_int_eq(scalar_long(c, "SELECT count(*) FROM pg_constraint "
	    "WHERE conname = 'versions_component_name_train_version_key'"), 1);
	/* Again: nothing to do. */
	ck_assert_int_eq(migrate_run(c, dir), 0);
	PQfinish(c);
}
END_TEST

static const char *const fingerprints[] = {
	"SELECT md5(string_agg(t::text, ',' ORDER BY version_id)) "
	    "FROM versions t",
	"SELECT md5(string_agg(t::text, ',' ORDER BY cluster_id)) "
	    "FROM clusters t",
	"SELECT md5(string_agg(t::text, ',' ORDER BY checkins_id)) "
	    "FROM clusters_checkins t",
	"SELECT md5(string_agg(t::text, ',' ORDER BY report_id)) "
	    "FROM doctors t",
};
#define NFP (sizeof(fingerprints) / sizeof(fingerprints[0]))

/* A database of the original service, with rows, is adopted in place. */
START_TEST(test_original)
{
	PGconn		*c = fresh_db("wfm_mig_original");
	char		 path[1024], before[NFP][64], chunk[4096];
	struct buf	 schema = BUF_INIT;
	FILE		*f;
	size_t		 n;

	snprintf(path, sizeof(path), "%s/tests/data/original-schema.sql",
	    top());
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&schema, chunk, n);
	fclose(f);
	th_exec(c, schema.data);
	buf_free(&schema);
	th_exec(c, "INSERT INTO versions (component_name, train, version, "
	    "release_timestamp, data) VALUES "
	    "('deis-builder', 'beta', '2.0.0-beta3', '2016-04-28 18:06:02', "
	    "'{\"notes\": \"old\"}'), "
	    "('deis-router', 'stable', 'v2.1.0', '2016-06-30 19:14:12', "
	    "'{\"description\":\"d\",\"fixes\":\"f\"}'), "
	    "(NULL, NULL, NULL, NULL, NULL)");
	th_exec(c, "INSERT INTO clusters VALUES "
	    "('8c6da034-c8b1-489a-a55d-a2215d93f934', '{\"id\":\"8c6da034-"
	    "c8b1-489a-a55d-a2215d93f934\",\"components\":null}'), "
	    "('{11111111-2222-3333-4444-555555555555}', NULL)");
	th_exec(c, "INSERT INTO clusters_checkins (cluster_id, created_at, "
	    "data) VALUES ('8c6da034-c8b1-489a-a55d-a2215d93f934', "
	    "'2016-03-11 23:54:39', '{}'), ('8c6da034-c8b1-489a-a55d-"
	    "a2215d93f934', '2016-03-12 11:54:39', '{}'), "
	    "('99999999-2222-3333-4444-555555555555', '2017-01-01 00:00:00', "
	    "NULL)");
	th_exec(c, "INSERT INTO doctors VALUES ('aaaaaaaa-2222-3333-4444-"
	    "555555555555', '{\"workflow\":{\"id\":\"x\"}}')");
	for (size_t i = 0; i < NFP; i++)
		snprintf(before[i], sizeof(before[i]), "%s",
		    th_scalar(c, fingerprints[i]));

	ck_assert_int_eq(migrate_run(c, dir), count_files());
	for (size_t i = 0; i < NFP; i++)
		ck_assert_str_eq(th_scalar(c, fingerprints[i]), before[i]);
	ck_assert_int_eq(scalar_long(c, "SELECT count(*) FROM versions"), 3);
	PQfinish(c);
}
END_TEST

/* Several processes at once: each migration applied exactly once. */
START_TEST(test_parallel)
{
	PGconn	*c = fresh_db("wfm_mig_parallel");
	pid_t	 pids[4];
	int	 total = 0, st;

	PQfinish(c);
	for (int i = 0; i < 4; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			PGconn	*k = PQconnectdb("dbname=wfm_mig_parallel");
			int	 r;

			if (PQstatus(k) != CONNECTION_OK)
				_exit(100);
			r = migrate_run(k, dir);
			PQfinish(k);
			_exit(r < 0 ? 101 : r);
		}
	}
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(waitpid(pids[i], &st, 0), pids[i]);
		ck_assert(WIFEXITED(st));
		ck_assert_int_lt(WEXITSTATUS(st), 100);
		total += WEXITSTATUS(st);
	}
	ck_assert_int_eq(total, count_files());
	c = PQconnectdb("dbname=wfm_mig_parallel");
	ck_assert_int_eq(scalar_long(c, "SELECT count(*) FROM "
	    "schema_migrations"), count_files());
	PQfinish(c);
}
END_TEST

/* A broken migration is rolled back and stops the run. */
START_TEST(test_broken)
{
	PGconn	*c = fresh_db("wfm_mig_broken");
	char	 tmp[] = "/tmp/wfm_mig.XXXXXX", path[256];
	FILE	*f;

	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(path, sizeof(path), "%s/0001_good.sql", tmp);
	f = fopen(path, "w");
	fputs("CREATE TABLE good (a int);\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/0002_bad.sql", tmp);
	f = fopen(path, "w");
	fputs("CREATE TABLE half (a int);\nSELECT nonsense FROM nowhere;\n", f);
	fclose(f);
	ck_assert_int_eq(migrate_run(c, tmp), -1);
	ck_assert_int_eq(migrate_current(c), 1);
	ck_assert_ptr_null(th_scalar(c, "SELECT to_regclass('half')::text"));
	ck_assert_str_eq(th_scalar(c, "SELECT to_regclass('good')::text"),
	    "good");
	unlink(path);
	snprintf(path, sizeof(path), "%s/0001_good.sql", tmp);
	unlink(path);
	rmdir(tmp);
	PQfinish(c);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("migrate");
	TCase	*tc = tcase_create("migrate");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_original);
	tcase_add_test(tc, test_parallel);
	tcase_add_test(tc, test_broken);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return th_run(suite());
}
