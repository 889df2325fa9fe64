/* check_timefmt.c: unit tests for RFC 3339, durations and time texts. */

#include <stdint.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "testhelp.h"
#include "timefmt.h"

/* ------------------------------------------------------------ parsing */

struct parse_ok {
	const char	*in;
	int64_t		 sec;
	int32_t		 nsec;
	int32_t		 offset;
	int		 fracdigits;
};

static const struct parse_ok parse_ok_cases[] = {
	{ "1970-01-01T00:00:00Z", 0, 0, 0, 0 },
	{ "2031-01-01T00:00:00Z", 1924992000, 0, 0, 0 },
	{ "2030-01-01T00:00:00+05:00", 1893456000 - 18000, 0, 18000, 0 },
	{ "2030-01-01T00:00:00-05:30", 1893456000 + 19800, 0, -19800, 0 },
	{ "2030-01-01T00:00:00.120-05:30", 1893456000 + 19800, 120000000,
	    -19800, 3 },
	{ "2030-01-01T00:00:00.1Z", 1893456000, 100000000, 0, 1 },
	{ "2030-01-01T00:00:00.123456789Z", 1893456000, 123456789, 0, 9 },
	{ "2030-01-01T00:00:00.000000001Z", 1893456000, 1, 0, 9 },
	{ "2030-01-01T00:00:00.000Z", 1893456000, 0, 0, 3 },
	{ "2030-01-01T00:00:00+00:00", 1893456000, 0, 0, 0 },
	{ "2030-01-01T00:00:00-00:00", 1893456000, 0, 0, 0 },
	{ "2030-01-01T00:00:00+23:59", 1893456000 - 86340, 0, 86340, 0 },
	{ "2030-01-01T00:00:00-23:59", 1893456000 + 86340, 0, -86340, 0 },
	{ "2016-12-31T23:59:59Z", 1483228799, 0, 0, 0 },
	{ "2000-02-29T00:00:00Z", 951782400, 0, 0, 0 },
	{ "2024-02-29T12:34:56Z", 1709164800 + 45296, 0, 0, 0 },
	{ "1969-12-31T23:59:59Z", -1, 0, 0, 0 },
	{ "0001-01-01T00:00:00Z", -62135596800, 0, 0, 0 },
	{ "0000-01-01T00:00:00Z", -719528LL * 86400, 0, 0, 0 },
	{ "0000-02-29T00:00:00Z", (-719528LL + 59) * 86400, 0, 0, 0 },
	{ "9999-12-31T23:59:59Z", 253402300799, 0, 0, 0 },
	{ "2030-04-30T00:00:00Z", 1893456000 + 119 * 86400, 0, 0, 0 },
};

START_TEST(test_parse_ok)
{
	const struct parse_ok	*c = &parse_ok_cases[_i];
	struct wtime		 t;

	memset(&t, 0x5a, sizeof(t));
	ck_assert_msg(time_parse_rfc3339(c->in, strlen(c->in), &t) == 0,
	    "rejected %s", c->in);
	ck_assert_int_eq(t.sec, c->sec);
	ck_assert_int_eq(t.nsec, c->nsec);
	ck_assert_int_eq(t.offset, c->offset);
	ck_assert_int_eq(t.fracdigits, c->fracdigits);
}
END_TEST

