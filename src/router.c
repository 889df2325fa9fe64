/* router.c: the route table, path matching and the dispatcher. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "db.h"
#include "log.h"
#include "handlers/handlers.h"
#include "router.h"

#define M(m, h, f) { m, h, f }
#define END { HTTP__MAX, NULL, 0 }

const struct route_def routes[ROUTE__MAX] = {
	[ROUTE_PING] = { "/ping", "ping",
	    { M(HTTP_GET, handle_ping, 0), END } },
	[ROUTE_HEALTHZ] = { "/healthz", "healthz",
	    { M(HTTP_GET, handle_healthz, 0), END } },
	[ROUTE_METRICS] = { "/metrics", "metrics",
	    { M(HTTP_GET, handle_metrics, 0), END } },
	[ROUTE_SWAGGER] = { "/swagger.json", "swagger",
	    { M(HTTP_GET, handle_swagger, 0), END } },
	[ROUTE_CLUSTERS_V3] = { "/v3/clusters", "clusters_checkin",
	    { M(HTTP_POST, handle_clusters_checkin,
	    ROUTE_F_DB | ROUTE_F_BODY), END } },
	[ROUTE_CLUSTERS_V2] = { "/v2/clusters/{id}", "clusters_checkin_v2",
	    { M(HTTP_POST, handle_clusters_checkin_v2,
	    ROUTE_F_DB | ROUTE_F_BODY), END } },
	[ROUTE_CLUSTERS_COUNT] = { "/v3/clusters/count", "clusters_count",
	    { M(HTTP_GET, handle_clusters_count, ROUTE_F_DB), END } },
	[ROUTE_CLUSTERS_AGE] = { "/v3/clusters/age", "clusters_age",
	    { M(HTTP_GET, handle_clusters_age, ROUTE_F_DB), END } },
	[ROUTE_CLUSTERS_CHECKINS] = { "/v3/clusters/checkins",
	    "clusters_checkins",
	    { M(HTTP_GET, handle_clusters_checkins, ROUTE_F_DB), END } },
	[ROUTE_CLUSTERS_PERSISTENT] = { "/v3/clusters/persistent",
	    "clusters_persistent",
	    { M(HTTP_GET, handle_clusters_persistent, ROUTE_F_DB), END } },
	[ROUTE_CLUSTER] = { "/v3/clusters/{id}", "cluster",
	    { M(HTTP_GET, handle_clusters_get, ROUTE_F_DB), END } },
	[ROUTE_VERSIONS_LATEST_V3] = { "/v3/versions/latest",
	    "versions_latest",
	    { M(HTTP_POST, handle_versions_latest_v3,
	    ROUTE_F_DB | ROUTE_F_BODY), END } },
	[ROUTE_VERSIONS_LATEST_V2] = { "/v2/versions/latest",
	    "versions_latest_v2",
	    { M(HTTP_POST, handle_versions_latest_v2,
	    ROUTE_F_DB | ROUTE_F_BODY), END } },
	[ROUTE_VERSIONS_LIST] = { "/v3/versions/{train}/{component}",
	    "versions_list",
	    { M(HTTP_GET, handle_versions_list, ROUTE_F_DB), END } },
	[ROUTE_VERSION] = { "/v3/versions/{train}/{component}/{release}",
	    "version",
	    { M(HTTP_GET, handle_versions_get, ROUTE_F_DB),
	      M(HTTP_POST, handle_versions_publish,
	      ROUTE_F_DB | ROUTE_F_BODY) } },
	[ROUTE_DOCTOR] = { "/v3/doctor/{uuid}", "doctor",
	    { M(HTTP_GET, handle_doctor_get, ROUTE_F_DB),
	      M(HTTP_POST, handle_doctor_post,
	      ROUTE_F_DB | ROUTE_F_BODY | ROUTE_F_DOCTOR) } },
};

/*
 * Does `path' match `pattern'?  Fills params and a specificity score:
 * one bit per segment, set where the pattern's segment is static, most
 * significant first, so that static segments win over parameters.
 */
static bool
match(const char *pattern, const char *path, struct arena *a,
    const char **params, size_t *nparams, unsigned long *score)
{
	const char	*pp = pattern, *sp = path;
	size_t		 n = 0;
	unsigned long	 sc = 0;

	while (*pp != '\0' && *sp != '\0') {
		const char	*pe, *se;

		if (*pp != '/' || *sp != '/')
			return false;
		pp++;
		sp++;
		pe = strchr(pp, '/');
		if (pe == NULL)
			pe = pp + strlen(pp);
		se = strchr(sp, '/');
		if (se == NULL)
			se = sp + strlen(sp);
		if (se == sp)
			return false;	/* empty segment */
		sc <<= 1;
		if (*pp == '{') {
			if (n == REQUEST_MAX_PARAMS)
				return false;
			if (a != NULL)
				params[n] = arena_strndup(a, sp,
				    (size_t)(se - sp));
			n++;
		} else {
			if ((size_t)(pe - pp) != (size_t)(se - sp) ||
			    memcmp(pp, sp, (size_t)(se - sp)) != 0)
				return false;
			sc |= 1;
		}
		pp = pe;
		sp = se;
	}
	if (*pp != '\0' || *sp != '\0')
		return false;
	*nparams = n;
	*score = sc;
	return true;
}

