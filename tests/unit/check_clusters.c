/* check_clusters.c: cluster filters, cursors, the cluster and doctor models. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <check.h>

#include "arena.h"
#include "buf.h"
#include "clusters_filter.h"
#include "crypto.h"
#include "clusters_model.h"
#include "jw.h"
#include "testhelp.h"
#include "timefmt.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define UUID1 "8c6da034-c8b1-489a-a55d-a2215d93f934"

static const struct json_limits limits = { 64, 100000 };

static struct wtime
at(const char *s)
{
	struct wtime	 t;

	ck_assert_msg(time_parse_rfc3339(s, strlen(s), &t) == 0,
	    "bad test time %s", s);
	return t;
}

/* ------------------------------------------------------------ bounds */

START_TEST(test_bound_rfc3339)
{
	struct api_error err;
	struct wtime	 now = at("2030-06-01T12:00:00Z"), t;

	apierr_clear(&err);
	ck_assert_int_eq(cf_parse_bound("created_after",
	    "2016-03-11T23:54:39Z", &now, &t, &err), 0);
	ck_assert(t.sec == at("2016-03-11T23:54:39Z").sec);
	ck_assert_int_eq(cf_parse_bound("created_after",
	    "2016-03-12T01:54:39.25+02:00", &now, &t, &err), 0);
	ck_assert(t.sec == at("2016-03-11T23:54:39Z").sec);
	ck_assert_int_eq(t.nsec, 250000000);
	ck_assert_int_eq(t.offset, 7200);
}
END_TEST

static const struct {
	const char	*raw;
	int64_t		 secs;
} durations[] = {
	{ "7d", 7 * 86400 },
	{ "36h", 36 * 3600 },
	{ "90m", 90 * 60 },
	{ "45s", 45 },
	{ "2w", 14 * 86400 },
};

START_TEST(test_bound_duration)
{
	struct api_error err;
	struct wtime	 now = at("2030-06-01T12:00:00.123456789Z"), t;

	apierr_clear(&err);
	ck_assert_int_eq(cf_parse_bound("checked_in_after",
	    durations[_i].raw, &now, &t, &err), 0);
	ck_assert(t.sec == now.sec - durations[_i].secs);
	/* Truncated to microseconds, in UTC. */
	ck_assert_int_eq(t.nsec, 123456000);
	ck_assert_int_eq(t.offset, 0);
}
END_TEST

static const char *const bad_bounds[] = {
	"2020-01-01", "yesterday", "7", "0d", "-7d", "7y", "d",
	"2020-01-01t00:00:00z", "2020-01-01T00:00:00 01:00",
	"2020-02-30T00:00:00Z", " 7d", "7d ", "1.5h",
};

START_TEST(test_bound_bad)
{
	struct api_error err;
	struct wtime	 now = at("2030-06-01T12:00:00Z"), t;
	char		 want[256];

	apierr_clear(&err);
	ck_assert_int_eq(cf_parse_bound("created_before", bad_bounds[_i],
	    &now, &t, &err), -1);
	ck_assert_int_eq(err.code, APIERR_VALIDATION);
	snprintf(want, sizeof(want), "created_before in query must be of "
	    "type date-time: \"%s\"", bad_bounds[_i]);
	ck_assert_str_eq(err.message, want);
}
END_TEST

START_TEST(test_instant_no_duration)
{
	struct api_error err;
	struct wtime	 t;

	apierr_clear(&err);
	ck_assert_int_eq(cf_parse_instant("epoch", "7d", &t, &err), -1);
	ck_assert_str_eq(err.message,
	    "epoch in query must be of type date-time: \"7d\"");
	ck_assert_int_eq(cf_parse_instant("epoch", "2017-01-01T00:00:00Z",
	    &t, &err), 0);
}
END_TEST

/* ------------------------------------------------------------ filters */

#define PAST	"2030-06-01T11:00:00Z"
#define NOW	"2030-06-01T12:00:00Z"
#define FUTURE	"2030-06-01T13:00:00Z"
#define GP	"2030-06-01 11:00:00 +0000 UTC"
#define GN	"2030-06-01 12:00:00 +0000 UTC"
#define GF	"2030-06-01 13:00:00 +0000 UTC"

#define R1 "checked_in_before needs to be greater than or equal to " \
	"created_before"
#define R2 "checked_in_before needs to be greater than checked_in_after"
#define R3 "created_before needs to be greater than created_after"
#define R4 "checked_in_before needs to be after created_after"

/*
 * TestNewClusterAgeFilter, every case, as (checked_in_before,
 * checked_in_after, created_before, created_after), with the message the
 * original's rule gives ("" = accepted).
 */
