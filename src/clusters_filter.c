/* clusters_filter.c: cluster query bounds, impossible filters, cursors. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "clusters_filter.h"
#include "crypto.h"

#define US_PER_SEC	1000000
#define NS_PER_US	1000

const char *const cf_names[CF__MAX] = {
	[CF_CREATED_AFTER] = "created_after",
	[CF_CREATED_BEFORE] = "created_before",
	[CF_CHECKED_IN_AFTER] = "checked_in_after",
	[CF_CHECKED_IN_BEFORE] = "checked_in_before",
};

/* At most this much of a bad value is quoted back in a message. */
#define RAW_MAX	128

static int
bad_time(const char *name, const char *raw, struct api_error *err)
{
	return apierr_set(err, APIERR_VALIDATION,
	    "%s in query must be of type date-time: \"%.*s\"", name, RAW_MAX,
	    raw);
}

int
cf_parse_instant(const char *name, const char *raw, struct wtime *out,
    struct api_error *err)
{
	if (time_parse_rfc3339(raw, strlen(raw), out) == -1)
		return bad_time(name, raw, err);
	return 0;
}

int
cf_parse_bound(const char *name, const char *raw, const struct wtime *now,
    struct wtime *out, struct api_error *err)
{
	int64_t	 secs;

	if (time_parse_rfc3339(raw, strlen(raw), out) == 0)
		return 0;
	if (time_parse_duration(raw, strlen(raw), &secs) == -1)
		return bad_time(name, raw, err);
	out->sec = now->sec - secs;
	out->nsec = now->nsec / NS_PER_US * NS_PER_US;
	out->offset = 0;
	out->fracdigits = 6;
	return 0;
}

int
cf_cmp(const struct wtime *a, const struct wtime *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->nsec != b->nsec)
		return a->nsec < b->nsec ? -1 : 1;
	return 0;
}

/* The original's 400 text for two keys and their times. */
static int
impossible(const char *k1, const struct wtime *t1, const char *k2,
    const struct wtime *t2, const char *reason, struct api_error *err)
{
	char	 s1[64], s2[64];

	time_format_go(t1, s1, sizeof(s1));
	time_format_go(t2, s2, sizeof(s2));
	return apierr_set(err, APIERR_BAD_REQUEST, "impossible filter for "
	    "keys/times (%s (%s), %s (%s)): %s", k1, s1, k2, s2, reason);
}

int
cf_age_check(const struct age_filter *f, struct api_error *err)
{
	const struct wtime *ca = &f->t[CF_CREATED_AFTER],
	    *cb = &f->t[CF_CREATED_BEFORE], *ia = &f->t[CF_CHECKED_IN_AFTER],
	    *ib = &f->t[CF_CHECKED_IN_BEFORE];
	const bool	*s = f->set;

	if (s[CF_CREATED_BEFORE] && s[CF_CHECKED_IN_BEFORE] &&
	    cf_cmp(cb, ib) > 0)
		return impossible("created_before", cb, "checked_in_before",
		    ib, "checked_in_before needs to be greater than or equal "
		    "to created_before", err);
	if (s[CF_CHECKED_IN_AFTER] && s[CF_CHECKED_IN_BEFORE] &&
	    cf_cmp(ia, ib) >= 0)
		return impossible("checked_in_before", ib, "checked_in_after",
		    ia, "checked_in_before needs to be greater than "
		    "checked_in_after", err);
	if (s[CF_CREATED_AFTER] && s[CF_CREATED_BEFORE] &&
	    cf_cmp(ca, cb) >= 0)
		return impossible("created_after", ca, "created_before", cb,
		    "created_before needs to be greater than created_after",
		    err);
	if (s[CF_CHECKED_IN_BEFORE] && s[CF_CREATED_AFTER] &&
	    cf_cmp(ib, ca) <= 0)
		return impossible("checked_in_before", ib, "created_after",
		    ca, "checked_in_before needs to be after created_after",
		    err);
	return 0;
}

int
cf_checkins_check(const struct wtime *after, const struct wtime *before,
    struct api_error *err)
{
	if (cf_cmp(after, before) >= 0)
		return impossible("created_after", after, "created_before",
		    before, "created_before needs to be greater than "
		    "created_after", err);
	return 0;
}

int
cf_persistent_check(const struct wtime *epoch, const struct wtime *ts,
    struct api_error *err)
{
	if (cf_cmp(epoch, ts) >= 0)
		return impossible("epoch", epoch, "timestamp", ts,
		    "epoch needs to be less than timestamp", err);
	return 0;
}

int64_t
cf_us(const struct wtime *t)
{
	return t->sec * US_PER_SEC + t->nsec / NS_PER_US;
}

/* Seconds and a non-negative microsecond fraction of `us'. */
static int64_t
split_us(int64_t us, int32_t *frac)
{
	int64_t	 sec = us / US_PER_SEC, r = us % US_PER_SEC;

	if (r < 0) {
		sec--;
		r += US_PER_SEC;
	}
	*frac = (int32_t)r;
	return sec;
}