static const char *const parse_bad_cases[] = {
	"",
	"2030-01-01",
	"2030-01-01T00:00:00",
	"2030-01-01T00:00Z",
	"2030-01-01t00:00:00Z",
	"2030-01-01T00:00:00z",
	"2030-01-01 00:00:00Z",
	"2030-01-01T00:00:00 Z",
	"2030-01-01T00:00:00Z ",
	" 2030-01-01T00:00:00Z",
	"2030-01-01T00:00:00ZZ",
	"2030-01-01T00:00:00UTC",
	"2030-01-01T00:00:00.Z",
	"2030-01-01T00:00:00.1234567890Z",
	"2030-01-01T00:00:00,1Z",
	"2030-01-01T00:00:00.1a",
	"2030-01-01T00:00:00+05",
	"2030-01-01T00:00:00+0500",
	"2030-01-01T00:00:00+05:00:00",
	"2030-01-01T00:00:00+5:00Z",
	"2030-01-01T00:00:00*05:00",
	"2030-01-01T00:00:00+05-00",
	"2030-01-01T00:00:00+24:00",
	"2030-01-01T00:00:00+05:60",
	"2030-01-01T00:00:00+0a:00",
	"2030-01-01T00:00:00Z+05:00",
	"2030-13-01T00:00:00Z",
	"2030-00-01T00:00:00Z",
	"2030-01-00T00:00:00Z",
	"2030-01-32T00:00:00Z",
	"2030-04-31T00:00:00Z",
	"2030-06-31T00:00:00Z",
	"2030-09-31T00:00:00Z",
	"2030-11-31T00:00:00Z",
	"2023-02-29T00:00:00Z",
	"2100-02-29T00:00:00Z",
	"1900-02-29T00:00:00Z",
	"2024-02-30T00:00:00Z",
	"2030-01-01T24:00:00Z",
	"2030-01-01T00:60:00Z",
	"2030-01-01T00:00:60Z",
	"2016-12-31T23:59:60Z",
	"2030-1-01T00:00:00Z",
	"2030-01-1T00:00:00Z",
	"2030-01-01T0:00:00Z",
	"2030-01-01T00:0:00Z",
	"2030-01-01T00:00:0Z",
	"30-01-01T00:00:00Z",
	"10000-01-01T00:00:00Z",
	"-001-01-01T00:00:00Z",
	"+2030-01-01T00:00:00Z",
	"2030/01/01T00:00:00Z",
	"2030-01-01T00.00.00Z",
	"2O30-01-01T00:00:00Z",
	"２０３０-01-01T00:00:00Z",
	"2030-01-01T00:00:00.+01:00",
	"latest",
};

START_TEST(test_parse_bad)
{
	const char	*in = parse_bad_cases[_i];
	struct wtime	 t;

	ck_assert_msg(time_parse_rfc3339(in, strlen(in), &t) == -1,
	    "accepted \"%s\"", in);
}
END_TEST

START_TEST(test_parse_len)
{
	static const char	 s[] = "2030-01-01T00:00:00Zjunk";
	static const char	 nul[] = "2030-01-01T00:00:00\0Z";
	static const char	 nul2[] = "2030-01-01T00:00:00.1\0Z";
	static const char	 nul3[] = "2030-01-01T00:00:00Z\0";
	struct wtime		 t;

	/* Only `len' bytes count: no NUL is needed, trailing bytes ignored. */
	ck_assert_int_eq(time_parse_rfc3339(s, 20, &t), 0);
	ck_assert_int_eq(t.sec, 1893456000);
	ck_assert_int_eq(time_parse_rfc3339(s, 19, &t), -1);
	ck_assert_int_eq(time_parse_rfc3339(s, 21, &t), -1);
	ck_assert_int_eq(time_parse_rfc3339(s, 0, &t), -1);
	/* Embedded NUL bytes are just bad characters. */
	ck_assert_int_eq(time_parse_rfc3339(nul, sizeof(nul) - 1, &t), -1);
	ck_assert_int_eq(time_parse_rfc3339(nul2, sizeof(nul2) - 1, &t),
	    -1);
	ck_assert_int_eq(time_parse_rfc3339(nul3, sizeof(nul3) - 1, &t),
	    -1);
	ck_assert_int_eq(time_parse_rfc3339(nul3, sizeof(nul3) - 2, &t), 0);
	/* A fraction running to the very end of the buffer. */
	ck_assert_int_eq(time_parse_rfc3339("2030-01-01T00:00:00.5", 21, &t),
	    -1);
}
END_TEST

/* ------------------------------------------------------------ Go text */

struct go_case {
	const char	*in;
	const char	*out;
};