static const struct {
	const char	*cib, *cia, *cb, *ca;
	const char	*msg;
} age_cases[] = {
	{ NOW, NOW, FUTURE, NOW, "impossible filter for keys/times "
	    "(created_before (" GF "), checked_in_before (" GN ")): " R1 },
	{ NOW, FUTURE, FUTURE, NOW, "impossible filter for keys/times "
	    "(created_before (" GF "), checked_in_before (" GN ")): " R1 },
	{ PAST, NOW, FUTURE, NOW, "impossible filter for keys/times "
	    "(created_before (" GF "), checked_in_before (" GP ")): " R1 },
	{ FUTURE, NOW, NOW, NOW, "impossible filter for keys/times "
	    "(created_after (" GN "), created_before (" GN ")): " R3 },
	{ FUTURE, NOW, NOW, FUTURE, "impossible filter for keys/times "
	    "(created_after (" GF "), created_before (" GN ")): " R3 },
	{ FUTURE, NOW, PAST, NOW, "impossible filter for keys/times "
	    "(created_after (" GN "), created_before (" GP ")): " R3 },
	{ FUTURE, NOW, FUTURE, NOW, "" },
	{ FUTURE, NOW, NOW, PAST, "" },
};

static void
age_filter_of(struct age_filter *f, const char *cib, const char *cia,
    const char *cb, const char *ca)
{
	const char	*v[CF__MAX];

	v[CF_CHECKED_IN_BEFORE] = cib;
	v[CF_CHECKED_IN_AFTER] = cia;
	v[CF_CREATED_BEFORE] = cb;
	v[CF_CREATED_AFTER] = ca;
	memset(f, 0, sizeof(*f));
	for (int b = 0; b < CF__MAX; b++)
		if (v[b] != NULL) {
			f->set[b] = true;
			f->t[b] = at(v[b]);
		}
}

START_TEST(test_age_filter_original)
{
	struct api_error err;
	struct age_filter f;
	int		 rc;

	apierr_clear(&err);
	age_filter_of(&f, age_cases[_i].cib, age_cases[_i].cia,
	    age_cases[_i].cb, age_cases[_i].ca);
	rc = cf_age_check(&f, &err);
	if (age_cases[_i].msg[0] == '\0') {
		ck_assert_int_eq(rc, 0);
		ck_assert_int_eq(err.code, APIERR_OK);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_int_eq(err.code, APIERR_BAD_REQUEST);
		ck_assert_str_eq(err.message, age_cases[_i].msg);
	}
}
END_TEST

/* The rules apply to the bounds given; rules 2 and 4 alone. */
START_TEST(test_age_filter_subsets)
{
	struct api_error err;
	struct age_filter f;

	apierr_clear(&err);
	age_filter_of(&f, NULL, NULL, NULL, NULL);
	ck_assert_int_eq(cf_age_check(&f, &err), 0);
	age_filter_of(&f, NULL, NOW, FUTURE, NULL);
	ck_assert_int_eq(cf_age_check(&f, &err), 0);

	age_filter_of(&f, NOW, NOW, NULL, NULL);
	ck_assert_int_eq(cf_age_check(&f, &err), -1);
	ck_assert_str_eq(err.message, "impossible filter for keys/times "
	    "(checked_in_before (" GN "), checked_in_after (" GN ")): " R2);
	age_filter_of(&f, PAST, NOW, NULL, NULL);
	ck_assert_int_eq(cf_age_check(&f, &err), -1);
	ck_assert_str_eq(err.message, "impossible filter for keys/times "
	    "(checked_in_before (" GP "), checked_in_after (" GN ")): " R2);

	/* Rule 4 is reachable once created_before is not given. */
	age_filter_of(&f, NOW, NULL, NULL, NOW);
	ck_assert_int_eq(cf_age_check(&f, &err), -1);
	ck_assert_str_eq(err.message, "impossible filter for keys/times "
	    "(checked_in_before (" GN "), created_after (" GN ")): " R4);
	age_filter_of(&f, FUTURE, NULL, NULL, NOW);
	ck_assert_int_eq(cf_age_check(&f, &err), 0);

	/* Order: rule 1 before rule 2 before rule 3. */
	age_filter_of(&f, NOW, FUTURE, FUTURE, FUTURE);
	ck_assert_int_eq(cf_age_check(&f, &err), -1);
	ck_assert(strstr(err.message, R1) != NULL);
	age_filter_of(&f, NOW, FUTURE, NOW, FUTURE);
	ck_assert_int_eq(cf_age_check(&f, &err), -1);
	ck_assert(strstr(err.message, R2) != NULL);
}
END_TEST

/* Times printed the way Go printed them: offsets and fractions. */
START_TEST(test_age_filter_texts)
{
	struct api_error err;
	struct age_filter f;

	apierr_clear(&err);
	age_filter_of(&f, "2030-01-01T00:00:00Z", NULL,
	    "2031-01-01T00:00:00Z", NULL);
	ck_assert_int_eq(cf_age_check(&f, &err), -1);
	ck_assert_str_eq(err.message, "impossible filter for keys/times "
	    "(created_before (2031-01-01 00:00:00 +0000 UTC), "
	    "checked_in_before (2030-01-01 00:00:00 +0000 UTC)): "
	    "checked_in_before needs to be greater than or equal to "
	    "created_before");
	age_filter_of(&f, NULL, NULL, "2030-01-01T00:00:00.120+05:00",
	    "2030-01-01T00:00:00.500+05:00");
	ck_assert_int_eq(cf_age_check(&f, &err), -1);
	ck_assert_str_eq(err.message, "impossible filter for keys/times "
	    "(created_after (2030-01-01 00:00:00.5 +0500 +0500), "
	    "created_before (2030-01-01 00:00:00.12 +0500 +0500)): " R3);
	/* Instants, not wall clocks: 01:00+01:00 equals 00:00Z. */
	age_filter_of(&f, NULL, NULL, "2030-01-01T01:00:00+01:00",
	    "2030-01-01T00:00:00Z");
	ck_assert_int_eq(cf_age_check(&f, &err), -1);
	ck_assert_str_eq(err.message, "impossible filter for keys/times "
	    "(created_after (2030-01-01 00:00:00 +0000 UTC), "
	    "created_before (2030-01-01 01:00:00 +0100 +0100)): " R3);
}
END_TEST

