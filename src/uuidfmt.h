/* uuidfmt.h: UUIDs in every form PostgreSQL accepts, to canonical text. */
#ifndef WFM_UUIDFMT_H
#define WFM_UUIDFMT_H

#include <stddef.h>

#define UUID_STR_LEN 36

/*
 * Accepts what PostgreSQL's uuid_in accepts: 32 hex digits of either
 * case, optionally in braces, with an optional '-' after any group of
 * four digits but the last.  Writes the canonical lower-case form
 * (8-4-4-4-12) and a NUL into out.  Returns 0, or -1.
 */
int	 uuid_canon(const char *s, size_t len, char out[UUID_STR_LEN + 1]);

#endif