static void
allow_list(const struct route_def *r, char *allow, size_t sz)
{
	bool	 has[HTTP__MAX] = { false };
	size_t	 len = 0;

	for (size_t i = 0; i < 2; i++) {
		if (r->methods[i].handler == NULL)
			continue;
		has[r->methods[i].method] = true;
		if (r->methods[i].method == HTTP_GET)
			has[HTTP_HEAD] = true;
	}
	allow[0] = '\0';
	for (int m = 0; m < HTTP__MAX; m++) {
		if (!has[m])
			continue;
		len += (size_t)snprintf(allow + len, len < sz ? sz - len : 0,
		    "%s%s", len > 0 ? "," : "", http_methods[m]);
	}
}

enum router_result
router_match(struct request *req, const char *path, enum http_method method,
    const struct route_method **rm, char *allow, size_t allowsz)
{
	const char	*params[REQUEST_MAX_PARAMS];
	size_t		 n, bestn = 0;
	unsigned long	 score, bestscore = 0;
	int		 best = -1;
	enum http_method want;

	*rm = NULL;
	for (int i = 0; i < ROUTE__MAX; i++) {
		if (!match(routes[i].pattern, path, NULL, params, &n, &score))
			continue;
		if (best == -1 || score > bestscore) {
			best = i;
			bestscore = score;
			bestn = n;
		}
	}
	if (best == -1)
		return ROUTER_NOT_FOUND;
	match(routes[best].pattern, path, req->arena, req->params, &n, &score);
	req->nparams = bestn;
	req->route = best;
	want = method == HTTP_HEAD ? HTTP_GET : method;
	for (size_t i = 0; i < 2; i++)
		if (routes[best].methods[i].handler != NULL &&
		    routes[best].methods[i].method == want) {
			*rm = &routes[best].methods[i];
			return ROUTER_FOUND;
		}
	allow_list(&routes[best], allow, allowsz);
	return ROUTER_METHOD;
}

static int
route(struct request *req, struct response *res, body_reader_fn read_body,
    struct api_error *err)
{
	const struct route_method	*rm;
	char				 allow[64];
	size_t				 limit;

	if (req->path == NULL)
		return apierr_set(err, APIERR_BAD_REQUEST,
		    "the request path is not valid");
	if (req->cfg != NULL && strlen(req->path) > req->cfg->max_path)
		return apierr_set(err, APIERR_URI_TOO_LONG, "the request path "
		    "is longer than %zu bytes", req->cfg->max_path);
	switch (router_match(req, req->path, req->method, &rm, allow,
	    sizeof(allow))) {
	case ROUTER_NOT_FOUND:
		return apierr_set(err, APIERR_NOT_FOUND,
		    "path %s was not found", req->path);
	case ROUTER_METHOD:
		apierr_header(err, "Allow", allow);
		return apierr_set(err, APIERR_METHOD,
		    "method %s is not allowed, but [%s] are",
		    req->method_name, allow);
	default:
		break;
	}
	res->head_only = req->method == HTTP_HEAD;
	if (rm->flags & ROUTE_F_BODY) {
		if (request_check_json_type(req, err) == -1)
			return -1;
		limit = req->cfg->max_body;
		if (rm->flags & ROUTE_F_DOCTOR)
			limit = req->cfg->doctor_max_body;
		if (req->content_length > (long long)limit)
			return apierr_set(err, APIERR_TOO_LARGE, "request body "
			    "of %lld bytes is over the limit of %zu bytes",
			    req->content_length, limit);
		if (read_body(req, limit, err) == -1)
			return -1;
	}
	if ((rm->flags & ROUTE_F_DB) && db_ensure(req->db, err) == -1)
		return -1;
	return rm->handler(req, res, err);
}

void
dispatch(struct request *req, struct response *res, body_reader_fn read_body)
{
	struct api_error	 err;

	apierr_clear(&err);
	if (route(req, res, read_body, &err) == 0)
		return;
	if (res->streaming) {
		/* Headers are out: all we can do is cut the answer short. */
		res->failed = true;
		return;
	}
	if (err.code == APIERR_INTERNAL || err.code == APIERR_UNAVAILABLE ||
	    err.log[0] != '\0')
		log_err("%s %s: %d %s%s%s", req->method_name,
		    req->path != NULL ? req->path : "-",
		    apierr_status(err.code), err.message,
		    err.log[0] != '\0' ? ": " : "", err.log);
	response_error(res, req, &err);
}