void
cf_sql_time(int64_t us, char buf[CF_SQLTIME_LEN])
{
	char		 s[40];
	int64_t		 sec;
	int32_t		 frac;

	/* 0001-01-01T00:00:00Z: PostgreSQL has no year 0. */
	if (us < time_days_from_civil(1, 1, 1) * 86400 * US_PER_SEC) {
		snprintf(buf, CF_SQLTIME_LEN, "-infinity");
		return;
	}
	sec = split_us(us, &frac);
	time_format_s(sec, s, sizeof(s));
	s[10] = ' ';
	s[19] = '\0';
	snprintf(buf, CF_SQLTIME_LEN, "%.19s.%06d", s, (int)frac);
}

size_t
cf_format_ms(int64_t us, char *buf, size_t size)
{
	int64_t		 sec;
	int32_t		 frac;

	sec = split_us(us, &frac);
	return time_format_ms(sec, frac * NS_PER_US, buf, size);
}

size_t
cf_format_nano(int64_t us, char *buf, size_t size)
{
	char		 s[40], f[8];
	int64_t		 sec;
	int32_t		 frac;
	int		 digits = 6, n;

	sec = split_us(us, &frac);
	time_format_s(sec, s, sizeof(s));
	s[19] = '\0';
	f[0] = '\0';
	if (frac != 0) {
		while (frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		snprintf(f, sizeof(f), ".%0*d", digits, (int)frac);
	}
	n = snprintf(buf, size, "%s%sZ", s, f);
	if (n < 0 || size == 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

void
cf_filter_hash(const char *const raw[CF__MAX], uint8_t out[CF_FHASH_LEN])
{
	uint8_t		 h[SHA256_LEN];
	struct buf	 text = BUF_INIT;

	/* "name=value\n" per bound, or "name\n" when absent. */
	for (int b = 0; b < CF__MAX; b++) {
		buf_puts(&text, cf_names[b]);
		if (raw[b] != NULL) {
			buf_putc(&text, '=');
			buf_puts(&text, raw[b]);
		}
		buf_putc(&text, '\n');
	}
	sha256(text.data, text.len, h);
	buf_free(&text);
	memcpy(out, h, CF_FHASH_LEN);
}

/* ------------------------------------------------------------ cursor */

#define CURSOR_VERSION	1
#define CURSOR_BYTES	(1 + 8 + 16 + 1 + 8 * CF__MAX + CF_FHASH_LEN)

static void
put64(uint8_t *p, int64_t v)
{
	uint64_t	 u = (uint64_t)v;

	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)(u & 0xff);
		u >>= 8;
	}
}

static int64_t
get64(const uint8_t *p)
{
	uint64_t	 u = 0;

	for (int i = 0; i < 8; i++)
		u = u << 8 | p[i];
	return (int64_t)u;
}

void
cf_cursor_encode(const struct age_cursor *c, const uint8_t fh[CF_FHASH_LEN],
    char out[CF_CURSOR_LEN + 1])
{
	uint8_t		 b[CURSOR_BYTES], *p = b, mask = 0;
	char		 hex[33];

	*p++ = CURSOR_VERSION;
	put64(p, c->first_us);
	p += 8;
	/* The id is canonical: 32 hex digits once the hyphens are gone. */
	for (size_t i = 0, j = 0; c->id[i] != '\0' && j < 32; i++)
		if (c->id[i] != '-')
			hex[j++] = c->id[i];
	if (hex_decode(hex, 32, p, 16) == -1)
		memset(p, 0, 16);
	p += 16;
	for (int i = 0; i < CF__MAX; i++)
		if (c->set[i])
			mask |= (uint8_t)(1u << i);
	*p++ = mask;
	for (int i = 0; i < CF__MAX; i++) {
		put64(p, c->set[i] ? c->bound_us[i] : 0);
		p += 8;
	}
	memcpy(p, fh, CF_FHASH_LEN);
	base64url_encode(b, sizeof(b), out);
}

int
cf_cursor_decode(const char *s, const uint8_t fh[CF_FHASH_LEN],
    struct age_cursor *c, struct api_error *err)
{
	uint8_t		 b[CURSOR_BYTES], mask;
	const uint8_t	*p = b;
	char		 hex[33];

	memset(c, 0, sizeof(*c));
	if (strlen(s) != CF_CURSOR_LEN || base64url_decode(s, CF_CURSOR_LEN,
	    b, sizeof(b)) != (long)sizeof(b) || *p++ != CURSOR_VERSION)
		return apierr_set(err, APIERR_BAD_REQUEST,
		    "cursor is not valid");
	c->first_us = get64(p);
	p += 8;
	hex_encode(p, 16, hex);
	p += 16;
	snprintf(c->id, sizeof(c->id), "%.8s-%.4s-%.4s-%.4s-%.12s", hex,
	    hex + 8, hex + 12, hex + 16, hex + 20);
	mask = *p++;
	if (mask >= 1u << CF__MAX)
		return apierr_set(err, APIERR_BAD_REQUEST,
		    "cursor is not valid");
	for (int i = 0; i < CF__MAX; i++) {
		c->set[i] = (mask & (1u << i)) != 0;
		c->bound_us[i] = get64(p);
		p += 8;
		if (!c->set[i] && c->bound_us[i] != 0)
			return apierr_set(err, APIERR_BAD_REQUEST,
			    "cursor is not valid");
	}
	if (!ct_equal(p, fh, CF_FHASH_LEN))
		return apierr_set(err, APIERR_BAD_REQUEST,
		    "cursor is not valid for these filters");
	return 0;
}
