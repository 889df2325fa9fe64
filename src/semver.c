/* semver.c: semantic version 2.0.0 validation and precedence. */

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "semver.h"

/* A parsed version: pointers into the caller's string. */
struct semver {
	const char	*num[3];	/* major, minor, patch digits */
	size_t		 numlen[3];
	const char	*pre;		/* pre-release, without the '-' */
	size_t		 prelen;	/* 0: none */
};

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_ident_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '-';
}

static bool
all_digits(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* <numeric identifier>: "0" or digits without a leading zero. */
static size_t
scan_numeric(const char *s)
{
	size_t	 n = 0;

	while (is_digit(s[n]))
		n++;
	if (n > 1 && s[0] == '0')
		return 0;
	return n;
}

/*
 * Dot-separated identifiers of [0-9A-Za-z-]; when `pre', an all-digit
 * identifier must not have a leading zero.  Returns the length scanned,
 * or 0 when an identifier is empty or malformed.
 */
static size_t
scan_idents(const char *s, bool pre)
{
	size_t	 i = 0, start;

	for (;;) {
		start = i;
		while (is_ident_char(s[i]))
			i++;
		if (i == start)
			return 0;
		if (pre && i - start > 1 && s[start] == '0' &&
		    all_digits(s + start, i - start))
			return 0;
		if (s[i] != '.')
			return i;
		i++;
	}
}

static bool
semver_parse(const char *s, struct semver *v)
{
	size_t	 i = 0, n;
	int	 k;

	if (s == NULL)
		return false;
	if (s[0] == 'v')
		i++;
	for (k = 0; k < 3; k++) {
		n = scan_numeric(s + i);
		if (n == 0)
			return false;
		v->num[k] = s + i;
		v->numlen[k] = n;
		i += n;
		if (k < 2) {
			if (s[i] != '.')
				return false;
			i++;
		}
	}
	v->pre = NULL;
	v->prelen = 0;
	if (s[i] == '-') {
		i++;
		n = scan_idents(s + i, true);
		if (n == 0)
			return false;
		v->pre = s + i;
		v->prelen = n;
		i += n;
	}
	if (s[i] == '+') {
		i++;
		n = scan_idents(s + i, false);
		if (n == 0)
			return false;
		i += n;
	}
	return s[i] == '\0';
}

bool
semver_valid(const char *s)
{
	struct semver	 v;

	return semver_parse(s, &v);
}

static int
sign(int c)
{
	return (c > 0) - (c < 0);
}

/* Numeric identifiers (no leading zeros) of any length. */
static int
cmp_numeric(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return sign(memcmp(a, b, alen));
}

/* ASCII order; a proper prefix ranks first. */
static int
cmp_ascii(const char *a, size_t alen, const char *b, size_t blen)
{
	int	 c;

	c = memcmp(a, b, alen < blen ? alen : blen);
	if (c != 0)
		return sign(c);
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return 0;
}

/* semver.org 2.0.0 section 11, items 3 and 4. */
static int
cmp_prerelease(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t	 i = 0, j = 0, ai, bj;
	bool	 an, bn;
	int	 c;

	if (alen == 0 || blen == 0)
		return alen == blen ? 0 : (alen == 0 ? 1 : -1);
	while (i < alen && j < blen) {
		ai = i;
		while (i < alen && a[i] != '.')
			i++;
		bj = j;
		while (j < blen && b[j] != '.')
			j++;
		an = all_digits(a + ai, i - ai);
		bn = all_digits(b + bj, j - bj);
		if (an && bn)
			c = cmp_numeric(a + ai, i - ai, b + bj, j - bj);
		else if (an != bn)
			c = an ? -1 : 1;
		else
			c = cmp_ascii(a + ai, i - ai, b + bj, j - bj);
		if (c != 0)
			return c;
		/* Step over the dots. */
		if (i < alen)
			i++;
		if (j < blen)
			j++;
	}
	/* Equal so far: the one with more fields ranks higher. */
	if (i < alen)
		return 1;
	if (j < blen)
		return -1;
	return 0;
}

int
semver_cmp(const char *a, const char *b)
{
	struct semver	 va, vb;
	bool		 oka, okb;
	int		 k, c;

	oka = semver_parse(a, &va);
	okb = semver_parse(b, &vb);
	if (!oka || !okb)
		return oka == okb ? 0 : (oka ? 1 : -1);
	for (k = 0; k < 3; k++) {
		c = cmp_numeric(va.num[k], va.numlen[k], vb.num[k],
		    vb.numlen[k]);
		if (c != 0)
			return c;
	}
	return cmp_prerelease(va.pre, va.prelen, vb.pre, vb.prelen);
}
