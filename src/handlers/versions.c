/* versions.c: the release catalogue: publish, get, list and latest. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../auth.h"
#include "../conf.h"
#include "../db_versions.h"
#include "../json.h"
#include "../jw.h"
#include "../model.h"
#include "../timefmt.h"
#include "handlers.h"

/* Longest client value quoted in a message, in bytes. */
#define MSG_CLIP	64

static const char not_found[] = "404 release not found";

/* `s' for a message: cut at MSG_CLIP bytes on a character boundary. */
static const char *
clip(struct arena *a, const char *s)
{
	size_t	 n = strlen(s);

	if (n <= MSG_CLIP)
		return s;
	n = MSG_CLIP - 3;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return arena_printf(a, "%.*s...", (int)n, s);
}

static cJSON *
parse_body(const struct request *req, struct api_error *err)
{
	struct json_limits	 lim;

	lim.max_depth = req->cfg->json_max_depth;
	lim.max_elements = req->cfg->json_max_elements;
	return json_parse_body(req->body, req->body_len, &lim, err);
}

/*
 * Can a path value name a stored row?  Anything else (invalid UTF-8,
 * longer than the column) simply finds nothing, without asking the
 * database.
 */
static bool
lookup_ok(const char *s, size_t maxchars)
{
	size_t	 n = db_versions_chars(s);

	return n != SIZE_MAX && n <= maxchars;
}

static void
render_row(struct jw *w, const struct db_version *row)
{
	struct component_version	 cv;
	char				 released[32];

	db_versions_cv(row, released, &cv);
	model_cv_render(w, &cv);
}

/* Writes {"data":[rows...]}\n as the 200 answer. */
static void
render_list(struct response *res, const struct db_version *const *rows,
    size_t n)
{
	struct jw	 w;

	response_json(res, 200);
	jw_init(&w, &res->body);
	jw_obj_open(&w);
	jw_key(&w, "data");
	jw_arr_open(&w);
	for (size_t i = 0; i < n; i++)
		if (rows[i] != NULL)
			render_row(&w, rows[i]);
	jw_arr_close(&w);
	jw_obj_close(&w);
	buf_putc(&res->body, '\n');
}

/* 422 for a path value that cannot be stored. */
static int
check_name(const char *value, const char *what, size_t max,
    struct api_error *err)
{
	if (db_versions_name_ok(value, max))
		return 0;
	return apierr_set(err, APIERR_VALIDATION, "%s must be 1 to %zu "
	    "characters without control characters or '/'", what, max);
}

/* 400 when the body gives a non-empty value other than the path's. */
static int
check_match(struct arena *a, const char *field, const char *body,
    const char *path, struct api_error *err)
{
	if (body == NULL || *body == '\0' || strcmp(body, path) == 0)
		return 0;
	return apierr_set(err, APIERR_BAD_REQUEST, "%s in body (\"%s\") does "
	    "not match the path (\"%s\")", field, clip(a, body), path);
}

/* Is the instant within years 0000-9999 (the output has four digits)? */
static bool
year_ok(int64_t sec)
{
	return sec >= time_days_from_civil(0, 1, 1) * 86400 &&
	    sec < time_days_from_civil(10000, 1, 1) * 86400;
}

/*
 * POST /v3/versions/{train}/{component}/{release}: publishes a release,
 * or replaces release time and data of an existing one (one statement).
 * Path values win; the body may leave them out.
 * Raises HTTP 200 with the stored release; 400 for a malformed body or a
 * body value that contradicts the path; 401 without a valid publisher
 * token (WWW-Authenticate: Bearer); 403 for a token outside its scope or
 * when no token is configured; 413, 415 (dispatcher); 422 for an
 * unstorable name, train or version, a missing version object, a missing
 * or invalid version.released; 500; 503.
 */
int
handle_versions_publish(struct request *req, struct response *res,
    struct api_error *err)
{
	const char			*train = request_param(req, 0);
	const char			*component = request_param(req, 1);
	const char			*release = request_param(req, 2);
	struct component_version	 cv;
	struct db_version		 row;
	struct wtime			 t;
	struct jw			 w;
	cJSON				*root;
	int				 rc = -1;

