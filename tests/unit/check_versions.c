/* check_versions.c: names, release JSON, the latest pick, publisher tokens. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "crypto.h"
#include "db_versions.h"
#include "jw.h"
#include "model.h"
#include "testhelp.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ------------------------------------------------------------ names */

struct name_case {
	const char	*s;
	size_t		 max;
	bool		 ok;
};

static const struct name_case names[] = {
	{ "deis-controller", 32, true },
	{ "v2.0.0-rc1", 32, true },
	{ "2.0.0-beta-2", 32, true },
	{ "stable", 24, true },
	{ "a", 32, true },
	{ "with space", 32, true },
	{ "latest", 32, true },
	{ "\xe6\x97\xa5\xe6\x9c\xac", 32, true },		/* 日本 */
	{ "\xf0\x9f\x98\x80", 1, true },			/* one emoji */
	{ "", 32, false },
	{ "a/b", 32, false },
	{ "/", 32, false },
	{ "a\tb", 32, false },
	{ "a\nb", 32, false },
	{ "\x01", 32, false },
	{ "a\x7f", 32, false },
	{ "a\xc2\x85", 32, false },		/* U+0085, a C1 control */
	{ "a\xc2\x9f", 32, false },		/* U+009F */
	{ "a\xc2\xa0", 32, true },		/* U+00A0 is not a control */
	{ "\xff", 32, false },			/* not UTF-8 */
	{ "\xc3", 32, false },			/* truncated sequence */
	{ "\xc0\xaf", 32, false },		/* overlong '/' */
	{ "\xed\xa0\x80", 32, false },		/* surrogate */
	{ "123456789012345678901234", 24, true },
	{ "1234567890123456789012345", 24, false },
	{ "12345678901234567890123456789012", 32, true },
	{ "123456789012345678901234567890123", 32, false },
};

START_TEST(test_name)
{
	const struct name_case *c = &names[_i];

	ck_assert_msg(db_versions_name_ok(c->s, c->max) == c->ok,
	    "case %d: \"%s\" (max %zu) should be %s", _i, c->s, c->max,
	    c->ok ? "accepted" : "refused");
}
END_TEST

START_TEST(test_name_chars)
{
	char	 s[200];

	/* varchar(n) counts characters, not bytes: 32 x "é" fits. */
	for (int i = 0; i < 33; i++)
		memcpy(s + 2 * i, "\xc3\xa9", 2);
	s[64] = '\0';
	ck_assert_uint_eq(db_versions_chars(s), 32);
	ck_assert(db_versions_name_ok(s, 32));
	s[64] = '\xc3';
	s[66] = '\0';
	ck_assert_uint_eq(db_versions_chars(s), 33);
	ck_assert(!db_versions_name_ok(s, 32));
	ck_assert_uint_eq(db_versions_chars(""), 0);
	ck_assert_uint_eq(db_versions_chars("abc"), 3);
	ck_assert_uint_eq(db_versions_chars("\xe2\x82\xac"), 1);
	ck_assert_uint_eq(db_versions_chars("\xf0\x9f\x98\x80x"), 2);
	ck_assert_uint_eq(db_versions_chars("a\xff"), SIZE_MAX);
	ck_assert(!db_versions_name_ok(NULL, 32));
}
END_TEST

/* ------------------------------------------------------------ rendering */

static char *
render(const struct db_version *row)
{
	static char			 out[2048];
	struct buf			 b = BUF_INIT;
	struct jw			 w;
	struct component_version	 cv;
	char				 released[32];

	jw_init(&w, &b);
	db_versions_cv(row, released, &cv);
	model_cv_render(&w, &cv);
	snprintf(out, sizeof(out), "%s", b.data);
	buf_free(&b);
	return out;
}

static struct db_version
row(const char *version, const char *desc, const char *fixes,
    const char *image)
{
	struct db_version	 v;

	memset(&v, 0, sizeof(v));
	v.id = 1;
	v.component = "deis-controller";
	v.train = "stable";
	v.version = version;
	v.has_released = true;
	v.released = 1504112711;	/* 2017-08-30T17:05:11Z */
	v.data.description = desc;
	v.data.fixes = fixes;
	v.data.image = image;
	return v;
}

