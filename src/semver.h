/* semver.h: semantic version 2.0.0 precedence, with an optional leading v. */
#ifndef WFM_SEMVER_H
#define WFM_SEMVER_H

#include <stdbool.h>

/*
 * Is `s' a semantic version (2.0.0 grammar: MAJOR.MINOR.PATCH, optional
 * -prerelease and +build, no leading zeros in numeric identifiers), after
 * one optional leading 'v'?
 */
bool	 semver_valid(const char *s);

/*
 * Precedence: <0, 0, >0 as a ranks below, equal to, above b.  Build
 * metadata is ignored; a leading 'v' is ignored; numeric identifiers of
 * any length compare numerically.  A non-semver string ranks below every
 * semver string; two non-semver strings are equal (0).  NULL counts as
 * a non-semver string.  The result is always -1, 0 or 1.
 */
int	 semver_cmp(const char *a, const char *b);

#endif
