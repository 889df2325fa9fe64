/* timefmt.h: RFC 3339 instants, durations, and the original's time texts. */
#ifndef WFM_TIMEFMT_H
#define WFM_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * An instant as parsed: `sec' is seconds since the Unix epoch in UTC
 * (the offset already applied), `nsec' the fraction, `offset' the
 * offset the text carried (seconds east of UTC), `fracdigits' how many
 * fraction digits the text had (0-9).
 */
struct wtime {
	int64_t		 sec;
	int32_t		 nsec;
	int32_t		 offset;
	int		 fracdigits;
};

/*
 * RFC 3339 as Go's time.RFC3339 parser takes it:
 * YYYY-MM-DDTHH:MM:SS[.F{1,9}](Z|+HH:MM|-HH:MM), upper-case T and Z,
 * calendar-checked (Feb 30 fails), hour 0-23, minute 0-59, second 0-59,
 * offset hours 0-23.  Returns 0, or -1 when `s' is anything else.
 */
int	 time_parse_rfc3339(const char *s, size_t len, struct wtime *);

/*
 * A positive whole number and one unit of s, m, h, d, w ("7d", "36h",
 * "90m") to seconds.  Returns 0, or -1 (empty, zero, unit missing or
 * unknown, overflow past 100 years).
 */
int	 time_parse_duration(const char *s, size_t len, int64_t *seconds);

/*
 * The time_format_* functions write like snprintf (always NUL-terminated
 * when size > 0) and return the length stored, without the NUL: 20 for
 * _s, 24 for _ms, at most 41 for _go of a parsed instant; less if `size'
 * cut the text short; 0 when size is 0 (buf may then be NULL).  Years
 * are four digits for 0000-9999.
 */
/* Writes "YYYY-MM-DDTHH:MM:SSZ" (UTC, whole seconds).  Returns length. */
size_t	 time_format_s(int64_t sec, char *buf, size_t size);
/*
 * Writes "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC, milliseconds truncated).  An
 * nsec outside 0-999999999 is carried into the seconds.
 */
size_t	 time_format_ms(int64_t sec, int32_t nsec, char *buf, size_t size);
/*
 * Go's time.Time.String() of a parsed instant, as the original printed
 * filter bounds: "2031-01-01 00:00:00 +0000 UTC" for a zero offset,
 * "2030-01-01 00:00:00 +0500 +0500" otherwise, the wall clock in the
 * text's own offset, with ".123" etc. (trailing zeros dropped) when
 * there is a non-zero fraction.
 */
size_t	 time_format_go(const struct wtime *, char *buf, size_t size);

/*
 * Days since the epoch <-> civil date (proleptic Gregorian, year 0 = 1 BC).
 * time_days_from_civil wants m 1-12, d 1-31 and |y| below 10^16;
 * time_civil_from_days takes any int64_t.
 */
int64_t	 time_days_from_civil(int64_t y, unsigned m, unsigned d);
void	 time_civil_from_days(int64_t z, int64_t *y, unsigned *m,
	    unsigned *d);

/* Current time (CLOCK_REALTIME) as a wtime with a zero offset. */
void	 time_now(struct wtime *);
/* Monotonic seconds, for durations. */
double	 time_mono(void);

#endif