	if (auth_publish(req->cfg, req->authorization, component, train,
	    err) == -1)
		return -1;
	if ((root = parse_body(req, err)) == NULL)
		return -1;
	memset(&cv, 0, sizeof(cv));
	if (!cJSON_IsNull(root) &&
	    model_cv_decode(root, "body", &cv, err) == -1)
		goto out;
	if (check_name(component, "component name", VERSIONS_COMPONENT_MAX,
	    err) == -1 ||
	    check_name(train, "train", VERSIONS_TRAIN_MAX, err) == -1 ||
	    check_name(release, "version", VERSIONS_VERSION_MAX, err) == -1)
		goto out;
	if (check_match(req->arena, "component.name", cv.c_name, component,
	    err) == -1 ||
	    check_match(req->arena, "version.train", cv.train, train,
	    err) == -1 ||
	    check_match(req->arena, "version.version", cv.version, release,
	    err) == -1)
		goto out;
	if (!cv.has_version) {
		apierr_set(err, APIERR_VALIDATION,
		    "version in body is required");
		goto out;
	}
	if (cv.released == NULL || *cv.released == '\0') {
		apierr_set(err, APIERR_VALIDATION,
		    "version.released in body is required");
		goto out;
	}
	if (time_parse_rfc3339(cv.released, strlen(cv.released), &t) == -1 ||
	    !year_ok(t.sec)) {
		apierr_set(err, APIERR_VALIDATION, "version.released in body "
		    "must be of type date-time: \"%s\"",
		    clip(req->arena, cv.released));
		goto out;
	}
	if (db_versions_publish(req->db, req->arena, component, train,
	    release, t.sec, cv.has_data ? &cv.data : NULL, &row, err) == -1)
		goto out;
	response_json(res, 200);
	jw_init(&w, &res->body);
	render_row(&w, &row);
	buf_putc(&res->body, '\n');
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

/*
 * GET /v3/versions/{train}/{component}/{release}: one release, or the
 * latest one when {release} is "latest" (newest release time, then the
 * highest semantic version, then the first published).
 * Raises HTTP 200 with the release; 404 "404 release not found"; 500;
 * 503.
 */
int
handle_versions_get(struct request *req, struct response *res,
    struct api_error *err)
{
	const char		*train = request_param(req, 0);
	const char		*component = request_param(req, 1);
	const char		*release = request_param(req, 2);
	struct db_version	 row;
	struct jw		 w;
	bool			 found = false;

	if (!lookup_ok(component, VERSIONS_COMPONENT_MAX) ||
	    !lookup_ok(train, VERSIONS_TRAIN_MAX))
		return apierr_set(err, APIERR_NOT_FOUND, "%s", not_found);
	if (strcmp(release, "latest") == 0) {
		if (db_versions_latest(req->db, req->arena, component, train,
		    &row, &found, err) == -1)
			return -1;
	} else if (lookup_ok(release, VERSIONS_VERSION_MAX)) {
		if (db_versions_get(req->db, req->arena, component, train,
		    release, &row, &found, err) == -1)
			return -1;
	}
	if (!found)
		return apierr_set(err, APIERR_NOT_FOUND, "%s", not_found);
	response_json(res, 200);
	jw_init(&w, &res->body);
	render_row(&w, &row);
	buf_putc(&res->body, '\n');
	return 0;
}

/*
 * GET /v3/versions/{train}/{component}: every release of the component
 * on the train, oldest release time first.
 * Raises HTTP 200 with {"data":[...]} ({"data":[]} when none); 500; 503.
 */
int
handle_versions_list(struct request *req, struct response *res,
    struct api_error *err)
{
	const char			 *train = request_param(req, 0);
	const char			 *component = request_param(req, 1);
	struct db_version		 *rows = NULL;
	const struct db_version		**ptrs;
	size_t				  n = 0;

