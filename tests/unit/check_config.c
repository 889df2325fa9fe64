/* check_config.c: configuration lines, files, environment and overrides. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "testhelp.h"

struct line_case {
	const char	*key;
	const char	*value;
	int		 ok;
};

static const struct line_case lines[] = {
	{ "workers", "8", 1 },
	{ "workers", "0", 0 },
	{ "workers", "1025", 0 },
	{ "workers", "-1", 0 },
	{ "workers", "4x", 0 },
	{ "workers", "", 0 },
	{ "workers", " 4", 0 },
	{ "max_requests", "0", 1 },
	{ "socket_mode", "0660", 1 },
	{ "socket_mode", "0999", 0 },
	{ "socket_mode", "1777", 0 },
	{ "max_body", "1M", 1 },
	{ "max_body", "512k", 1 },
	{ "max_body", "12", 0 },
	{ "max_body", "1G", 0 },
	{ "max_body", "M", 0 },
	{ "publish_auth", "off", 1 },
	{ "publish_auth", "yes", 1 },
	{ "publish_auth", "maybe", 0 },
	{ "log", "syslog", 1 },
	{ "log", "file", 0 },
	{ "log_level", "debug", 1 },
	{ "log_level", "verbose", 0 },
	{ "statement_timeout", "99", 0 },
	{ "statement_timeout", "250", 1 },
	{ "nonsense", "1", 0 },
	{ "Workers", "1", 0 },
	{ "publish_token", "sha256:"
	    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	    1 },
	{ "publish_token", "sha256:"
	    "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08 "
	    "components=deis-*,workflow-* trains=stable", 1 },
	{ "publish_token", "sha256:9f86d0", 0 },
	{ "publish_token", "mytoken", 0 },
	{ "publish_token", "sha256:"
	    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 "
	    "color=red", 0 },
	{ "publish_token", "sha256:"
	    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 "
	    "trains=a,,b", 0 },
};

START_TEST(test_line)
{
	const struct line_case	*c = &lines[_i];
	struct config		*cfg = config_defaults();
	char			 msg[256] = "";
	int			 rc;

	rc = config_set(cfg, c->key, c->value, msg, sizeof(msg));
	ck_assert_msg((rc == 0) == c->ok, "%s = %s: rc %d (%s)", c->key,
	    c->value, rc, msg);
	if (!c->ok)
		ck_assert_msg(strlen(msg) > 10, "no message for %s", c->key);
	config_free(cfg);
}
END_TEST

static char *
write_file(const char *text)
{
	char	*path = strdup("/tmp/check_config.XXXXXX");
	int	 fd = mkstemp(path);
	FILE	*f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

START_TEST(test_file_good)
{
	char		*p = write_file(
	    "# comment\n"
	    "\n"
	    "  workers = 3   # trailing comment\n"
	    "database = \"host=/tmp dbname=x password='a#b'\"\n"
	    "listen = 127.0.0.1:9000\n"
	    "publish_token = sha256:"
	    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 "
	    "components=deis-* trains=stable,beta\n"
	    "doctor_user = staff\n"
	    "doctor_password = s3cret\n");
	struct config	*c = config_load(p, false, NULL, NULL);

	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->workers, 3);
	ck_assert_str_eq(c->database, "host=/tmp dbname=x password='a#b'");
	ck_assert_str_eq(c->listen, "127.0.0.1:9000");
	ck_assert_uint_eq(c->npublish_tokens, 1);
	ck_assert_uint_eq(c->publish_tokens[0].ncomponents, 1);
	ck_assert_str_eq(c->publish_tokens[0].components[0], "deis-*");
	ck_assert_uint_eq(c->publish_tokens[0].ntrains, 2);
	ck_assert_str_eq(c->publish_tokens[0].trains[1], "beta");
	ck_assert_uint_eq(c->publish_tokens[0].hash[0], 0x9f);
	ck_assert_str_eq(c->doctor_user, "staff");
	config_free(c);
	unlink(p);
	free(p);
}
END_TEST

START_TEST(test_file_bad)
{
	char		*p = write_file(
	    "workers = 2\n"
	    "no equals sign\n"
	    "bogus = 1\n"
	    "listen = somewhere\n"
	    "database = \"unterminated\n");
	char		 out[2048] = "";
	FILE		*errf = fmemopen(out, sizeof(out) - 1, "w");
	struct config	*c;
	char		 want[256];

	c = config_load(p, false, NULL, errf);
	fclose(errf);
	ck_assert_ptr_null(c);
	snprintf(want, sizeof(want), "%s:2: expected", p);
	ck_assert_msg(strstr(out, want) != NULL, "%s", out);
	snprintf(want, sizeof(want), "%s:3: unrecognized key \"bogus\"", p);
	ck_assert_msg(strstr(out, want) != NULL, "%s", out);
	snprintf(want, sizeof(want), "%s:5: unterminated", p);
	ck_assert_msg(strstr(out, want) != NULL, "%s", out);
	ck_assert_msg(strstr(out, "listen must be") != NULL, "%s", out);
	unlink(p);
	free(p);

	/* A broken conninfo is reported without quoting its pieces. */
	p = write_file("database = host=x password=secret part\n");
	memset(out, 0, sizeof(out));
	errf = fmemopen(out, sizeof(out) - 1, "w");
	c = config_load(p, false, NULL, errf);
	fclose(errf);
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(out, "database is not a valid libpq") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out, "secret") == NULL && strstr(out, "part") ==
	    NULL, "%s", out);
	unlink(p);
	free(p);
}
END_TEST

