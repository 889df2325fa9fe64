/* fuzz_filter.c: libFuzzer target for the cluster query bounds and cursors. */
#include "config.h"

#include "apierr.h"
#include "clusters_filter.h"
#include "crypto.h"
#include "fuzz.h"

/*
 * The input is up to six strings separated by NUL bytes: the four age
 * bounds, a paging cursor, a limit-like tail.  Every bound is parsed as
 * the age query does (RFC 3339 or a duration before a fixed "now"), the
 * impossibility checks run on them, the cursor is decoded against their
 * filter hash and must encode back to the same text, base64url must
 * round-trip, and the time writers take any instant.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char			*f[6], buf[64], text[CF_CURSOR_LEN + 1];
	const char		*raw[CF__MAX];
	const uint8_t		*p = data;
	size_t			 rest = size, len[6];
	struct age_filter	 af;
	struct age_cursor	 cur;
	struct api_error	 err;
	struct wtime		 now = { 1700000000, 123456789, 0, 9 };
	uint8_t			 fh[CF_FHASH_LEN], bin[256];
	char			 enc[400];
	long			 n;
	int64_t			 us;

	for (int i = 0; i < 6; i++)
		p = fuzz_split(p, rest, '\0', &f[i], &len[i], &rest);

	memset(&af, 0, sizeof(af));
	for (int b = 0; b < CF__MAX; b++) {
		raw[b] = len[b] > 0 ? f[b] : NULL;
		if (raw[b] == NULL)
			continue;
		apierr_clear(&err);
		if (cf_parse_bound(cf_names[b], raw[b], &now, &af.t[b],
		    &err) == -1) {
			FUZZ_CHECK(err.code == APIERR_VALIDATION);
			continue;
		}
		af.set[b] = true;
		us = cf_us(&af.t[b]);
		cf_sql_time(us, buf);
		FUZZ_CHECK(strlen(buf) < CF_SQLTIME_LEN);
		cf_format_ms(us, buf, sizeof(buf));
		cf_format_nano(us, buf, sizeof(buf));
		apierr_clear(&err);
		if (cf_parse_instant(cf_names[b], raw[b], &af.t[b], &err) ==
		    -1)
			FUZZ_CHECK(err.code == APIERR_VALIDATION);
	}
	apierr_clear(&err);
	if (cf_age_check(&af, &err) == -1)
		FUZZ_CHECK(err.code == APIERR_BAD_REQUEST);
	apierr_clear(&err);
	if (af.set[0] && af.set[1] && cf_checkins_check(&af.t[0], &af.t[1],
	    &err) == -1)
		FUZZ_CHECK(err.code == APIERR_BAD_REQUEST);

	cf_filter_hash(raw, fh);
	apierr_clear(&err);
	if (cf_cursor_decode(f[4], fh, &cur, &err) == 0) {
		cf_cursor_encode(&cur, fh, text);
		FUZZ_CHECK(strcmp(text, f[4]) == 0);
		cf_sql_time(cur.first_us, buf);
		for (int b = 0; b < CF__MAX; b++)
			cf_sql_time(cur.bound_us[b], buf);
	} else
		FUZZ_CHECK(err.code == APIERR_BAD_REQUEST);

	n = base64url_decode(f[5], len[5], bin, sizeof(bin));
	if (n >= 0) {
		FUZZ_CHECK(base64url_encode(bin, (size_t)n, enc) == len[5]);
		FUZZ_CHECK(memcmp(enc, f[5], len[5]) == 0);
	}

	/* Any microsecond count formats without overflow. */
	if (size >= 8) {
		memcpy(&us, data, sizeof(us));
		cf_sql_time(us, buf);
		FUZZ_CHECK(strlen(buf) < CF_SQLTIME_LEN);
		FUZZ_CHECK(cf_format_ms(us, buf, sizeof(buf)) < sizeof(buf));
		FUZZ_CHECK(cf_format_nano(us, buf, sizeof(buf)) < sizeof(buf));
	}
	for (int i = 0; i < 6; i++)
		free(f[i]);
	return 0;
}