/* TestNewClusterCheckinsFilter and TestNewPersistentClustersFilter. */
START_TEST(test_checkins_persistent_filters)
{
	struct api_error err;
	struct wtime	 past = at(PAST), now = at(NOW);

	apierr_clear(&err);
	ck_assert_int_eq(cf_checkins_check(&now, &now, &err), -1);
	ck_assert_int_eq(err.code, APIERR_BAD_REQUEST);
	ck_assert_str_eq(err.message, "impossible filter for keys/times "
	    "(created_after (" GN "), created_before (" GN ")): " R3);
	ck_assert_int_eq(cf_checkins_check(&now, &past, &err), -1);
	ck_assert_str_eq(err.message, "impossible filter for keys/times "
	    "(created_after (" GN "), created_before (" GP ")): " R3);
	apierr_clear(&err);
	ck_assert_int_eq(cf_checkins_check(&past, &now, &err), 0);
	ck_assert_int_eq(err.code, APIERR_OK);

	ck_assert_int_eq(cf_persistent_check(&now, &now, &err), -1);
	ck_assert_int_eq(err.code, APIERR_BAD_REQUEST);
	ck_assert_str_eq(err.message, "impossible filter for keys/times "
	    "(epoch (" GN "), timestamp (" GN ")): "
	    "epoch needs to be less than timestamp");
	ck_assert_int_eq(cf_persistent_check(&now, &past, &err), -1);
	ck_assert_str_eq(err.message, "impossible filter for keys/times "
	    "(epoch (" GN "), timestamp (" GP ")): "
	    "epoch needs to be less than timestamp");
	apierr_clear(&err);
	ck_assert_int_eq(cf_persistent_check(&past, &now, &err), 0);
}
END_TEST

/* ------------------------------------------------------------ times */

START_TEST(test_time_texts)
{
	char	 b[64];
	int64_t	 t = at("2016-03-11T23:54:39Z").sec * 1000000;

	cf_sql_time(0, b);
	ck_assert_str_eq(b, "1970-01-01 00:00:00.000000");
	cf_sql_time(-1, b);
	ck_assert_str_eq(b, "1969-12-31 23:59:59.999999");
	cf_sql_time(t + 123456, b);
	ck_assert_str_eq(b, "2016-03-11 23:54:39.123456");
	cf_sql_time(cf_us(&(struct wtime){ at("0000-06-01T00:00:00Z").sec,
	    0, 0, 0 }), b);
	ck_assert_str_eq(b, "-infinity");
	cf_sql_time(at("0001-01-01T00:00:00Z").sec * 1000000, b);
	ck_assert_str_eq(b, "0001-01-01 00:00:00.000000");

	ck_assert_uint_eq(cf_format_ms(t + 999999, b, sizeof(b)), 24);
	ck_assert_str_eq(b, "2016-03-11T23:54:39.999Z");
	cf_format_ms(t, b, sizeof(b));
	ck_assert_str_eq(b, "2016-03-11T23:54:39.000Z");

	cf_format_nano(t, b, sizeof(b));
	ck_assert_str_eq(b, "2016-03-11T23:54:39Z");
	cf_format_nano(t + 500000, b, sizeof(b));
	ck_assert_str_eq(b, "2016-03-11T23:54:39.5Z");
	cf_format_nano(t + 123456, b, sizeof(b));
	ck_assert_str_eq(b, "2016-03-11T23:54:39.123456Z");
	cf_format_nano(t + 10, b, sizeof(b));
	ck_assert_str_eq(b, "2016-03-11T23:54:39.00001Z");
}
END_TEST

/* ------------------------------------------------------------ cursor */

static const struct {
	const char	*in, *out;
} b64_vectors[] = {
	{ "", "" }, { "f", "Zg" }, { "fo", "Zm8" }, { "foo", "Zm9v" },
	{ "foob", "Zm9vYg" }, { "fooba", "Zm9vYmE" }, { "foobar", "Zm9vYmFy" },
	{ "\xfb\xff\xbf", "-_-_" },
};

