/* doctor.c: diagnostics ("doctor") reports: store, and read with Basic auth. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "../clusters_model.h"
#include "../conf.h"
#include "../crypto.h"
#include "../db_doctor.h"
#include "../uuidfmt.h"
#include "handlers.h"

/* At most this much of a bad value is quoted back in a message. */
#define RAW_MAX		128
/* Longest "user:password" taken from a Basic header. */
#define CRED_MAX	1024

#define BASIC_CHALLENGE	"Basic realm=\"workflow-manager-api\""

static int
path_uuid(const struct request *req, char uuid[UUID_STR_LEN + 1],
    struct api_error *err)
{
	const char	*raw = request_param(req, 0);

	if (raw == NULL || uuid_canon(raw, strlen(raw), uuid) == -1)
		return apierr_set(err, APIERR_VALIDATION, "uuid in path must "
		    "be a UUID: \"%.*s\"", RAW_MAX, raw != NULL ? raw : "");
	return 0;
}

/*
 * POST /v3/doctor/{uuid}: stores (replaces) a report.  No authentication:
 * clusters send it.
 * Raises HTTP 200 with an empty body, 400 malformed body, 413 over
 * doctor_max_body or the JSON limits, 415, 422 {uuid} not a UUID, a
 * namespace without a name or a workflow without an id, 503.
 */
int
handle_doctor_post(struct request *req, struct response *res,
    struct api_error *err)
{
	char			 uuid[UUID_STR_LEN + 1];
	struct json_limits	 lim;
	struct buf		 report = BUF_INIT;
	size_t			 scale;
	int			 rc;

	if (path_uuid(req, uuid, err) == -1)
		return -1;
	/*
	 * A report may be doctor_max_body / max_body times as large as any
	 * other body; so may its number of JSON values.
	 */
	scale = req->cfg->max_body > 0 ? req->cfg->doctor_max_body /
	    req->cfg->max_body : 1;
	if (scale < 1)
		scale = 1;
	lim.max_depth = req->cfg->json_max_depth;
	lim.max_elements = req->cfg->json_max_elements;
	if (lim.max_elements <= UINT_MAX / scale)
		lim.max_elements *= (unsigned)scale;
	if (doctor_decode(req->body, req->body_len, &lim, &report, err) == -1) {
		buf_free(&report);
		return -1;
	}
	rc = db_doctor_put(req->db, uuid, report.data, err);
	buf_free(&report);
	if (rc == -1)
		return -1;
	res->status = 200;
	res->content_type = NULL;
	return 0;
}

static int
unauthorized(struct api_error *err, const char *msg)
{
	apierr_header(err, "WWW-Authenticate", BASIC_CHALLENGE);
	return apierr_set(err, APIERR_UNAUTHORIZED, "%s", msg);
}

/*
 * Checks "Authorization: Basic <base64 user:password>" against
 * doctor_user and doctor_password (clear, or sha256:HEX).  Both sides are
 * hashed with SHA-256 and compared in constant time, so neither the
 * contents nor the lengths of the secrets show in the timing.  0, or -1
 * with a 401 (WWW-Authenticate: Basic).
 */
static int
check_basic(const struct config *cfg, const char *auth,
    struct api_error *err)
{
	uint8_t		 got_u[SHA256_LEN], got_p[SHA256_LEN];
	uint8_t		 want_u[SHA256_LEN], want_p[SHA256_LEN];
	char		 cred[CRED_MAX + 1];
	const char	*tok, *colon;
	size_t		 toklen;
	long		 n;
	bool		 ok;

	if (cfg->doctor_user == NULL || cfg->doctor_user[0] == '\0')
		return unauthorized(err, "reading doctor reports is disabled "
		    "until doctor_user and doctor_password are configured");
	if (auth == NULL || strncasecmp(auth, "Basic", 5) != 0 ||
	    (auth[5] != ' ' && auth[5] != '\t'))
		return unauthorized(err, apierrs[APIERR_UNAUTHORIZED].message);
	for (tok = auth + 5; *tok == ' ' || *tok == '\t'; tok++)
		;
	toklen = strlen(tok);
	while (toklen > 0 && (tok[toklen - 1] == ' ' ||
	    tok[toklen - 1] == '\t'))
		toklen--;
	if ((n = base64_decode(tok, toklen, cred, sizeof(cred))) == -1 ||
	    (colon = memchr(cred, ':', (size_t)n)) == NULL)
		return unauthorized(err, apierrs[APIERR_UNAUTHORIZED].message);

	sha256(cred, (size_t)(colon - cred), got_u);
	sha256(colon + 1, (size_t)(cred + n - colon - 1), got_p);
	sha256(cfg->doctor_user, strlen(cfg->doctor_user), want_u);
	if (strncmp(cfg->doctor_password, "sha256:", 7) == 0) {
		if (hex_decode(cfg->doctor_password + 7,
		    strlen(cfg->doctor_password + 7), want_p,
		    sizeof(want_p)) == -1)
			return unauthorized(err,
			    apierrs[APIERR_UNAUTHORIZED].message);
	} else
		sha256(cfg->doctor_password, strlen(cfg->doctor_password),
		    want_p);
	/* Both comparisons always run. */
	ok = ct_equal(got_u, want_u, SHA256_LEN);
	ok = ct_equal(got_p, want_p, SHA256_LEN) && ok;
	explicit_bzero(cred, sizeof(cred));
	if (!ok)
		return unauthorized(err, apierrs[APIERR_UNAUTHORIZED].message);
	return 0;
}

/*
 * GET /v3/doctor/{uuid}: a stored report, for staff with the configured
 * Basic credentials.
 * Raises HTTP 200 with the report, 401 (WWW-Authenticate: Basic) without
 * valid credentials or when none are configured, 404 "404 doctor report
 * not found", 422 {uuid} not a UUID, 503.
 */
int
handle_doctor_get(struct request *req, struct response *res,
    struct api_error *err)
{
	char		 uuid[UUID_STR_LEN + 1];
	const char	*json;
	size_t		 len;
	int		 rc;

	if (check_basic(req->cfg, req->authorization, err) == -1 ||
	    path_uuid(req, uuid, err) == -1)
		return -1;
	if ((rc = db_doctor_get(req->db, req->arena, uuid, &json, &len,
	    err)) == -1)
		return -1;
	if (rc == 0)
		return apierr_set(err, APIERR_NOT_FOUND,
		    "404 doctor report not found");
	response_json(res, 200);
	buf_put(&res->body, json, len);
	buf_putc(&res->body, '\n');
	return 0;
}
