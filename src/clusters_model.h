/* clusters_model.h: the cluster and doctorInfo models, read and written. */
#ifndef WFM_CLUSTERS_MODEL_H
#define WFM_CLUSTERS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apierr.h"
#include "arena.h"
#include "buf.h"
#include "json.h"
#include "jw.h"
#include "uuidfmt.h"

/* A check-in as it will be stored. */
struct cluster_in {
	char		 id[UUID_STR_LEN + 1];	/* canonical */
	/* "[...]" re-rendered by the model, or "null" when absent; arena */
	const char	*components;
	size_t		 components_len;
	/* what clusters.data keeps: {"components":...,"id":"..."}; arena */
	const char	*data;
};

/*
 * Reads a check-in body (a cluster).  Keys match case-insensitively,
 * unknown keys (firstSeen and lastSeen too: the server keeps its own)
 * are dropped, each component keeps what the componentVersion model
 * keeps (a null element stays null).  `path_id' is the {id} of
 * POST /v2/clusters/{id}, used when the body has no id; NULL for v3.
 * Returns 0, or -1 with err: 400 for malformed JSON or a wrong JSON
 * type, 413 over the JSON limits, 422 "id in body is required" or
 * "id in body must be a UUID: \"<raw>\"" (or "id in path ...").
 */
int	 cluster_decode(struct arena *, const char *body, size_t len,
	    const struct json_limits *, const char *path_id,
	    struct cluster_in *, struct api_error *);

/*
 * Writes a cluster as the API returns it: components (JSON text, written
 * as is; NULL = null), firstSeen, id, lastSeen (the times only when
 * has_times; microseconds since the epoch, written with milliseconds).
 */
void	 cluster_render(struct jw *, const char *components, size_t len,
	    const char *id, bool has_times, int64_t first_us,
	    int64_t last_us);

/*
 * Reads a doctor report (doctorInfo) and writes it into `out' as the
 * original's model renders it: {"namespaces":..,"nodes":..,"workflow":..}
 * with every namespace's keys in model order, missing parts null, and
 * each k8sResource's `data' copied byte for byte from the body.  Returns
 * 0, or -1 with err: 400 for malformed JSON or a wrong JSON type, 413
 * over the limits, 422 "name in body is required" (a namespace without a
 * name) or "id in body is required" (a workflow without an id), the
 * first in the original's validation order.
 */
int	 doctor_decode(const char *body, size_t len,
	    const struct json_limits *, struct buf *out, struct api_error *);

#endif
