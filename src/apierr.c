/* apierr.c: the catalogue of client-visible errors. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "apierr.h"

const struct apierr_info apierrs[APIERR__MAX] = {
	[APIERR_OK] = { 200, "OK", "ok" },
	[APIERR_BAD_REQUEST] = { 400, "Bad Request",
	    "the request could not be parsed" },
	[APIERR_UNAUTHORIZED] = { 401, "Unauthorized",
	    "unauthenticated for invalid credentials" },
	[APIERR_FORBIDDEN] = { 403, "Forbidden",
	    "the credentials do not allow this request" },
	[APIERR_NOT_FOUND] = { 404, "Not Found", "not found" },
	[APIERR_METHOD] = { 405, "Method Not Allowed",
	    "method not allowed" },
	[APIERR_TOO_LARGE] = { 413, "Payload Too Large",
	    "request body too large" },
	[APIERR_URI_TOO_LONG] = { 414, "URI Too Long",
	    "request path too long" },
	[APIERR_MEDIA_TYPE] = { 415, "Unsupported Media Type",
	    "unsupported media type, only [application/json] are allowed" },
	[APIERR_VALIDATION] = { 422, "Unprocessable Entity",
	    "the request is not valid" },
	[APIERR_TOO_MANY] = { 429, "Too Many Requests",
	    "too many requests, retry later" },
	[APIERR_INTERNAL] = { 500, "Internal Server Error",
	    "internal error, the request was not completed; retry later" },
	[APIERR_UNAVAILABLE] = { 503, "Service Unavailable",
	    "the database is unavailable, retry later" },
};

void
apierr_clear(struct api_error *err)
{
	err->code = APIERR_OK;
	err->message[0] = '\0';
	err->log[0] = '\0';
	err->header_name[0] = '\0';
	err->header_value[0] = '\0';
}

int
apierr_set(struct api_error *err, enum apierr code, const char *fmt, ...)
{
	va_list	 ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

int
apierr_code(struct api_error *err, enum apierr code)
{
	return apierr_set(err, code, "%s", apierrs[code].message);
}

int
apierr_log(struct api_error *err, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 len;

	len = strlen(err->log);
	if (len > 0 && len + 2 < sizeof(err->log)) {
		err->log[len++] = ';';
		err->log[len++] = ' ';
		err->log[len] = '\0';
	}
	if (len + 1 >= sizeof(err->log))
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->log + len, sizeof(err->log) - len, fmt, ap);
	va_end(ap);
	return -1;
}

int
apierr_header(struct api_error *err, const char *name, const char *value)
{
	snprintf(err->header_name, sizeof(err->header_name), "%s", name);
	snprintf(err->header_value, sizeof(err->header_value), "%s", value);
	return -1;
}

int
apierr_status(enum apierr code)
{
	if ((int)code < 0 || code >= APIERR__MAX)
		return 500;
	return apierrs[code].status;
}