START_TEST(test_render_full)
{
	struct db_version v = row("v2.18.0", "Workflow v2.18.0", "#42",
	    "quay.io/deis/controller:v2.18.0");

	ck_assert_str_eq(render(&v),
	    "{\"component\":{\"name\":\"deis-controller\"},"
	    "\"version\":{\"data\":{\"description\":\"Workflow v2.18.0\","
	    "\"fixes\":\"#42\",\"image\":\"quay.io/deis/controller:v2.18.0\"},"
	    "\"released\":\"2017-08-30T17:05:11Z\",\"train\":\"stable\","
	    "\"version\":\"v2.18.0\"}}");
}
END_TEST

START_TEST(test_render_omissions)
{
	struct db_version v = row("v1", NULL, NULL, NULL);

	/* Absent data is {} (stored as JSON null by the original). */
	ck_assert_str_eq(render(&v),
	    "{\"component\":{\"name\":\"deis-controller\"},"
	    "\"version\":{\"data\":{},\"released\":\"2017-08-30T17:05:11Z\","
	    "\"train\":\"stable\",\"version\":\"v1\"}}");
	/* Empty description and fixes are omitted, an empty image kept. */
	v = row("v1", "", "", "");
	ck_assert_str_eq(render(&v),
	    "{\"component\":{\"name\":\"deis-controller\"},"
	    "\"version\":{\"data\":{\"image\":\"\"},"
	    "\"released\":\"2017-08-30T17:05:11Z\","
	    "\"train\":\"stable\",\"version\":\"v1\"}}");
	/* A row of an original database without a release time. */
	v = row("v1", NULL, "f", NULL);
	v.has_released = false;
	ck_assert_str_eq(render(&v),
	    "{\"component\":{\"name\":\"deis-controller\"},"
	    "\"version\":{\"data\":{\"fixes\":\"f\"},"
	    "\"train\":\"stable\",\"version\":\"v1\"}}");
}
END_TEST

START_TEST(test_render_escaping_and_years)
{
	struct db_version v = row("v<1>&\"2\"", "a\nb\xe2\x80\xa8", NULL,
	    NULL);

	v.released = 0;
	ck_assert_str_eq(render(&v),
	    "{\"component\":{\"name\":\"deis-controller\"},"
	    "\"version\":{\"data\":{\"description\":\"a\\nb\\u2028\"},"
	    "\"released\":\"1970-01-01T00:00:00Z\",\"train\":\"stable\","
	    "\"version\":\"v\\u003c1\\u003e\\u0026\\\"2\\\"\"}}");
	v = row("v1", NULL, NULL, NULL);
	v.released = -62167219200LL;		/* 0000-01-01 */
	ck_assert_ptr_nonnull(strstr(render(&v),
	    "\"released\":\"0000-01-01T00:00:00Z\""));
	v.released = 253402300799LL;		/* 9999-12-31 23:59:59 */
	ck_assert_ptr_nonnull(strstr(render(&v),
	    "\"released\":\"9999-12-31T23:59:59Z\""));
}
END_TEST

/* ------------------------------------------------------------ data column */

static char *
data_json(const struct version_data *d)
{
	static char	 out[512];
	struct buf	 b = BUF_INIT;

	db_versions_data_json(&b, d);
	snprintf(out, sizeof(out), "%s", b.data);
	buf_free(&b);
	return out;
}

START_TEST(test_data_json)
{
	struct version_data	 d = { "notes", "fix", "img" };

	ck_assert_str_eq(data_json(NULL), "null");
	ck_assert_str_eq(data_json(&d),
	    "{\"description\":\"notes\",\"fixes\":\"fix\",\"image\":\"img\"}");
	d.description = "";
	d.fixes = NULL;
	d.image = "";
	ck_assert_str_eq(data_json(&d), "{\"image\":\"\"}");
	d.image = NULL;
	ck_assert_str_eq(data_json(&d), "{}");
}
END_TEST

struct data_case {
	const char	*text;
	const char	*description;
	const char	*fixes;
	const char	*image;
};

static const struct data_case datas[] = {
	{ "{\"description\":\"d\",\"fixes\":\"f\",\"image\":\"i\"}",
	    "d", "f", "i" },
	/* test_data.sql of the original: only "notes", dropped. */
	{ "{\"notes\":\"release notes\"}", NULL, NULL, NULL },
	{ "{\"Description\":\"d\",\"IMAGE\":\"i\"}", "d", NULL, "i" },
	{ "{\"image\":\"a\",\"Image\":\"b\"}", NULL, NULL, "b" },
	{ "{\"image\":\"a\",\"image\":null}", NULL, NULL, NULL },
	{ "{\"fixes\":5,\"description\":{\"x\":1}}", NULL, NULL, NULL },
	{ "{\"image\":\"\"}", NULL, NULL, "" },
	{ "{\"description\":\"\\u00e9\\n\"}", "\xc3\xa9\n", NULL, NULL },
	{ "null", NULL, NULL, NULL },
	{ "[1,2]", NULL, NULL, NULL },
	{ "\"text\"", NULL, NULL, NULL },
	{ "{broken", NULL, NULL, NULL },
	{ "", NULL, NULL, NULL },
};