static const struct go_case go_cases[] = {
	{ "2031-01-01T00:00:00Z", "2031-01-01 00:00:00 +0000 UTC" },
	{ "2030-01-01T00:00:00+05:00", "2030-01-01 00:00:00 +0500 +0500" },
	{ "2030-01-01T00:00:00.120-05:30",
	    "2030-01-01 00:00:00.12 -0530 -0530" },
	{ "2030-01-01T00:00:00.000Z", "2030-01-01 00:00:00 +0000 UTC" },
	{ "2030-01-01T00:00:00+00:00", "2030-01-01 00:00:00 +0000 UTC" },
	{ "2030-01-01T00:00:00-00:00", "2030-01-01 00:00:00 +0000 UTC" },
	{ "2030-01-01T12:34:56.123456789Z",
	    "2030-01-01 12:34:56.123456789 +0000 UTC" },
	{ "2030-01-01T12:34:56.000000001+01:00",
	    "2030-01-01 12:34:56.000000001 +0100 +0100" },
	{ "2030-01-01T12:34:56.100000000Z",
	    "2030-01-01 12:34:56.1 +0000 UTC" },
	{ "2030-01-01T23:30:00-23:59", "2030-01-01 23:30:00 -2359 -2359" },
	{ "2030-01-01T00:30:00+23:59", "2030-01-01 00:30:00 +2359 +2359" },
	{ "2024-02-29T23:59:59-00:01", "2024-02-29 23:59:59 -0001 -0001" },
	{ "0000-01-01T00:00:00+01:00", "0000-01-01 00:00:00 +0100 +0100" },
	{ "9999-12-31T23:59:59-12:00", "9999-12-31 23:59:59 -1200 -1200" },
	{ "1969-12-31T23:59:59.5Z", "1969-12-31 23:59:59.5 +0000 UTC" },
};

START_TEST(test_format_go)
{
	const struct go_case	*c = &go_cases[_i];
	struct wtime		 t;
	char			 buf[64];
	size_t			 n;

	ck_assert_int_eq(time_parse_rfc3339(c->in, strlen(c->in), &t), 0);
	memset(buf, 'x', sizeof(buf));
	n = time_format_go(&t, buf, sizeof(buf));
	ck_assert_str_eq(buf, c->out);
	ck_assert_uint_eq(n, strlen(c->out));
}
END_TEST