START_TEST(test_missing_file)
{
	struct config	*c;

	c = config_load("/nonexistent/wfm.conf", true, NULL, NULL);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->workers, 4);
	config_free(c);
	c = config_load("/nonexistent/wfm.conf", false, NULL, NULL);
	ck_assert_ptr_null(c);
}
END_TEST

/* The original's environment variables, and the file winning over them. */
START_TEST(test_environment)
{
	struct config	*c;
	char		*p;

	setenv("WORKFLOW_MANAGER_API_DBUSER", "wfm", 1);
	setenv("DBPASS", "pa'ss", 1);
	setenv("WORKFLOW_MANAGER_API_DBURL", "db.example:6543", 1);
	setenv("WORKFLOW_MANAGER_API_DBNAME", "versions", 1);
	setenv("DOCTOR_AUTH_USER", "doc", 1);
	setenv("WORKFLOW_MANAGER_API_DOCTOR_AUTH_PASS", "pw", 1);
	c = config_load("/nonexistent/wfm.conf", true, NULL, NULL);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->database, "host='db.example' port='6543' "
	    "dbname='versions' user='wfm' password='pa\\'ss'");
	ck_assert_str_eq(c->doctor_user, "doc");
	ck_assert_str_eq(c->doctor_password, "pw");
	config_free(c);

	p = write_file("database = dbname=fromfile\ndoctor_user = fileuser\n");
	c = config_load(p, false, NULL, NULL);
	ck_assert_str_eq(c->database, "dbname=fromfile");
	ck_assert_str_eq(c->doctor_user, "fileuser");
	ck_assert_str_eq(c->doctor_password, "pw");
	config_free(c);
	unlink(p);
	free(p);
	unsetenv("WORKFLOW_MANAGER_API_DBUSER");
	unsetenv("DBPASS");
	unsetenv("WORKFLOW_MANAGER_API_DBURL");
	unsetenv("WORKFLOW_MANAGER_API_DBNAME");
	unsetenv("DOCTOR_AUTH_USER");
	unsetenv("WORKFLOW_MANAGER_API_DOCTOR_AUTH_PASS");
}
END_TEST

START_TEST(test_overrides)
{
	struct config_overrides	 ov = { "unix:/tmp/x.sock", "dbname=o", 7,
	    LOG_TARGET_SYSLOG, LOGL_DEBUG };
	char			*p = write_file("workers = 2\n");
	struct config		*c = config_load(p, false, &ov, NULL);

	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->workers, 7);
	ck_assert_str_eq(c->listen, "unix:/tmp/x.sock");
	ck_assert_str_eq(c->database, "dbname=o");
	ck_assert_int_eq(c->log_target, LOG_TARGET_SYSLOG);
	ck_assert_int_eq(c->log_level, LOGL_DEBUG);
	config_free(c);
	unlink(p);
	free(p);
}
END_TEST

/* The shipped example file must load as it is. */
START_TEST(test_example_file)
{
	char		 path[1024];
	struct config	*c;
	const char	*top = getenv("top_srcdir");

	snprintf(path, sizeof(path), "%s/etc/workflow-manager-api.conf",
	    top != NULL ? top : ".");
	c = config_load(path, false, NULL, stderr);
	ck_assert_ptr_nonnull(c);
	config_free(c);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("config");
	TCase	*tc = tcase_create("lines");

	tcase_add_loop_test(tc, test_line, 0,
	    (int)(sizeof(lines) / sizeof(lines[0])));
	suite_add_tcase(s, tc);
	tc = tcase_create("files");
	tcase_add_test(tc, test_file_good);
	tcase_add_test(tc, test_file_bad);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_environment);
	tcase_add_test(tc, test_overrides);
	tcase_add_test(tc, test_example_file);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return th_run(suite());
}
