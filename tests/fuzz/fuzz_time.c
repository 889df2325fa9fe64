/* fuzz_time.c: libFuzzer target for the RFC 3339 and duration parsers. */
#include "config.h"

#include <inttypes.h>

#include "fuzz.h"
#include "timefmt.h"

#define YEAR_SECS_0	(-62167219200LL)	/* 0000-01-01T00:00:00Z */
#define YEAR_SECS_10000	253402300800LL		/* 10000-01-01T00:00:00Z */

/*
 * The input is one string given to both parsers.  What parses must
 * format and parse back to the same instant (whole seconds through
 * time_format_s, milliseconds through time_format_ms), and the civil
 * date conversions must be inverse to each other.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	struct wtime	 t, t2;
	int64_t		 secs, y;
	unsigned	 m, d;
	char		 buf[64];
	size_t		 n;

	if (time_parse_rfc3339(s, size, &t) == 0) {
		FUZZ_CHECK(t.nsec >= 0 && t.nsec < 1000000000);
		FUZZ_CHECK(t.fracdigits >= 0 && t.fracdigits <= 9);
		FUZZ_CHECK(t.offset > -86400 && t.offset < 86400);
		FUZZ_CHECK(t.sec >= YEAR_SECS_0 - 86400 &&
		    t.sec < YEAR_SECS_10000 + 86400);
		n = time_format_s(t.sec, buf, sizeof(buf));
		FUZZ_CHECK(n < sizeof(buf) && strlen(buf) == n);
		if (t.sec >= YEAR_SECS_0 && t.sec < YEAR_SECS_10000) {
			FUZZ_CHECK(n == 20);
			FUZZ_CHECK(time_parse_rfc3339(buf, n, &t2) == 0);
			FUZZ_CHECK(t2.sec == t.sec && t2.nsec == 0 &&
			    t2.offset == 0);
			n = time_format_ms(t.sec, t.nsec, buf, sizeof(buf));
			FUZZ_CHECK(n == 24);
			FUZZ_CHECK(time_parse_rfc3339(buf, n, &t2) == 0);
			FUZZ_CHECK(t2.sec == t.sec &&
			    t2.nsec == t.nsec / 1000000 * 1000000);
		}
		n = time_format_go(&t, buf, sizeof(buf));
		FUZZ_CHECK(n <= 41 && strlen(buf) == n);
		/* A short buffer is cut, never overrun. */
		n = time_format_go(&t, buf, 7);
		FUZZ_CHECK(n == 6 && strlen(buf) == 6);
		FUZZ_CHECK(time_format_ms(t.sec, t.nsec, NULL, 0) == 0);
	}

	if (time_parse_duration(s, size, &secs) == 0)
		FUZZ_CHECK(secs > 0 && secs <= 3155760000LL);

	/* Civil dates: any 8 bytes as a day number, within +-10^15 days. */
	if (size >= 8) {
		int64_t	 z;

		memcpy(&z, data, sizeof(z));
		z %= 1000000000000000LL;
		time_civil_from_days(z, &y, &m, &d);
		FUZZ_CHECK(m >= 1 && m <= 12 && d >= 1 && d <= 31);
		FUZZ_CHECK(time_days_from_civil(y, m, d) == z);
		/* Arbitrary seconds format without overrunning anything. */
		memcpy(&secs, data, sizeof(secs));
		n = time_format_ms(secs, (int32_t)secs, buf, sizeof(buf));
		FUZZ_CHECK(strlen(buf) == n);
		t.sec = secs;
		t.nsec = (int32_t)(secs >> 7);
		t.offset = (int32_t)(secs >> 3) % 86400;
		t.fracdigits = 0;
		n = time_format_go(&t, buf, sizeof(buf));
		FUZZ_CHECK(strlen(buf) == n);
	}
	return 0;
}