START_TEST(test_b64url)
{
	char	 enc[32];
	uint8_t	 dec[32];
	size_t	 n = strlen(b64_vectors[_i].in);

	ck_assert_uint_eq(base64url_encode((const uint8_t *)
	    b64_vectors[_i].in, n, enc), strlen(b64_vectors[_i].out));
	ck_assert_str_eq(enc, b64_vectors[_i].out);
	ck_assert_int_eq(base64url_decode(enc, strlen(enc), dec, sizeof(dec)),
	    (long)n);
	ck_assert(memcmp(dec, b64_vectors[_i].in, n) == 0);
}
END_TEST

START_TEST(test_b64url_bad)
{
	uint8_t	 dec[8];

	ck_assert_int_eq(base64url_decode("Zh", 2, dec, sizeof(dec)), -1);
	ck_assert_int_eq(base64url_decode("Z", 1, dec, sizeof(dec)), -1);
	ck_assert_int_eq(base64url_decode("Zm9v+", 5, dec, sizeof(dec)), -1);
	ck_assert_int_eq(base64url_decode("Zm9=", 4, dec, sizeof(dec)), -1);
	ck_assert_int_eq(base64url_decode("Zm9vYmFyYmF6", 12, dec, 8), -1);
}
END_TEST

static void
sample_cursor(struct age_cursor *c, uint8_t fh[CF_FHASH_LEN])
{
	const char	*raw[CF__MAX] = { "7d", NULL, NULL,
	    "2030-01-01T00:00:00Z" };

	memset(c, 0, sizeof(*c));
	c->first_us = 1458863079123456LL;
	snprintf(c->id, sizeof(c->id), "%s", UUID1);
	c->set[CF_CREATED_AFTER] = true;
	c->bound_us[CF_CREATED_AFTER] = -62135596800000000LL;
	c->set[CF_CHECKED_IN_BEFORE] = true;
	c->bound_us[CF_CHECKED_IN_BEFORE] = 1893456000000000LL;
	cf_filter_hash(raw, fh);
}

START_TEST(test_cursor_roundtrip)
{
	struct api_error err;
	struct age_cursor c, d;
	uint8_t		 fh[CF_FHASH_LEN];
	char		 text[CF_CURSOR_LEN + 1];

	apierr_clear(&err);
	sample_cursor(&c, fh);
	cf_cursor_encode(&c, fh, text);
	ck_assert_uint_eq(strlen(text), CF_CURSOR_LEN);
	ck_assert(strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrst"
	    "uvwxyz0123456789-_") == CF_CURSOR_LEN);
	ck_assert_int_eq(cf_cursor_decode(text, fh, &d, &err), 0);
	ck_assert(d.first_us == c.first_us);
	ck_assert_str_eq(d.id, UUID1);
	for (int b = 0; b < CF__MAX; b++) {
		ck_assert(d.set[b] == c.set[b]);
		ck_assert(d.bound_us[b] == c.bound_us[b]);
	}
}
END_TEST

START_TEST(test_cursor_filters_differ)
{
	struct api_error err;
	struct age_cursor c, d;
	uint8_t		 fh[CF_FHASH_LEN], other[CF_FHASH_LEN];
	char		 text[CF_CURSOR_LEN + 1];
	const char	*raw[CF__MAX] = { "8d", NULL, NULL,
	    "2030-01-01T00:00:00Z" };
	const char	*absent[CF__MAX] = { NULL, NULL, NULL, NULL };
	const char	*empty_name[CF__MAX] = { "", NULL, NULL, NULL };

	apierr_clear(&err);
	sample_cursor(&c, fh);
	cf_cursor_encode(&c, fh, text);
	cf_filter_hash(raw, other);
	ck_assert_int_eq(cf_cursor_decode(text, other, &d, &err), -1);
	ck_assert_int_eq(err.code, APIERR_BAD_REQUEST);
	ck_assert_str_eq(err.message, "cursor is not valid for these filters");
	/* Absent and empty hash differently. */
	cf_filter_hash(absent, fh);
	cf_filter_hash(empty_name, other);
	ck_assert(memcmp(fh, other, CF_FHASH_LEN) != 0);
}
END_TEST

START_TEST(test_cursor_malformed)
{
	struct api_error err;
	struct age_cursor c, d;
	uint8_t		 fh[CF_FHASH_LEN];
	char		 text[CF_CURSOR_LEN + 1], bad[CF_CURSOR_LEN + 2];

	sample_cursor(&c, fh);
	cf_cursor_encode(&c, fh, text);
	/* Empty, short, long, a bad character, another version. */
	apierr_clear(&err);
	ck_assert_int_eq(cf_cursor_decode("", fh, &d, &err), -1);
	ck_assert_str_eq(err.message, "cursor is not valid");
	ck_assert_int_eq(cf_cursor_decode("abc", fh, &d, &err), -1);
	snprintf(bad, sizeof(bad), "%sA", text);
	ck_assert_int_eq(cf_cursor_decode(bad, fh, &d, &err), -1);
	ck_assert_str_eq(err.message, "cursor is not valid");
	snprintf(bad, sizeof(bad), "%s", text);
	bad[10] = '=';
	ck_assert_int_eq(cf_cursor_decode(bad, fh, &d, &err), -1);
	ck_assert_str_eq(err.message, "cursor is not valid");
	snprintf(bad, sizeof(bad), "%s", text);
	bad[0] = bad[0] == 'A' ? 'B' : 'A';	/* version byte */
	ck_assert_int_eq(cf_cursor_decode(bad, fh, &d, &err), -1);
	ck_assert_str_eq(err.message, "cursor is not valid");
	/* A flipped data bit is caught by the bound/hash checks or decodes. */
	snprintf(bad, sizeof(bad), "%s", text);
	bad[CF_CURSOR_LEN - 1] = bad[CF_CURSOR_LEN - 1] == 'w' ? 'g' : 'w';
	ck_assert_int_eq(cf_cursor_decode(bad, fh, &d, &err), -1);
}
END_TEST