static void
same(const char *got, const char *want, const char *what, int i)
{
	if (want == NULL)
		ck_assert_msg(got == NULL, "case %d: %s should be absent, "
		    "got \"%s\"", i, what, got);
	else
		ck_assert_msg(got != NULL && strcmp(got, want) == 0,
		    "case %d: %s: got %s%s%s, want \"%s\"", i, what,
		    got ? "\"" : "", got ? got : "NULL", got ? "\"" : "",
		    want);
}

START_TEST(test_data_parse)
{
	const struct data_case	*c = &datas[_i];
	struct arena		 a;
	struct version_data	 d;

	arena_init(&a);
	db_versions_data_parse(&a, c->text, strlen(c->text), &d);
	same(d.description, c->description, "description", _i);
	same(d.fixes, c->fixes, "fixes", _i);
	same(d.image, c->image, "image", _i);
	arena_free(&a);
}
END_TEST

/* ------------------------------------------------------------ latest */

START_TEST(test_pick)
{
	struct db_version	 r[5];
	const char		*v1[] = { "v2.9.0", "latest", "v2.10.0",
	    "2.10.0", "v2.10.0-rc1" };
	const char		*v2[] = { "canary", "git-abc1234", "latest" };

	memset(r, 0, sizeof(r));
	for (int i = 0; i < 5; i++) {
		r[i].id = 10 + i;
		r[i].version = v1[i];
	}
	/* v2.10.0 and 2.10.0 have the same precedence: first published. */
	ck_assert_str_eq(db_versions_pick(r, 5)->version, "v2.10.0");
	ck_assert_int_eq(db_versions_pick(r, 5)->id, 12);
	r[2].id = 20;
	ck_assert_int_eq(db_versions_pick(r, 5)->id, 13);
	/* Non-semver names rank below semver ones... */
	ck_assert_str_eq(db_versions_pick(r, 2)->version, "v2.9.0");
	/* ... and among themselves the first published wins. */
	for (int i = 0; i < 3; i++) {
		r[i].id = 30 - i;
		r[i].version = v2[i];
	}
	ck_assert_str_eq(db_versions_pick(r, 3)->version, "latest");
	ck_assert_ptr_null(db_versions_pick(r, 0));
	ck_assert(db_versions_better(&r[2], &r[0]));
	ck_assert(!db_versions_better(&r[0], &r[2]));
}
END_TEST

/* ------------------------------------------------------------ tokens */

static const char	*token = "ci-token-3f1c9e";

static char *
hash_of(const char *t)
{
	static char	 hex[2 * SHA256_LEN + 1];
	uint8_t		 h[SHA256_LEN];

	sha256(t, strlen(t), h);
	hex_encode(h, sizeof(h), hex);
	return hex;
}

