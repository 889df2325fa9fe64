/* timefmt.c: RFC 3339 parsing, durations and Go-compatible time texts. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timefmt.h"

#define SECS_PER_DAY	86400
#define NSEC_PER_SEC	1000000000
/* 100 years of 365.25 days: the longest duration accepted. */
#define DURATION_MAX	((int64_t)3155760000)

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads `n' decimal digits at s; -1 if any is not a digit. */
static int
parse_digits(const char *s, size_t n)
{
	int	 v = 0;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static bool
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
days_in_month(int64_t y, unsigned m)
{
	static const unsigned char mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && is_leap(y))
		return 29;
	return mdays[m - 1];
}

/* Floor division and its non-negative remainder, for any dividend. */
static int64_t
floor_div(int64_t a, int64_t b, int64_t *rem)
{
	int64_t	 q = a / b, r = a % b;

	if (r < 0) {
		q--;
		r += b;
	}
	*rem = r;
	return q;
}

/*
 * Howard Hinnant's days_from_civil.  Exact for |y| up to about 10^16;
 * the service only passes years 0-9999.
 */
int64_t
time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t		 era;
	unsigned	 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* Howard Hinnant's civil_from_days, rearranged not to overflow. */
void
time_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t		 era, rem;
	unsigned	 doe, yoe, doy, mp, mm;

	/* era = floor((z + 719468) / 146097) without forming the sum. */
	era = floor_div(z, 146097, &rem);
	rem += 719468;
	era += rem / 146097;
	doe = (unsigned)(rem % 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	mm = mp < 10 ? mp + 3 : mp - 9;
	*m = mm;
	*y = (int64_t)yoe + era * 400 + (mm <= 2);
}

int
time_parse_rfc3339(const char *s, size_t len, struct wtime *out)
{
	int		 year, mon, day, hour, min, sec, oh, om;
	int32_t		 nsec = 0, offset = 0;
	int		 fd = 0;
	size_t		 i;
	int64_t		 days;

	if (s == NULL || len < 20)
		return -1;
	if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':')
		return -1;
	year = parse_digits(s, 4);
	mon = parse_digits(s + 5, 2);
	day = parse_digits(s + 8, 2);
	hour = parse_digits(s + 11, 2);
	min = parse_digits(s + 14, 2);
	sec = parse_digits(s + 17, 2);
	if (year < 0 || mon < 1 || mon > 12 || day < 1 ||
	    (unsigned)day > days_in_month(year, (unsigned)mon) ||
	    hour < 0 || hour > 23 || min < 0 || min > 59 ||
	    sec < 0 || sec > 59)
		return -1;

	i = 19;
	if (s[i] == '.') {
		i++;
		while (i < len && is_digit(s[i]) && fd < 9) {
			nsec = nsec * 10 + (s[i] - '0');
			fd++;
			i++;
		}
		if (fd == 0 || (i < len && is_digit(s[i])))
			return -1;
		for (int k = fd; k < 9; k++)
			nsec *= 10;
	}

	if (len - i == 1 && s[i] == 'Z') {
		offset = 0;
	} else if (len - i == 6 && (s[i] == '+' || s[i] == '-') &&
	    s[i + 3] == ':') {
		oh = parse_digits(s + i + 1, 2);
		om = parse_digits(s + i + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return -1;
		offset = (oh * 60 + om) * 60;
		if (s[i] == '-')
			offset = -offset;
	} else
		return -1;

	days = time_days_from_civil(year, (unsigned)mon, (unsigned)day);
	out->sec = days * SECS_PER_DAY + hour * 3600 + min * 60 + sec -
	    offset;
	out->nsec = nsec;
	out->offset = offset;
	out->fracdigits = fd;
	return 0;
}

int
time_parse_duration(const char *s, size_t len, int64_t *seconds)
{
	int64_t		 n = 0, mult;
	size_t		 i;

	if (s == NULL || len < 2)
		return -1;
	for (i = 0; i < len - 1; i++) {
		if (!is_digit(s[i]))
			return -1;
		n = n * 10 + (s[i] - '0');
		/* Stop before any overflow; leading zeros keep n at 0. */
		if (n > DURATION_MAX)
			return -1;
	}
	switch (s[len - 1]) {
	case 's':
		mult = 1;
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = SECS_PER_DAY;
		break;
	case 'w':
		mult = 7 * SECS_PER_DAY;
		break;
	default:
		return -1;
	}
	if (n <= 0 || n > DURATION_MAX / mult)
		return -1;
	*seconds = n * mult;
	return 0;
}

/* snprintf's result as the length actually stored in buf. */
static size_t
stored_len(int n, size_t size)
{
	if (n < 0 || size == 0)
		return 0;
	if ((size_t)n >= size)
		return size - 1;
	return (size_t)n;
}

struct civil {
	int64_t		 year;
	unsigned	 mon, day, hour, min, sec;
};

static void
civil_from_sec(int64_t t, struct civil *c)
{
	int64_t	 days, sod;

	days = floor_div(t, SECS_PER_DAY, &sod);
	time_civil_from_days(days, &c->year, &c->mon, &c->day);
	c->hour = (unsigned)(sod / 3600);
	c->min = (unsigned)(sod % 3600 / 60);
	c->sec = (unsigned)(sod % 60);
}

size_t
time_format_s(int64_t sec, char *buf, size_t size)
{
	struct civil	 c;
	int		 n;

	civil_from_sec(sec, &c);
	n = snprintf(buf, size, "%04lld-%02u-%02uT%02u:%02u:%02uZ",
	    (long long)c.year, c.mon, c.day, c.hour, c.min, c.sec);
	return stored_len(n, size);
}

size_t
time_format_ms(int64_t sec, int32_t nsec, char *buf, size_t size)
{
	struct civil	 c;
	int64_t		 carry, ns, t;
	int		 n;

	/* Normalise a fraction outside [0, 1s) into the seconds. */
	carry = floor_div(nsec, NSEC_PER_SEC, &ns);
	if (__builtin_add_overflow(sec, carry, &t)) {
		t = sec;
		ns = carry < 0 ? 0 : NSEC_PER_SEC - 1;
	}
	civil_from_sec(t, &c);
	n = snprintf(buf, size, "%04lld-%02u-%02uT%02u:%02u:%02u.%03dZ",
	    (long long)c.year, c.mon, c.day, c.hour, c.min, c.sec,
	    (int)(ns / 1000000));
	return stored_len(n, size);
}

size_t
time_format_go(const struct wtime *t, char *buf, size_t size)
{
	struct civil	 c;
	int64_t		 wall;
	char		 frac[11], zone[32];
	int		 n, off, fl;
	int32_t		 ns;

	if (__builtin_add_overflow(t->sec, (int64_t)t->offset, &wall))
		wall = t->sec;
	civil_from_sec(wall, &c);

	frac[0] = '\0';
	ns = t->nsec;
	if (ns > 0 && ns < NSEC_PER_SEC) {
		fl = 9;
		while (ns % 10 == 0) {
			ns /= 10;
			fl--;
		}
		(void)snprintf(frac, sizeof(frac), ".%0*d", fl, (int)ns);
	}

	if (t->offset == 0)
		(void)snprintf(zone, sizeof(zone), "+0000 UTC");
	else {
		off = t->offset / 60;
		if (off < 0)
			off = -off;
		off = off / 60 * 100 + off % 60;
		(void)snprintf(zone, sizeof(zone), "%c%04d %c%04d",
		    t->offset < 0 ? '-' : '+', off,
		    t->offset < 0 ? '-' : '+', off);
	}

	n = snprintf(buf, size, "%04lld-%02u-%02u %02u:%02u:%02u%s %s",
	    (long long)c.year, c.mon, c.day, c.hour, c.min, c.sec, frac,
	    zone);
	return stored_len(n, size);
}

void
time_now(struct wtime *t)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
		ts.tv_sec = 0;
		ts.tv_nsec = 0;
	}
	t->sec = (int64_t)ts.tv_sec;
	t->nsec = (int32_t)ts.tv_nsec;
	t->offset = 0;
	t->fracdigits = 9;
}

double
time_mono(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0.0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