START_TEST(test_format_go_small)
{
	struct wtime	 t = { 1924992000, 0, 0, 0 };
	char		 buf[11];
	size_t		 n;

	/* Truncated output stays NUL-terminated; the stored length. */
	memset(buf, 'x', sizeof(buf));
	n = time_format_go(&t, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2031-01-01");
	ck_assert_uint_eq(n, 10);
	ck_assert_uint_eq(time_format_go(&t, NULL, 0), 0);
}
END_TEST

/* ---------------------------------------------------- UTC s and ms text */

struct fmt_case {
	int64_t		 sec;
	int32_t		 nsec;
	const char	*s;
	const char	*ms;
};

static const struct fmt_case fmt_cases[] = {
	{ 0, 0, "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z" },
	{ -1, 0, "1969-12-31T23:59:59Z", "1969-12-31T23:59:59.000Z" },
	{ -1, 999999999, "1969-12-31T23:59:59Z",
	    "1969-12-31T23:59:59.999Z" },
	{ -86400, 1000000, "1969-12-31T00:00:00Z",
	    "1969-12-31T00:00:00.001Z" },
	{ -86401, 999999, "1969-12-30T23:59:59Z",
	    "1969-12-30T23:59:59.000Z" },
	{ 1924992000, 120000000, "2031-01-01T00:00:00Z",
	    "2031-01-01T00:00:00.120Z" },
	{ 951782400 + 86399, 987654321, "2000-02-29T23:59:59Z",
	    "2000-02-29T23:59:59.987Z" },
	{ 951868800, 0, "2000-03-01T00:00:00Z", "2000-03-01T00:00:00.000Z" },
	{ 1483228799, 500000000, "2016-12-31T23:59:59Z",
	    "2016-12-31T23:59:59.500Z" },
	{ -62135596800, 0, "0001-01-01T00:00:00Z",
	    "0001-01-01T00:00:00.000Z" },
	{ -62135596800 - 1, 0, "0000-12-31T23:59:59Z",
	    "0000-12-31T23:59:59.000Z" },
	{ -12219292800, 0, "1582-10-15T00:00:00Z",
	    "1582-10-15T00:00:00.000Z" },
	{ 253402300799, 999999999, "9999-12-31T23:59:59Z",
	    "9999-12-31T23:59:59.999Z" },
	{ 4107542400, 0, "2100-03-01T00:00:00Z", "2100-03-01T00:00:00.000Z" },
};

START_TEST(test_format_s_ms)
{
	const struct fmt_case	*c = &fmt_cases[_i];
	char			 buf[64];
	size_t			 n;

	memset(buf, 'x', sizeof(buf));
	n = time_format_s(c->sec, buf, sizeof(buf));
	ck_assert_str_eq(buf, c->s);
	ck_assert_uint_eq(n, 20);
	memset(buf, 'x', sizeof(buf));
	n = time_format_ms(c->sec, c->nsec, buf, sizeof(buf));
	ck_assert_str_eq(buf, c->ms);
	ck_assert_uint_eq(n, 24);
}
END_TEST

START_TEST(test_format_edges)
{
	char	 buf[32];
	size_t	 n;

	/* Exact fit, and one byte short. */
	n = time_format_s(0, buf, 21);
	ck_assert_uint_eq(n, 20);
	ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	n = time_format_s(0, buf, 20);
	ck_assert_uint_eq(n, 19);
	ck_assert_str_eq(buf, "1970-01-01T00:00:00");
	n = time_format_ms(0, 0, buf, 5);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(buf, "1970");
	ck_assert_uint_eq(time_format_s(0, NULL, 0), 0);
	ck_assert_uint_eq(time_format_ms(0, 0, NULL, 0), 0);

	/* A fraction outside [0, 1s) is carried into the seconds. */
	time_format_ms(0, 1500000000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1970-01-01T00:00:01.500Z");
	time_format_ms(0, -1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1969-12-31T23:59:59.999Z");
	time_format_ms(0, -1000000000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1969-12-31T23:59:59.000Z");

	/* Extremes must not trap (UBSan) and stay terminated. */
	n = time_format_s(INT64_MAX, buf, sizeof(buf));
	ck_assert_uint_eq(n, strlen(buf));
	ck_assert_uint_gt(n, 0);
	n = time_format_s(INT64_MIN, buf, sizeof(buf));
	ck_assert_uint_eq(n, strlen(buf));
	ck_assert_uint_gt(n, 0);
	n = time_format_ms(INT64_MAX, 999999999, buf, sizeof(buf));
	ck_assert_uint_eq(n, strlen(buf));
	n = time_format_ms(INT64_MAX, INT32_MAX, buf, sizeof(buf));
	ck_assert_uint_eq(n, strlen(buf));
	n = time_format_ms(INT64_MIN, INT32_MIN, buf, sizeof(buf));
	ck_assert_uint_eq(n, strlen(buf));
}
END_TEST

START_TEST(test_roundtrip)
{
	static const char *const	 in[] = {
		"1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z",
		"1899-12-31T12:00:00Z", "0001-01-01T00:00:00Z",
		"9999-12-31T23:59:59Z", "2038-01-19T03:14:08Z",
	};
	struct wtime			 t;
	char				 buf[32];
	size_t				 i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		ck_assert_int_eq(time_parse_rfc3339(in[i], strlen(in[i]), &t),
		    0);
		time_format_s(t.sec, buf, sizeof(buf));
		ck_assert_str_eq(buf, in[i]);
	}
	/* An offset moves the UTC text. */
	ck_assert_int_eq(time_parse_rfc3339("2030-01-01T01:00:00+05:30", 25,
	    &t), 0);
	time_format_s(t.sec, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2029-12-31T19:30:00Z");
	ck_assert_int_eq(time_parse_rfc3339("2030-12-31T23:00:00.9876-02:00",
	    30, &t), 0);
	time_format_ms(t.sec, t.nsec, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2031-01-01T01:00:00.987Z");
}
END_TEST

/* ---------------------------------------------------------- durations */

struct dur_case {
	const char	*in;
	int64_t		 sec;
};

static const struct dur_case dur_ok_cases[] = {
	{ "1s", 1 },
	{ "90m", 5400 },
	{ "36h", 129600 },
	{ "7d", 604800 },
	{ "2w", 1209600 },
	{ "007d", 604800 },
	{ "0000000000000000000000000001s", 1 },
	{ "3155760000s", 3155760000 },
	{ "52596000m", 3155760000 },
	{ "876600h", 3155760000 },
	{ "36525d", 3155760000 },
	{ "5217w", 3155241600 },
};

START_TEST(test_duration_ok)
{
	const struct dur_case	*c = &dur_ok_cases[_i];
	int64_t			 v = -42;

	ck_assert_msg(time_parse_duration(c->in, strlen(c->in), &v) == 0,
	    "rejected %s", c->in);
	ck_assert_int_eq(v, c->sec);
}
END_TEST

static const char *const dur_bad_cases[] = {
	"", "s", "d", "7", "0s", "000d", "0w",
	"7x", "7D", "7S", "7ms", "7dd", "7d7",
	"-7d", "+7d", " 7d", "7d ", "7 d", "1.5h", "1e3s", "0x10s",
	"3155760001s", "52596001m", "876601h", "36526d", "5218w",
	"9223372036854775807s", "9223372036854775808s",
	"99999999999999999999999999999999s", "1537228672809129301w",
	"７d",
};

START_TEST(test_duration_bad)
{
	const char	*in = dur_bad_cases[_i];
	int64_t		 v = -42;

	ck_assert_msg(time_parse_duration(in, strlen(in), &v) == -1,
	    "accepted \"%s\"", in);
	ck_assert_int_eq(v, -42);
}
END_TEST

START_TEST(test_duration_len)
{
	int64_t	 v = 0;

	ck_assert_int_eq(time_parse_duration("7dX", 2, &v), 0);
	ck_assert_int_eq(v, 604800);
	ck_assert_int_eq(time_parse_duration("7dX", 1, &v), -1);
	ck_assert_int_eq(time_parse_duration("7dX", 0, &v), -1);
	ck_assert_int_eq(time_parse_duration("7\0d", 3, &v), -1);
	ck_assert_int_eq(time_parse_duration("7d\0", 3, &v), -1);
	ck_assert_int_eq(time_parse_duration("\0" "7d", 3, &v), -1);
}
END_TEST

/* ------------------------------------------------------ civil <-> days */

START_TEST(test_civil_known)
{
	int64_t		 y;
	unsigned	 m, d;

	ck_assert_int_eq(time_days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(time_days_from_civil(1969, 12, 31), -1);
	ck_assert_int_eq(time_days_from_civil(2000, 2, 29), 11016);
	ck_assert_int_eq(time_days_from_civil(2000, 3, 1), 11017);
	ck_assert_int_eq(time_days_from_civil(2031, 1, 1), 22280);
	ck_assert_int_eq(time_days_from_civil(1, 1, 1), -719162);
	ck_assert_int_eq(time_days_from_civil(0, 3, 1), -719468);
	ck_assert_int_eq(time_days_from_civil(0, 1, 1), -719528);
	ck_assert_int_eq(time_days_from_civil(9999, 12, 31), 2932896);
	ck_assert_int_eq(time_days_from_civil(-1, 12, 31), -719529);

	time_civil_from_days(0, &y, &m, &d);
	ck_assert_int_eq(y, 1970);
	ck_assert_uint_eq(m, 1);
	ck_assert_uint_eq(d, 1);
	time_civil_from_days(11016, &y, &m, &d);
	ck_assert_int_eq(y, 2000);
	ck_assert_uint_eq(m, 2);
	ck_assert_uint_eq(d, 29);
	time_civil_from_days(-719529, &y, &m, &d);
	ck_assert_int_eq(y, -1);
	ck_assert_uint_eq(m, 12);
	ck_assert_uint_eq(d, 31);
	time_civil_from_days(2932896, &y, &m, &d);
	ck_assert_int_eq(y, 9999);
	ck_assert_uint_eq(m, 12);
	ck_assert_uint_eq(d, 31);
}
END_TEST

static unsigned
test_mdays(int64_t y, unsigned m)
{
	static const unsigned	 md[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			 leap;

	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : md[m - 1];
}

/*
 * Every day from 1000 BC to AD 10000: the date is valid, follows the
 * previous day's, and maps back to the same day number.
 */
START_TEST(test_civil_walk)
{
	int64_t		 z, y, py;
	unsigned	 m, d, pm, pd;

	time_civil_from_days(-1086000, &py, &pm, &pd);
	for (z = -1085999; z <= 2933000; z++) {
		time_civil_from_days(z, &y, &m, &d);
		if (m < 1 || m > 12 || d < 1 || d > test_mdays(y, m))
			ck_abort_msg("bad date for day %lld", (long long)z);
		if (d == pd + 1) {
			if (y != py || m != pm)
				ck_abort_msg("day %lld", (long long)z);
		} else if (d != 1 || pd != test_mdays(py, pm) ||
		    (pm == 12 ? (m != 1 || y != py + 1) :
		    (m != pm + 1 || y != py)))
			ck_abort_msg("day %lld does not follow", (long long)z);
		if (time_days_from_civil(y, m, d) != z)
			ck_abort_msg("day %lld does not map back",
			    (long long)z);
		py = y;
		pm = m;
		pd = d;
	}
}
END_TEST

START_TEST(test_civil_extremes)
{
	int64_t		 y;
	unsigned	 m, d;

	/* Must not overflow (UBSan traps) and must give a real date. */
	time_civil_from_days(INT64_MAX, &y, &m, &d);
	ck_assert(m >= 1 && m <= 12 && d >= 1 && d <= 31);
	ck_assert_int_gt(y, 0);
	time_civil_from_days(INT64_MIN, &y, &m, &d);
	ck_assert(m >= 1 && m <= 12 && d >= 1 && d <= 31);
	ck_assert_int_lt(y, 0);
}
END_TEST

/* -------------------------------------------------------------- clocks */

START_TEST(test_clocks)
{
	struct wtime	 t;
	time_t		 before, after;
	double		 m1, m2;
	int		 i;

	memset(&t, 0x5a, sizeof(t));
	before = time(NULL);
	time_now(&t);
	after = time(NULL);
	ck_assert_int_ge(t.sec, (int64_t)before);
	ck_assert_int_le(t.sec, (int64_t)after);
	ck_assert_int_ge(t.nsec, 0);
	ck_assert_int_lt(t.nsec, 1000000000);
	ck_assert_int_eq(t.offset, 0);
	ck_assert_int_eq(t.fracdigits, 9);

	/* Nanoseconds are really there (all 100 on a whole second: no). */
	for (i = 0; i < 100; i++) {
		time_now(&t);
		if (t.nsec != 0)
			break;
	}
	ck_assert_int_lt(i, 100);

	m1 = time_mono();
	m2 = time_mono();
	ck_assert(m1 > 0.0);
	ck_assert(m2 >= m1);
	ck_assert(m2 - m1 < 5.0);
}
END_TEST

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
suite(void)
{
	Suite	*s = suite_create("timefmt");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_parse_ok, 0, NELEM(parse_ok_cases));
	tcase_add_loop_test(tc, test_parse_bad, 0, NELEM(parse_bad_cases));
	tcase_add_test(tc, test_parse_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_loop_test(tc, test_format_go, 0, NELEM(go_cases));
	tcase_add_test(tc, test_format_go_small);
	tcase_add_loop_test(tc, test_format_s_ms, 0, NELEM(fmt_cases));
	tcase_add_test(tc, test_format_edges);
	tcase_add_test(tc, test_roundtrip);
	suite_add_tcase(s, tc);

	tc = tcase_create("duration");
	tcase_add_loop_test(tc, test_duration_ok, 0, NELEM(dur_ok_cases));
	tcase_add_loop_test(tc, test_duration_bad, 0, NELEM(dur_bad_cases));
	tcase_add_test(tc, test_duration_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("civil");
	tcase_add_test(tc, test_civil_known);
	tcase_add_test(tc, test_civil_walk);
	tcase_add_test(tc, test_civil_extremes);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("clocks");
	tcase_add_test(tc, test_clocks);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return th_run(suite());
}