/* ------------------------------------------------------------ models */

static struct arena	 arena;

static void
model_setup(void)
{
	arena_init(&arena);
}

static void
model_teardown(void)
{
	arena_free(&arena);
}

static int
decode(const char *body, const char *path_id, struct cluster_in *in,
    struct api_error *err)
{
	apierr_clear(err);
	return cluster_decode(&arena, body, strlen(body), &limits, path_id,
	    in, err);
}

/* TestPostClusters' body: capitalised keys. */
START_TEST(test_cluster_capitalised)
{
	struct api_error err;
	struct cluster_in in;

	ck_assert_int_eq(decode("{\"Components\":[{\"Component\":{\"Name\":"
	    "\"component-a\"},\"Version\":{\"Version\":\"1.0\"}}],\"ID\":\""
	    "8C6DA034C8B1489AA55DA2215D93F934\"}", NULL, &in, &err), 0);
	ck_assert_str_eq(in.id, UUID1);
	ck_assert_str_eq(in.components, "[{\"component\":{\"name\":"
	    "\"component-a\"},\"version\":{\"version\":\"1.0\"}}]");
	ck_assert_uint_eq(in.components_len, strlen(in.components));
	ck_assert_str_eq(in.data, "{\"components\":[{\"component\":{\"name\":"
	    "\"component-a\"},\"version\":{\"version\":\"1.0\"}}],\"id\":\""
	    UUID1 "\"}");
}
END_TEST

/* The original's example (3.2): unknown keys and data keys dropped. */
START_TEST(test_cluster_original_example)
{
	struct api_error err;
	struct cluster_in in;

	ck_assert_int_eq(decode("{\"id\":\"" UUID1 "\",\"components\":["
	    "{\"component\":{\"name\":\"deis-builder\",\"description\":"
	    "\"Deis Builder\"},\"version\":{\"train\":\"stable\",\"version\":"
	    "\"2.0.0\",\"released\":\"2016-03-31T23:54:39Z\",\"data\":{\"x\":1}"
	    "},\"updateAvailable\":\"2.0.1\"}],\"firstSeen\":"
	    "\"2016-03-11T23:54:39Z\",\"lastSeen\":\"not a time\",\"extra\":"
	    "\"dropped\"}\n", NULL, &in, &err), 0);
	ck_assert_str_eq(in.components, "[{\"component\":{\"description\":"
	    "\"Deis Builder\",\"name\":\"deis-builder\"},\"updateAvailable\":"
	    "\"2.0.1\",\"version\":{\"data\":{},\"released\":"
	    "\"2016-03-31T23:54:39Z\",\"train\":\"stable\",\"version\":"
	    "\"2.0.0\"}}]");
	ck_assert(strstr(in.data, "firstSeen") == NULL);
}
END_TEST

