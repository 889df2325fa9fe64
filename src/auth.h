/* auth.h: publisher bearer tokens for POST /v3/versions/... */
#ifndef WFM_AUTH_H
#define WFM_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "apierr.h"

struct config;
struct publish_token;

/*
 * May the request with this Authorization header (NULL when absent)
 * publish `component' on `train'?  The presented token is hashed with
 * SHA-256 and compared in constant time with every configured hash (all
 * of them, whatever matched).  Returns 0 when allowed (always when
 * publish_auth is off), or -1 with:
 *   403 when no publish_token is configured (the message says how),
 *   401 and WWW-Authenticate: Bearer without a bearer token or with an
 *       unknown one,
 *   403 when no matching token has `component' and `train' in its scope.
 * The token never reaches a message or the log.
 */
int	 auth_publish(const struct config *, const char *authorization,
	    const char *component, const char *train, struct api_error *)
	    __attribute__((warn_unused_result));

/*
 * The token of an "Authorization: Bearer <token>" header: scheme
 * matched case-insensitively, then blanks, then one word with no blank
 * or control character (trailing blanks allowed).  Returns 0 with *token
 * (borrowed from `authorization') and *len, or -1.
 */
int	 auth_bearer(const char *authorization, const char **token,
	    size_t *len);

/*
 * Is (component, train) in the token's scope: `component' matches one of
 * its fnmatch(3) patterns (or it has none) and `train' equals one of its
 * trains (or it has none)?
 */
bool	 auth_scope_ok(const struct publish_token *, const char *component,
	    const char *train);

#endif