START_TEST(test_sha256)
{
	/* The value `printf %s abc | sha256sum' prints. */
	ck_assert_str_eq(hash_of("abc"),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ck_assert_str_eq(hash_of(""),
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

struct bearer_case {
	const char	*header;
	const char	*token;		/* NULL: refused */
};

static const struct bearer_case bearers[] = {
	{ "Bearer abc", "abc" },
	{ "bearer abc", "abc" },
	{ "BEARER  \tabc  ", "abc" },
	{ "Bearer a.b-c_d~e+f/g==", "a.b-c_d~e+f/g==" },
	{ NULL, NULL },
	{ "", NULL },
	{ "Bearer", NULL },
	{ "Bearer ", NULL },
	{ "Bearerabc", NULL },
	{ "Basic YTpi", NULL },
	{ "Token abc", NULL },
	{ " Bearer abc", NULL },
	{ "Bearer abc def", NULL },
	{ "Bearer ab\x01" "c", NULL },
};

START_TEST(test_bearer)
{
	const struct bearer_case *c = &bearers[_i];
	const char	*t;
	size_t		 n;
	int		 rc;

	rc = auth_bearer(c->header, &t, &n);
	if (c->token == NULL) {
		ck_assert_msg(rc == -1, "case %d accepted", _i);
		ck_assert_ptr_null(t);
	} else {
		ck_assert_msg(rc == 0, "case %d refused", _i);
		ck_assert_uint_eq(n, strlen(c->token));
		ck_assert(strncmp(t, c->token, n) == 0);
	}
}
END_TEST

static struct config *
config_with(const char *const *lines, size_t n)
{
	struct config	*cfg = config_defaults();
	char		 msg[256];

	for (size_t i = 0; i < n; i += 2)
		ck_assert_msg(config_set(cfg, lines[i], lines[i + 1], msg,
		    sizeof(msg)) == 0, "%s: %s", lines[i], msg);
	return cfg;
}

START_TEST(test_scope)
{
	char		 line[200];
	const char	*lines[] = { "publish_token", line };
	struct config	*cfg;

	snprintf(line, sizeof(line), "sha256:%s components=deis-*,"
	    "workflow-[mn]*,?x trains=stable,beta", hash_of(token));
	cfg = config_with(lines, 2);
	ck_assert_uint_eq(cfg->npublish_tokens, 1);
	ck_assert(auth_scope_ok(&cfg->publish_tokens[0], "deis-router",
	    "stable"));
	ck_assert(auth_scope_ok(&cfg->publish_tokens[0], "deis-", "beta"));
	ck_assert(auth_scope_ok(&cfg->publish_tokens[0], "workflow-manager",
	    "stable"));
	ck_assert(auth_scope_ok(&cfg->publish_tokens[0], "ax", "stable"));
	ck_assert(!auth_scope_ok(&cfg->publish_tokens[0], "workflow-cli",
	    "stable"));
	ck_assert(!auth_scope_ok(&cfg->publish_tokens[0], "xdeis-router",
	    "stable"));
	ck_assert(!auth_scope_ok(&cfg->publish_tokens[0], "abx", "stable"));
	ck_assert(!auth_scope_ok(&cfg->publish_tokens[0], "deis-router",
	    "Stable"));
	ck_assert(!auth_scope_ok(&cfg->publish_tokens[0], "deis-router",
	    "stable2"));
	ck_assert(!auth_scope_ok(&cfg->publish_tokens[0], "deis-router", ""));
	config_free(cfg);

	/* No components=, no trains=: anything. */
	snprintf(line, sizeof(line), "sha256:%s", hash_of(token));
	cfg = config_with(lines, 2);
	ck_assert(auth_scope_ok(&cfg->publish_tokens[0], "anything", "x"));
	config_free(cfg);
}
END_TEST

static char *
bearer(const char *t)
{
	static char	 h[128];

	snprintf(h, sizeof(h), "Bearer %s", t);
	return h;
}

/* The token must never show in what an error carries. */
static void
no_token(const struct api_error *err)
{
	ck_assert_ptr_null(strstr(err->message, token));
	ck_assert_ptr_null(strstr(err->log, token));
	ck_assert_ptr_null(strstr(err->header_value, token));
}

START_TEST(test_publish_auth)
{
	char			 l1[200], l2[200];
	const char		*lines[] = { "publish_token", l1,
	    "publish_token", l2 };
	struct config		*cfg;
	struct api_error	 err;

	snprintf(l1, sizeof(l1), "sha256:%s components=deis-* trains=stable",
	    hash_of(token));
	snprintf(l2, sizeof(l2), "sha256:%s", hash_of("other-token"));
	cfg = config_with(lines, 4);

	apierr_clear(&err);
	ck_assert_int_eq(auth_publish(cfg, bearer(token), "deis-router",
	    "stable", &err), 0);
	ck_assert_int_eq(auth_publish(cfg, bearer("other-token"),
	    "anything", "beta", &err), 0);

	/* Outside the scope: 403 naming what was refused. */
	apierr_clear(&err);
	ck_assert_int_eq(auth_publish(cfg, bearer(token), "deis-router",
	    "beta", &err), -1);
	ck_assert_int_eq(err.code, APIERR_FORBIDDEN);
	ck_assert_str_eq(err.message, "this publisher token may not publish "
	    "component \"deis-router\" on train \"beta\"");
	ck_assert_str_eq(err.header_name, "");
	no_token(&err);
	apierr_clear(&err);
	ck_assert_int_eq(auth_publish(cfg, bearer(token), "router",
	    "stable", &err), -1);
	ck_assert_int_eq(err.code, APIERR_FORBIDDEN);
	/* A name that cannot be quoted is not. */
	apierr_clear(&err);
	ck_assert_int_eq(auth_publish(cfg, bearer(token), "x\xff", "stable",
	    &err), -1);
	ck_assert_int_eq(err.code, APIERR_FORBIDDEN);
	ck_assert_ptr_null(strstr(err.message, "\xff"));

	/* Unknown, missing or malformed: 401 with WWW-Authenticate. */
	const char *bad[] = { "Bearer ci-token-3f1c9",
	    "Bearer ci-token-3f1c9ex", "Bearer CI-TOKEN-3F1C9E", NULL,
	    "Basic Y2k6Y2k=", "Bearer ", "ci-token-3f1c9e" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		apierr_clear(&err);
		ck_assert_int_eq(auth_publish(cfg, bad[i], "deis-router",
		    "stable", &err), -1);
		ck_assert_int_eq(err.code, APIERR_UNAUTHORIZED);
		ck_assert_str_eq(err.header_name, "WWW-Authenticate");
		ck_assert_str_eq(err.header_value, "Bearer");
		ck_assert_str_eq(err.message, "a valid publisher token is "
		    "required: Authorization: Bearer <token>");
		no_token(&err);
	}
	config_free(cfg);
}
END_TEST

START_TEST(test_publish_auth_union)
{
	char			 l1[200], l2[200];
	const char		*lines[] = { "publish_token", l1,
	    "publish_token", l2 };
	struct config		*cfg;
	struct api_error	 err;

	/* The same token twice: either line's scope allows. */
	snprintf(l1, sizeof(l1), "sha256:%s trains=stable", hash_of(token));
	snprintf(l2, sizeof(l2), "sha256:%s trains=beta", hash_of(token));
	cfg = config_with(lines, 4);
	apierr_clear(&err);
	ck_assert_int_eq(auth_publish(cfg, bearer(token), "c", "stable",
	    &err), 0);
	ck_assert_int_eq(auth_publish(cfg, bearer(token), "c", "beta", &err),
	    0);
	ck_assert_int_eq(auth_publish(cfg, bearer(token), "c", "canary",
	    &err), -1);
	ck_assert_int_eq(err.code, APIERR_FORBIDDEN);
	config_free(cfg);
}
END_TEST

START_TEST(test_publish_unconfigured)
{
	const char		*off[] = { "publish_auth", "off" };
	struct config		*cfg;
	struct api_error	 err;

	/* No token configured: 403 saying how to configure one. */
	cfg = config_with(NULL, 0);
	ck_assert(cfg->publish_auth);
	apierr_clear(&err);
	ck_assert_int_eq(auth_publish(cfg, bearer(token), "c", "stable",
	    &err), -1);
	ck_assert_int_eq(err.code, APIERR_FORBIDDEN);
	ck_assert_ptr_nonnull(strstr(err.message, "publish_token"));
	ck_assert_ptr_nonnull(strstr(err.message,
	    "workflow-manager-api.conf(5)"));
	apierr_clear(&err);
	ck_assert_int_eq(auth_publish(cfg, NULL, "c", "stable", &err), -1);
	ck_assert_int_eq(err.code, APIERR_FORBIDDEN);
	config_free(cfg);

	/* publish_auth = off: anyone. */
	cfg = config_with(off, 2);
	apierr_clear(&err);
	ck_assert_int_eq(auth_publish(cfg, NULL, "c", "stable", &err), 0);
	ck_assert_int_eq(auth_publish(cfg, "Basic x", "c", "s", &err), 0);
	config_free(cfg);
}
END_TEST

static Suite *
versions_suite(void)
{
	Suite	*s = suite_create("versions");
	TCase	*tc;

	tc = tcase_create("names");
	tcase_add_loop_test(tc, test_name, 0, NELEM(names));
	tcase_add_test(tc, test_name_chars);
	suite_add_tcase(s, tc);

	tc = tcase_create("render");
	tcase_add_test(tc, test_render_full);
	tcase_add_test(tc, test_render_omissions);
	tcase_add_test(tc, test_render_escaping_and_years);
	tcase_add_test(tc, test_data_json);
	tcase_add_loop_test(tc, test_data_parse, 0, NELEM(datas));
	suite_add_tcase(s, tc);

	tc = tcase_create("latest");
	tcase_add_test(tc, test_pick);
	suite_add_tcase(s, tc);

	tc = tcase_create("tokens");
	tcase_add_test(tc, test_sha256);
	tcase_add_loop_test(tc, test_bearer, 0, NELEM(bearers));
	tcase_add_test(tc, test_scope);
	tcase_add_test(tc, test_publish_auth);
	tcase_add_test(tc, test_publish_auth_union);
	tcase_add_test(tc, test_publish_unconfigured);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return th_run(versions_suite());
}