/* Every check-in shape of clients.md section 4. */
static const struct {
	const char	*body;
	const char	*components;
} shapes[] = {
	/* beta1 */
	{ "{\"id\":\"" UUID1 "\",\"firstSeen\":\"0001-01-01T00:00:00Z\","
	  "\"lastSeen\":\"0001-01-01T00:00:00Z\",\"components\":["
	  "{\"component\":{\"name\":\"deis-builder\"},\"version\":"
	  "{\"version\":\"\"}}]}",
	  "[{\"component\":{\"name\":\"deis-builder\"},\"version\":{}}]" },
	/* beta3, beta4, rc1 */
	{ "{\"id\":\"" UUID1 "\",\"components\":[{\"component\":{\"name\":"
	  "\"deis-builder\"},\"version\":{\"train\":\"\",\"version\":\"\","
	  "\"data\":null}}]}",
	  "[{\"component\":{\"name\":\"deis-builder\"},\"version\":{}}]" },
	/* rc2 ... v2.3.3 */
	{ "{\"components\":[{\"component\":{\"description\":\"\",\"name\":"
	  "\"deis-builder\"},\"version\":{\"train\":\"\"}}],\"id\":\"" UUID1
	  "\"}\n",
	  "[{\"component\":{\"description\":\"\",\"name\":\"deis-builder\"},"
	  "\"version\":{}}]" },
	/* v2.4.0 ... v2.5.1, a duplicate name, a missing version */
	{ "{\"components\":[{\"component\":{\"name\":\"deis-database\","
	  "\"type\":\"Deployment\"},\"version\":{\"data\":{\"image\":"
	  "\"quay.io/deis/postgres:v2.2.3\"},\"version\":\"v2.2.3\"}},"
	  "{\"component\":{\"name\":\"deis-database\",\"type\":"
	  "\"Replication Controller\"},\"version\":{\"data\":{\"image\":"
	  "\"quay.io/deis/postgres:v2.2.3\"},\"version\":\"v2.2.3\"}},"
	  "{\"component\":{\"name\":\"deis-registry-proxy\",\"type\":"
	  "\"Daemon Set\"},\"version\":{\"data\":{\"image\":\"\"}}},"
	  "{\"component\":{\"name\":\"x\",\"type\":\"Deployment\"}}],"
	  "\"id\":\"" UUID1 "\"}\n",
	  "[{\"component\":{\"name\":\"deis-database\",\"type\":"
	  "\"Deployment\"},\"version\":{\"data\":{\"image\":"
	  "\"quay.io/deis/postgres:v2.2.3\"},\"version\":\"v2.2.3\"}},"
	  "{\"component\":{\"name\":\"deis-database\",\"type\":"
	  "\"Replication Controller\"},\"version\":{\"data\":{\"image\":"
	  "\"quay.io/deis/postgres:v2.2.3\"},\"version\":\"v2.2.3\"}},"
	  "{\"component\":{\"name\":\"deis-registry-proxy\",\"type\":"
	  "\"Daemon Set\"},\"version\":{\"data\":{\"image\":\"\"}}},"
	  "{\"component\":{\"name\":\"x\",\"type\":\"Deployment\"}}]" },
	/* Anything inside components: null, {}, an empty name. */
	{ "{\"id\":\"" UUID1 "\",\"components\":[null,{},{\"component\":{}}]}",
	  "[null,{},{\"component\":{\"name\":\"\"}}]" },
	/* components missing, null, empty */
	{ "{\"id\":\"" UUID1 "\"}", "null" },
	{ "{\"id\":\"" UUID1 "\",\"components\":null}", "null" },
	{ "{\"id\":\"" UUID1 "\",\"components\":[]}", "[]" },
	/* HTML-sensitive characters are escaped as Go did. */
	{ "{\"id\":\"" UUID1 "\",\"components\":[{\"component\":{\"name\":"
	  "\"a<b>&c\"}}]}",
	  "[{\"component\":{\"name\":\"a\\u003cb\\u003e\\u0026c\"}}]" },
};

START_TEST(test_cluster_shapes)
{
	struct api_error err;
	struct cluster_in in;
	char		 data[4096];

	ck_assert_int_eq(decode(shapes[_i].body, NULL, &in, &err), 0);
	ck_assert_str_eq(in.id, UUID1);
	ck_assert_str_eq(in.components, shapes[_i].components);
	snprintf(data, sizeof(data), "{\"components\":%s,\"id\":\"%s\"}",
	    shapes[_i].components, UUID1);
	ck_assert_str_eq(in.data, data);
}
END_TEST

static const struct {
	const char	*body;
	const char	*path_id;
	enum apierr	 code;
	const char	*msg;	/* NULL: only the code is checked */
} cluster_bad[] = {
	{ "{}", NULL, APIERR_VALIDATION, "id in body is required" },
	{ "null", NULL, APIERR_VALIDATION, "id in body is required" },
	{ "{\"id\":\"\"}", NULL, APIERR_VALIDATION, "id in body is required" },
	{ "{\"id\":null}", NULL, APIERR_VALIDATION, "id in body is required" },
	{ "{\"id\":\"testcluster\"}", NULL, APIERR_VALIDATION,
	  "id in body must be a UUID: \"testcluster\"" },
	{ "{\"id\":\"testcluster\"}", UUID1, APIERR_VALIDATION,
	  "id in body must be a UUID: \"testcluster\"" },
	{ "{}", "nope", APIERR_VALIDATION,
	  "id in path must be a UUID: \"nope\"" },
	{ "{\"id\":5}", NULL, APIERR_BAD_REQUEST, NULL },
	{ "{\"id\":\"" UUID1 "\",\"components\":{}}", NULL,
	  APIERR_BAD_REQUEST, NULL },
	{ "{\"id\":\"" UUID1 "\",\"components\":[5]}", NULL,
	  APIERR_BAD_REQUEST, NULL },
	{ "{\"id\":\"" UUID1 "\",\"components\":[{\"component\":"
	  "{\"name\":5}}]}", NULL, APIERR_BAD_REQUEST, NULL },
	{ "[]", NULL, APIERR_BAD_REQUEST, NULL },
	{ "", NULL, APIERR_BAD_REQUEST, NULL },
	{ "{\"id\":\"" UUID1 "\"} x", NULL, APIERR_BAD_REQUEST, NULL },
	{ "{\"id\":\"" UUID1 "\",\"ID\":\"" UUID1 "\"}", NULL,
	  APIERR_BAD_REQUEST, NULL },
};

