/* router.h: the route table and path matching. */
#ifndef WFM_ROUTER_H
#define WFM_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "request.h"

enum route {
	ROUTE_PING = 0,
	ROUTE_HEALTHZ,
	ROUTE_METRICS,
	ROUTE_SWAGGER,
	ROUTE_CLUSTERS_V3,		/* /v3/clusters */
	ROUTE_CLUSTERS_V2,		/* /v2/clusters/{id} */
	ROUTE_CLUSTERS_COUNT,
	ROUTE_CLUSTERS_AGE,
	ROUTE_CLUSTERS_CHECKINS,
	ROUTE_CLUSTERS_PERSISTENT,
	ROUTE_CLUSTER,			/* /v3/clusters/{id} */
	ROUTE_VERSIONS_LATEST_V3,	/* /v3/versions/latest */
	ROUTE_VERSIONS_LATEST_V2,	/* /v2/versions/latest */
	ROUTE_VERSIONS_LIST,		/* /v3/versions/{train}/{component} */
	ROUTE_VERSION,			/* .../{component}/{release} */
	ROUTE_DOCTOR,			/* /v3/doctor/{uuid} */
	ROUTE__MAX
};

/* Route flags. */
#define ROUTE_F_DB	0x01	/* needs the database (503 when down) */
#define ROUTE_F_BODY	0x02	/* reads a JSON body (POST) */
#define ROUTE_F_DOCTOR	0x04	/* body limit is doctor_max_body */

/*
 * A handler fills `res' and returns 0, or returns -1 with `err' set; the
 * dispatcher then renders the error.  Handlers never touch libfcgi.
 */
typedef int (*handler_fn)(struct request *, struct response *,
    struct api_error *);

struct route_method {
	enum http_method method;
	handler_fn	 handler;
	unsigned	 flags;
};

struct route_def {
	const char		*pattern;	/* "/v3/clusters/{id}" */
	const char		*name;		/* metrics label */
	struct route_method	 methods[2];	/* method HTTP__MAX ends */
};

extern const struct route_def routes[ROUTE__MAX];

enum router_result {
	ROUTER_FOUND = 0,
	ROUTER_NOT_FOUND,	/* 404 */
	ROUTER_METHOD,		/* 405; `allow' lists the methods */
};

/*
 * Matches `path' (normalised) and `method'.  On ROUTER_FOUND sets
 * req->route, req->params, *rm.  HEAD matches a GET route.  On
 * ROUTER_METHOD writes the comma list of allowed methods into allow.
 * Path parameters are arena copies.
 */
enum router_result router_match(struct request *, const char *path,
	    enum http_method, const struct route_method **rm,
	    char *allow, size_t allowsz);

/*
 * Routing, checks (405/404/415/413) and the handler, for one request whose
 * body (if any) fcgi_io has not read yet: `read_body' is called to read it.
 * Fills res in every case.
 */
typedef int (*body_reader_fn)(struct request *, size_t limit,
    struct api_error *);
void	 dispatch(struct request *, struct response *, body_reader_fn);

#endif