	if (lookup_ok(component, VERSIONS_COMPONENT_MAX) &&
	    lookup_ok(train, VERSIONS_TRAIN_MAX) &&
	    db_versions_list(req->db, req->arena, component, train, &rows, &n,
	    err) == -1)
		return -1;
	ptrs = arena_calloc(req->arena, n > 0 ? n : 1, sizeof(*ptrs));
	for (size_t i = 0; i < n; i++)
		ptrs[i] = &rows[i];
	render_list(res, ptrs, n);
	return 0;
}

/* ------------------------------------------------------------ multi-get */

/*
 * The distinct pairs of a request in first-request order, with an open
 * addressing hash set over them (slot = index + 1, 0 = empty).
 */
struct pairset {
	struct db_version_pair	*pairs;
	size_t			 n;
	size_t			 max;
	size_t			*slots;
	size_t			 mask;
};

static uint64_t
pair_hash(const char *c, const char *t)
{
	uint64_t	 h = 14695981039346656037ULL;

	for (; *c != '\0'; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;	/* never in UTF-8 */
	for (; *t != '\0'; t++)
		h = (h ^ (unsigned char)*t) * 1099511628211ULL;
	return h;
}

static void
pairset_init(struct pairset *s, struct arena *a, size_t max)
{
	size_t	 cap = 4;

	while (cap < 2 * max + 2)
		cap <<= 1;
	s->pairs = arena_calloc(a, max > 0 ? max : 1, sizeof(*s->pairs));
	s->n = 0;
	s->max = max;
	s->slots = arena_calloc(a, cap, sizeof(*s->slots));
	s->mask = cap - 1;
}

/* Adds a pair unless present.  0, or -1 when it would be one too many. */
static int
pairset_add(struct pairset *s, const char *c, const char *t)
{
	size_t	 i = (size_t)pair_hash(c, t) & s->mask;

	for (; s->slots[i] != 0; i = (i + 1) & s->mask) {
		const struct db_version_pair *p = &s->pairs[s->slots[i] - 1];

		if (strcmp(p->component, c) == 0 && strcmp(p->train, t) == 0)
			return 0;
	}
	if (s->n == s->max)
		return -1;
	s->pairs[s->n].component = c;
	s->pairs[s->n].train = t;
	s->slots[i] = ++s->n;
	return 0;
}

static int
latest_many(struct request *req, struct response *res, bool v2,
    struct api_error *err)
{
	const struct db_version	**best;
	struct component_version  cv;
	struct pairset		  set;
	const cJSON		 *arr = NULL, *el;
	cJSON			 *root;
	size_t			  i, nel;
	size_t			  max = req->cfg->max_latest_pairs;
	char			  path[48];
	int			  rc = -1;

	if ((root = parse_body(req, err)) == NULL)
		return -1;
	if (!cJSON_IsNull(root) && !cJSON_IsObject(root)) {
		apierr_set(err, APIERR_BAD_REQUEST, "parsing body body from "
		    "\"\" failed, because body must be an object");
		goto out;
	}
	if (json_get_array(root, "data", "data", &arr, err) == -1)
		goto out;
	nel = arr != NULL ? (size_t)cJSON_GetArraySize(arr) : 0;
	pairset_init(&set, req->arena, nel < max ? nel : max);
	for (i = 0, el = arr != NULL ? arr->child : NULL; el != NULL;
	    i++, el = el->next) {
		const char	*train;

		snprintf(path, sizeof(path), "data[%zu]", i);
		if (cJSON_IsNull(el)) {
			apierr_set(err, APIERR_VALIDATION, "%s.component in "
			    "body is required", path);
			goto out;
		}
		if (model_cv_decode(el, path, &cv, err) == -1)
			goto out;
		if (!cv.has_component) {
			apierr_set(err, APIERR_VALIDATION, "%s.component in "
			    "body is required", path);
			goto out;
		}
		if (cv.c_name == NULL || *cv.c_name == '\0') {
			apierr_set(err, APIERR_VALIDATION, "%s.component.name "
			    "in body is required", path);
			goto out;
		}
		if (!cv.has_version) {
			apierr_set(err, APIERR_VALIDATION, "%s.version in "
			    "body is required", path);
			goto out;
		}
		train = cv.train != NULL ? cv.train : "";
		if (v2 && *train == '\0')
			train = "beta";
		if (pairset_add(&set, cv.c_name, train) == -1) {
			apierr_set(err, APIERR_TOO_LARGE, "at most %zu "
			    "(component, train) pairs per request", max);
			goto out;
		}
	}
	if (db_versions_latest_many(req->db, req->arena, set.pairs, set.n,
	    &best, err) == -1)
		goto out;
	render_list(res, best, set.n);
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

/*
 * POST /v3/versions/latest: the latest release of each distinct
 * (component, train) pair of the body, in first-request order; pairs
 * without a release are left out.  One database round trip.
 * Raises HTTP 200 with {"data":[...]}; 400 for a malformed body; 413 for
 * more than max_latest_pairs pairs (and the dispatcher's limits); 415;
 * 422 for an element without component, component.name or version; 500;
 * 503.
 */
int
handle_versions_latest_v3(struct request *req, struct response *res,
    struct api_error *err)
{
	return latest_many(req, res, false, err);
}

/*
 * POST /v2/versions/latest: as the v3 route, but a train that is "" or
 * missing means "beta" (the beta-era clients).
 * Raises the same statuses as handle_versions_latest_v3.
 */
int
handle_versions_latest_v2(struct request *req, struct response *res,
    struct api_error *err)
{
	return latest_many(req, res, true, err);
}