START_TEST(test_cluster_bad)
{
	struct api_error err;
	struct cluster_in in;

	ck_assert_int_eq(decode(cluster_bad[_i].body, cluster_bad[_i].path_id,
	    &in, &err), -1);
	ck_assert_int_eq(err.code, cluster_bad[_i].code);
	if (cluster_bad[_i].msg != NULL)
		ck_assert_str_eq(err.message, cluster_bad[_i].msg);
}
END_TEST

/* POST /v2/clusters/{id}: the body's id wins, the path's fills in. */
START_TEST(test_cluster_v2_path)
{
	struct api_error err;
	struct cluster_in in;

	ck_assert_int_eq(decode("{\"components\":[]}",
	    "{8C6DA034-C8B1-489A-A55D-A2215D93F934}", &in, &err), 0);
	ck_assert_str_eq(in.id, UUID1);
	ck_assert_int_eq(decode("{\"id\":\"" UUID1 "\"}",
	    "00000000-0000-0000-0000-000000000001", &in, &err), 0);
	ck_assert_str_eq(in.id, UUID1);
	ck_assert_int_eq(decode("{\"id\":\"\"}", UUID1, &in, &err), 0);
	ck_assert_str_eq(in.id, UUID1);
}
END_TEST

START_TEST(test_cluster_render)
{
	struct buf	 b = BUF_INIT;
	struct jw	 w;
	int64_t		 t = at("2016-03-11T23:54:39Z").sec * 1000000;

	jw_init(&w, &b);
	cluster_render(&w, "[]", 2, UUID1, true, t + 1500, t + 86400999999LL);
	ck_assert_str_eq(b.data, "{\"components\":[],\"firstSeen\":"
	    "\"2016-03-11T23:54:39.001Z\",\"id\":\"" UUID1 "\",\"lastSeen\":"
	    "\"2016-03-12T23:54:39.999Z\"}");
	buf_reset(&b);
	jw_init(&w, &b);
	cluster_render(&w, NULL, 0, UUID1, false, 0, 0);
	ck_assert_str_eq(b.data, "{\"components\":null,\"id\":\"" UUID1 "\"}");
	buf_free(&b);
}
END_TEST

/* ------------------------------------------------------------ doctor */

static int
doctor(const char *body, struct buf *out, struct api_error *err)
{
	apierr_clear(err);
	buf_reset(out);
	return doctor_decode(body, strlen(body), &limits, out, err);
}

START_TEST(test_doctor_full)
{
	struct api_error err;
	struct buf	 out = BUF_INIT;

	ck_assert_int_eq(doctor("{\"workflow\":{\"id\":\"testcluster\","
	    "\"components\":[{\"component\":{\"name\":\"deis-builder\"},"
	    "\"version\":{\"train\":\"\"}}],\"extra\":1},"
	    "\"nodes\":[{\"data\":{\"metadata\":{\"name\":\"n1\"},"
	    "\"z\":1.50,\"a\":12345678901234567890, \"e\": 1e400 }},"
	    "{\"data\":null},{},null],"
	    "\"namespaces\":[{\"name\":\"deis\",\"services\":[],\"pods\":"
	    "[{\"DATA\" :\n [ 1 , \"x\" ]\n}],\"replicaSets\":null},null]}\n",
	    &out, &err), 0);
	ck_assert_str_eq(out.data, "{\"namespaces\":[{\"daemonSets\":null,"
	    "\"deployments\":null,\"events\":null,\"name\":\"deis\",\"pods\":"
	    "[{\"data\":[ 1 , \"x\" ]}],\"replicaSets\":null,"
	    "\"replicationControllers\":null,\"services\":[]},null],"
	    "\"nodes\":[{\"data\":{\"metadata\":{\"name\":\"n1\"},\"z\":1.50,"
	    "\"a\":12345678901234567890, \"e\": 1e400 }},{\"data\":null},"
	    "{\"data\":null},null],\"workflow\":{\"components\":["
	    "{\"component\":{\"name\":\"deis-builder\"},\"version\":{}}],"
	    "\"id\":\"testcluster\"}}");
	buf_free(&out);
}
END_TEST

START_TEST(test_doctor_empty)
{
	struct api_error err;
	struct buf	 out = BUF_INIT;

	ck_assert_int_eq(doctor("{}", &out, &err), 0);
	ck_assert_str_eq(out.data,
	    "{\"namespaces\":null,\"nodes\":null,\"workflow\":null}");
	ck_assert_int_eq(doctor("null", &out, &err), 0);
	ck_assert_str_eq(out.data,
	    "{\"namespaces\":null,\"nodes\":null,\"workflow\":null}");
	/* TestPostDoctor's shape: only a workflow, train "". */
	ck_assert_int_eq(doctor("{\"workflow\":{\"components\":[{\"component\":"
	    "{\"name\":\"a\"},\"version\":{\"train\":\"\"}}],\"id\":\"x\","
	    "\"firstSeen\":\"2016-03-11T23:54:39+02:00\",\"lastSeen\":\"\"}}",
	    &out, &err), 0);
	ck_assert_str_eq(out.data, "{\"namespaces\":null,\"nodes\":null,"
	    "\"workflow\":{\"components\":[{\"component\":{\"name\":\"a\"},"
	    "\"version\":{}}],\"firstSeen\":\"2016-03-11T21:54:39.000Z\","
	    "\"id\":\"x\",\"lastSeen\":\"1970-01-01T00:00:00.000Z\"}}");
	buf_free(&out);
}
END_TEST

