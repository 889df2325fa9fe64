/* health.c: /ping, /healthz, /metrics and /swagger.json. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../conf.h"
#include "../db.h"
#include "../jw.h"
#include "../log.h"
#include "../metrics.h"
#include "../timefmt.h"
#include "handlers.h"

/*
 * GET /ping: liveness, never touches the database.
 * Raises HTTP 200 with an empty body.
 */
int
handle_ping(struct request *req, struct response *res, struct api_error *err)
{
	res->status = 200;
	res->content_type = NULL;
	return 0;
}

/*
 * GET /healthz: readiness, with a database round trip.
 * Raises HTTP 200 when the database answers, 503 (with Retry-After and the
 * same facts) when it does not.
 */
int
handle_healthz(struct request *req, struct response *res,
    struct api_error *err)
{
	struct api_error	 dberr;
	struct jw		 w;
	char			 version[32] = "";
	double			 rtt = 0;
	long long		 schema = 0;
	bool			 up;
	char			 num[32];

	apierr_clear(&dberr);
	up = db_ensure(req->db, &dberr) == 0 && db_health(req->db, &rtt,
	    version, sizeof(version), &schema, &dberr) == 0;
	if (up && req->metrics != NULL)
		metrics_set_schema_version(req->metrics, schema);
	response_json(res, up ? 200 : 503);
	jw_init(&w, &res->body);
	jw_obj_open(&w);
	if (!up) {
		jw_kint(&w, "code", 503);
		jw_kstr(&w, "message", apierrs[APIERR_UNAVAILABLE].message);
		response_header(res, "Retry-After", arena_printf(req->arena,
		    "%u", req->cfg->retry_after));
		if (dberr.log[0] != '\0')
			log_warn("healthz: %s", dberr.log);
	}
	jw_kstr(&w, "status", up ? "ok" : "unavailable");
	jw_key(&w, "database");
	jw_obj_open(&w);
	jw_key(&w, "reachable");
	jw_bool(&w, up);
	if (up) {
		snprintf(num, sizeof(num), "%.3f", rtt);
		jw_key(&w, "rtt_ms");
		jw_raw(&w, num, strlen(num));
		jw_kstr(&w, "server_version", version);
		jw_kint(&w, "schema_version", schema);
	}
	jw_obj_close(&w);
	jw_key(&w, "worker");
	jw_obj_open(&w);
	jw_kint(&w, "pid", (long long)getpid());
	snprintf(num, sizeof(num), "%.3f", time_mono() - req->worker_started);
	jw_key(&w, "uptime_seconds");
	jw_raw(&w, num, strlen(num));
	jw_kint(&w, "requests_served", (long long)req->worker_served);
	jw_obj_close(&w);
	jw_kstr(&w, "version", PACKAGE_VERSION);
	jw_obj_close(&w);
	buf_putc(&res->body, '\n');
	return 0;
}

/*
 * GET /metrics: Prometheus text exposition for the whole pool.
 * Raises HTTP 200, or 404 when metrics are off in the configuration.
 */
int
handle_metrics(struct request *req, struct response *res,
    struct api_error *err)
{
	if (!req->cfg->metrics || req->metrics == NULL)
		return apierr_set(err, APIERR_NOT_FOUND,
		    "path %s was not found", req->path);
	res->status = 200;
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
	metrics_render(req->metrics, &res->body);
	return 0;
}

/*
 * GET /swagger.json: the OpenAPI document of this service.
 * Raises HTTP 200, or 500 when the file cannot be read.
 */
int
handle_swagger(struct request *req, struct response *res,
    struct api_error *err)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;

	if ((f = fopen(req->cfg->openapi_file, "r")) == NULL) {
		apierr_log(err, "cannot open %s: %s", req->cfg->openapi_file,
		    strerror(errno));
		return apierr_code(err, APIERR_INTERNAL);
	}
	response_json(res, 200);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&res->body, chunk, n);
	if (ferror(f)) {
		fclose(f);
		apierr_log(err, "cannot read %s", req->cfg->openapi_file);
		return apierr_code(err, APIERR_INTERNAL);
	}
	fclose(f);
	return 0;
}
