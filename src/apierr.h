/* apierr.h: the catalogue of client-visible errors. */
#ifndef WFM_APIERR_H
#define WFM_APIERR_H

#include <stdarg.h>

/*
 * Every error a client can see is one of these.  The table in apierr.c
 * gives its HTTP status and a default sentence.  The response body is
 * always {"code":<status>,"message":"<message>"}, rendered in one place
 * (response_error() in request.c).
 */
enum apierr {
	APIERR_OK = 0,
	APIERR_BAD_REQUEST,	/* 400: malformed syntax (JSON, header) */
	APIERR_UNAUTHORIZED,	/* 401: credentials missing or wrong */
	APIERR_FORBIDDEN,	/* 403: credentials fine, action not allowed */
	APIERR_NOT_FOUND,	/* 404 */
	APIERR_METHOD,		/* 405: known path, other method */
	APIERR_TOO_LARGE,	/* 413: body or element count over a limit */
	APIERR_URI_TOO_LONG,	/* 414 */
	APIERR_MEDIA_TYPE,	/* 415: body not application/json */
	APIERR_VALIDATION,	/* 422: well-formed but invalid field */
	APIERR_TOO_MANY,	/* 429 */
	APIERR_INTERNAL,	/* 500: our bug; details only in the log */
	APIERR_UNAVAILABLE,	/* 503: database unreachable or timed out */
	APIERR__MAX
};

struct apierr_info {
	int		 status;
	const char	*reason;	/* HTTP reason phrase */
	const char	*message;	/* default client sentence */
};

extern const struct apierr_info apierrs[APIERR__MAX];

/*
 * Filled by a failing function, read by the dispatcher.  Fixed-size so
 * that the error path never allocates.  `message' goes to the client;
 * `log' (SQLSTATE, libpq text) only to the log.
 */
struct api_error {
	enum apierr	 code;
	char		 message[512];
	char		 log[512];
	/* Extra response header for some errors (Allow, WWW-Authenticate). */
	char		 header_name[32];
	char		 header_value[128];
};

void	 apierr_clear(struct api_error *);
/* Sets code and message (printf-style).  Always returns -1. */
int	 apierr_set(struct api_error *, enum apierr, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* Same, with the catalogue's default message. */
int	 apierr_code(struct api_error *, enum apierr);
/* Appends log-only detail (printf-style).  Returns -1. */
int	 apierr_log(struct api_error *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Sets the extra header.  Returns -1. */
int	 apierr_header(struct api_error *, const char *, const char *);
int	 apierr_status(enum apierr);

#endif