static const struct {
	const char	*body;
	enum apierr	 code;
	const char	*msg;
} doctor_bad[] = {
	{ "{\"namespaces\":[{\"pods\":[]}]}", APIERR_VALIDATION,
	  "name in body is required" },
	{ "{\"namespaces\":[{\"name\":\"\"}]}", APIERR_VALIDATION,
	  "name in body is required" },
	{ "{\"workflow\":{\"components\":[]}}", APIERR_VALIDATION,
	  "id in body is required" },
	{ "{\"workflow\":{\"id\":\"\"}}", APIERR_VALIDATION,
	  "id in body is required" },
	/* Namespaces are validated before the workflow. */
	{ "{\"workflow\":{},\"namespaces\":[{}]}", APIERR_VALIDATION,
	  "name in body is required" },
	/* A decoding error wins over a validation error. */
	{ "{\"namespaces\":[{}],\"nodes\":{}}", APIERR_BAD_REQUEST, NULL },
	{ "{\"namespaces\":{}}", APIERR_BAD_REQUEST, NULL },
	{ "{\"namespaces\":[5]}", APIERR_BAD_REQUEST, NULL },
	{ "{\"namespaces\":[{\"name\":5}]}", APIERR_BAD_REQUEST, NULL },
	{ "{\"namespaces\":[{\"name\":\"d\",\"pods\":{}}]}",
	  APIERR_BAD_REQUEST, NULL },
	{ "{\"nodes\":[5]}", APIERR_BAD_REQUEST, NULL },
	{ "{\"nodes\":[{\"data\":1,\"Data\":2}]}", APIERR_BAD_REQUEST, NULL },
	{ "{\"workflow\":[]}", APIERR_BAD_REQUEST, NULL },
	{ "{\"workflow\":{\"id\":\"x\",\"firstSeen\":\"yesterday\"}}",
	  APIERR_BAD_REQUEST, NULL },
	{ "{\"workflow\":{\"id\":\"x\",\"components\":[5]}}",
	  APIERR_BAD_REQUEST, NULL },
	{ "[]", APIERR_BAD_REQUEST, NULL },
	{ "{\"nodes\":[{\"data\":{\"a\":1,\"a\":2}}]}", APIERR_BAD_REQUEST,
	  NULL },
};

START_TEST(test_doctor_bad)
{
	struct api_error err;
	struct buf	 out = BUF_INIT;

	ck_assert_int_eq(doctor(doctor_bad[_i].body, &out, &err), -1);
	ck_assert_int_eq(err.code, doctor_bad[_i].code);
	if (doctor_bad[_i].msg != NULL)
		ck_assert_str_eq(err.message, doctor_bad[_i].msg);
	buf_free(&out);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("clusters");
	TCase	*tc;

	tc = tcase_create("bounds");
	tcase_add_test(tc, test_bound_rfc3339);
	tcase_add_loop_test(tc, test_bound_duration, 0, NELEM(durations));
	tcase_add_loop_test(tc, test_bound_bad, 0, NELEM(bad_bounds));
	tcase_add_test(tc, test_instant_no_duration);
	suite_add_tcase(s, tc);

	tc = tcase_create("filters");
	tcase_add_loop_test(tc, test_age_filter_original, 0,
	    NELEM(age_cases));
	tcase_add_test(tc, test_age_filter_subsets);
	tcase_add_test(tc, test_age_filter_texts);
	tcase_add_test(tc, test_checkins_persistent_filters);
	tcase_add_test(tc, test_time_texts);
	suite_add_tcase(s, tc);

	tc = tcase_create("cursor");
	tcase_add_loop_test(tc, test_b64url, 0, NELEM(b64_vectors));
	tcase_add_test(tc, test_b64url_bad);
	tcase_add_test(tc, test_cursor_roundtrip);
	tcase_add_test(tc, test_cursor_filters_differ);
	tcase_add_test(tc, test_cursor_malformed);
	suite_add_tcase(s, tc);

	tc = tcase_create("models");
	tcase_add_checked_fixture(tc, model_setup, model_teardown);
	tcase_add_test(tc, test_cluster_capitalised);
	tcase_add_test(tc, test_cluster_original_example);
	tcase_add_loop_test(tc, test_cluster_shapes, 0, NELEM(shapes));
	tcase_add_loop_test(tc, test_cluster_bad, 0, NELEM(cluster_bad));
	tcase_add_test(tc, test_cluster_v2_path);
	tcase_add_test(tc, test_cluster_render);
	tcase_add_test(tc, test_doctor_full);
	tcase_add_test(tc, test_doctor_empty);
	tcase_add_loop_test(tc, test_doctor_bad, 0, NELEM(doctor_bad));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return th_run(suite());
}
