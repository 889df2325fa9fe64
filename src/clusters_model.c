/* clusters_model.c: the cluster and doctorInfo models, read and written. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "clusters_filter.h"
#include "clusters_model.h"
#include "model.h"
#include "timefmt.h"

#define PARSE_PREFIX	"parsing body body from \"\" failed, because "
/* At most this much of a bad value is quoted back in a message. */
#define RAW_MAX		128

/*
 * Writes the components array of a cluster: null when absent, null
 * elements kept, every other element through the componentVersion model.
 * `path' names the array in messages.
 */
static int
render_components(struct jw *w, const cJSON *arr, const char *path,
    struct api_error *err)
{
	struct component_version cv;
	const cJSON	*c;
	char		 p[96];
	int		 i = 0;

	if (arr == NULL) {
		jw_null(w);
		return 0;
	}
	jw_arr_open(w);
	for (c = arr->child; c != NULL; c = c->next, i++) {
		if (cJSON_IsNull(c)) {
			jw_null(w);
			continue;
		}
		snprintf(p, sizeof(p), "%s[%d]", path, i);
		if (model_cv_decode(c, p, &cv, err) == -1)
			return -1;
		model_cv_render(w, &cv);
	}
	jw_arr_close(w);
	return 0;
}

int
cluster_decode(struct arena *a, const char *body, size_t len,
    const struct json_limits *lim, const char *path_id,
    struct cluster_in *out, struct api_error *err)
{
	cJSON		*root;
	const cJSON	*comps;
	const char	*id;
	const char	*where = "body";
	struct buf	 b = BUF_INIT;
	struct jw	 w;
	int		 rc = -1;

	memset(out, 0, sizeof(*out));
	if ((root = json_parse_body(body, len, lim, err)) == NULL)
		return -1;
	if (!cJSON_IsObject(root) && !cJSON_IsNull(root)) {
		apierr_set(err, APIERR_BAD_REQUEST, PARSE_PREFIX
		    "body must be an object");
		goto out;
	}
	if (json_get_array(root, "components", "components", &comps,
	    err) == -1 || json_get_string(root, "id", "id", &id, err) == -1)
		goto out;

	/* The body's id wins; the v2 path's is used when it has none. */
	if ((id == NULL || *id == '\0') && path_id != NULL) {
		id = path_id;
		where = "path";
	}
	if (id == NULL || *id == '\0') {
		apierr_set(err, APIERR_VALIDATION, "id in body is required");
		goto out;
	}
	if (uuid_canon(id, strlen(id), out->id) == -1) {
		apierr_set(err, APIERR_VALIDATION, "id in %s must be a UUID: "
		    "\"%.*s\"", where, RAW_MAX, id);
		goto out;
	}

	jw_init(&w, &b);
	if (render_components(&w, comps, "components", err) == -1)
		goto out;
	out->components = arena_strndup(a, b.data, b.len);
	out->components_len = b.len;
	out->data = arena_printf(a, "{\"components\":%s,\"id\":\"%s\"}",
	    out->components, out->id);
	rc = 0;
out:
	buf_free(&b);
	cJSON_Delete(root);
	return rc;
}

void
cluster_render(struct jw *w, const char *components, size_t len,
    const char *id, bool has_times, int64_t first_us, int64_t last_us)
{
	char	 t[40];

	jw_obj_open(w);
	jw_key(w, "components");
	if (components != NULL)
		jw_raw(w, components, len);
	else
		jw_null(w);
	if (has_times) {
		cf_format_ms(first_us, t, sizeof(t));
		jw_kstr(w, "firstSeen", t);
	}
	jw_kstr(w, "id", id);
	if (has_times) {
		cf_format_ms(last_us, t, sizeof(t));
		jw_kstr(w, "lastSeen", t);
	}
	jw_obj_close(w);
}

/* ------------------------------------------------------------ doctor */

/*
 * Walking the body's text in step with the cJSON tree made from it (cJSON
 * keeps members in document order), to copy free-form values verbatim.
 * The body has been validated by json_parse_body, so the text is one
 * well-formed JSON value.
 */
struct raw {
	const char	*p;
	const char	*end;
};

static void
raw_ws(struct raw *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
	    *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

/* Starts reading the members of the object or array at `s'. */
static void
raw_open(struct raw *r, const char *s, size_t len)
{
	r->p = s;
	r->end = s + len;
	raw_ws(r);
	if (r->p < r->end)
		r->p++;		/* '{' or '[' */
}

/* The next value (for an object, after its key), without white space. */
static void
raw_next(struct raw *r, bool object, const char **v, size_t *n)
{
	raw_ws(r);
	if (object) {
		r->p += json_value_span(r->p, (size_t)(r->end - r->p));
		raw_ws(r);
		if (r->p < r->end && *r->p == ':')
			r->p++;
		raw_ws(r);
	}
	*v = r->p;
	*n = json_value_span(r->p, (size_t)(r->end - r->p));
	r->p += *n;
	raw_ws(r);
	if (r->p < r->end && *r->p == ',')
		r->p++;
}

/* The text of member `want' of object `node', whose text is s[0..len). */
static void
raw_member(const char *s, size_t len, const cJSON *node, const cJSON *want,
    const char **v, size_t *n)
{
	struct raw	 r;
	const cJSON	*c;

	raw_open(&r, s, len);
	for (c = node->child; c != NULL; c = c->next) {
		raw_next(&r, true, v, n);
		if (c == want)
			return;
	}
	*v = "null";
	*n = 4;
}

/* The first 422 in the original's validation order, kept for the end. */
struct doctor_state {
	struct api_error *err;
	struct api_error invalid;
};

static void
invalid(struct doctor_state *st, const char *msg)
{
	if (st->invalid.code == APIERR_OK)
		apierr_set(&st->invalid, APIERR_VALIDATION, "%s", msg);
}

static int
not_object(struct api_error *err, const char *path)
{
	return apierr_set(err, APIERR_BAD_REQUEST, PARSE_PREFIX
	    "%s must be an object", path);
}

/*
 * An array of k8sResource ({"data": <any JSON, verbatim>}) that is member
 * `arr' of `parent' (text s[0..len)); null when absent.
 */
static int
render_resources(struct jw *w, const char *s, size_t len,
    const cJSON *parent, const cJSON *arr, const char *path,
    struct api_error *err)
{
	struct raw	 r;
	const cJSON	*c, *data;
	const char	*v, *dv;
	size_t		 n, dn;
	char		 p[128];
	int		 i = 0;

	if (arr == NULL) {
		jw_null(w);
		return 0;
	}
	raw_member(s, len, parent, arr, &v, &n);
	raw_open(&r, v, n);
	jw_arr_open(w);
	for (c = arr->child; c != NULL; c = c->next, i++) {
		raw_next(&r, false, &v, &n);
		if (cJSON_IsNull(c)) {
			jw_null(w);
			continue;
		}
		snprintf(p, sizeof(p), "%s[%d]", path, i);
		if (!cJSON_IsObject(c))
			return not_object(err, p);
		data = json_field(c, "data", err);
		if (err->code != APIERR_OK)
			return -1;
		jw_obj_open(w);
		jw_key(w, "data");
		if (data == NULL)
			jw_null(w);
		else {
			raw_member(v, n, c, data, &dv, &dn);
			jw_raw(w, dv, dn);
		}
		jw_obj_close(w);
	}
	jw_arr_close(w);
	return 0;
}

/* Namespace keys in the model's (output) order; "name" is the string. */
static const char *const ns_keys[] = {
	"daemonSets", "deployments", "events", "name", "pods", "replicaSets",
	"replicationControllers", "services",
};

static int
render_namespace(struct jw *w, struct doctor_state *st, const char *s,
    size_t len, const cJSON *ns, const char *path)
{
	const cJSON	*arr;
	const char	*name;
	char		 p[128];

	jw_obj_open(w);
	for (size_t k = 0; k < sizeof(ns_keys) / sizeof(ns_keys[0]); k++) {
		snprintf(p, sizeof(p), "%s.%s", path, ns_keys[k]);
		if (strcmp(ns_keys[k], "name") == 0) {
			if (json_get_string(ns, "name", p, &name, st->err) ==
			    -1)
				return -1;
			if (name == NULL || *name == '\0')
				invalid(st, "name in body is required");
			jw_kstr(w, "name", name != NULL ? name : "");
			continue;
		}
		if (json_get_array(ns, ns_keys[k], p, &arr, st->err) == -1)
			return -1;
		jw_key(w, ns_keys[k]);
		if (render_resources(w, s, len, ns, arr, p, st->err) == -1)
			return -1;
	}
	jw_obj_close(w);
	return 0;
}

static int
render_namespaces(struct jw *w, struct doctor_state *st, const char *s,
    size_t len, const cJSON *root, const cJSON *arr)
{
	struct raw	 r;
	const cJSON	*c;
	const char	*v;
	size_t		 n;
	char		 p[64];
	int		 i = 0;

	if (arr == NULL) {
		jw_null(w);
		return 0;
	}
	raw_member(s, len, root, arr, &v, &n);
	raw_open(&r, v, n);
	jw_arr_open(w);
	for (c = arr->child; c != NULL; c = c->next, i++) {
		const char	*ev;
		size_t		 en;

		raw_next(&r, false, &ev, &en);
		if (cJSON_IsNull(c)) {
			jw_null(w);
			continue;
		}
		snprintf(p, sizeof(p), "namespaces[%d]", i);
		if (!cJSON_IsObject(c))
			return not_object(st->err, p);
		if (render_namespace(w, st, ev, en, c, p) == -1)
			return -1;
	}
	jw_arr_close(w);
	return 0;
}

/*
 * A client-sent firstSeen/lastSeen of the report's workflow: RFC 3339
 * ("" is the zero instant, as the original took it), written in UTC with
 * milliseconds.
 */
static int
render_seen(struct jw *w, const cJSON *wf, const char *key,
    struct api_error *err)
{
	struct wtime	 t = { 0, 0, 0, 0 };
	const char	*s;
	char		 p[32], out[40];

	snprintf(p, sizeof(p), "workflow.%s", key);
	if (json_get_string(wf, key, p, &s, err) == -1)
		return -1;
	if (s == NULL)
		return 0;
	if (*s != '\0' && time_parse_rfc3339(s, strlen(s), &t) == -1)
		return apierr_set(err, APIERR_BAD_REQUEST, PARSE_PREFIX
		    "%s must be an RFC 3339 date-time", p);
	time_format_ms(t.sec, t.nsec, out, sizeof(out));
	jw_kstr(w, key, out);
	return 0;
}

static int
render_workflow(struct jw *w, struct doctor_state *st, const cJSON *wf)
{
	const cJSON	*comps;
	const char	*id;

	if (wf == NULL) {
		jw_null(w);
		return 0;
	}
	if (json_get_array(wf, "components", "workflow.components", &comps,
	    st->err) == -1 || json_get_string(wf, "id", "workflow.id", &id,
	    st->err) == -1)
		return -1;
	if (id == NULL || *id == '\0')
		invalid(st, "id in body is required");
	jw_obj_open(w);
	jw_key(w, "components");
	if (render_components(w, comps, "workflow.components", st->err) == -1)
		return -1;
	if (render_seen(w, wf, "firstSeen", st->err) == -1)
		return -1;
	jw_kstr(w, "id", id != NULL ? id : "");
	if (render_seen(w, wf, "lastSeen", st->err) == -1)
		return -1;
	jw_obj_close(w);
	return 0;
}

int
doctor_decode(const char *body, size_t len, const struct json_limits *lim,
    struct buf *out, struct api_error *err)
{
	struct doctor_state st;
	struct jw	 w;
	cJSON		*root;
	const cJSON	*namespaces, *nodes, *wf;
	int		 rc = -1;

	if ((root = json_parse_body(body, len, lim, err)) == NULL)
		return -1;
	st.err = err;
	apierr_clear(&st.invalid);
	if (!cJSON_IsObject(root) && !cJSON_IsNull(root)) {
		apierr_set(err, APIERR_BAD_REQUEST, PARSE_PREFIX
		    "body must be an object");
		goto out;
	}
	if (json_get_array(root, "namespaces", "namespaces", &namespaces,
	    err) == -1 || json_get_array(root, "nodes", "nodes", &nodes,
	    err) == -1 || json_get_object(root, "workflow", "workflow", &wf,
	    err) == -1)
		goto out;

	jw_init(&w, out);
	jw_obj_open(&w);
	jw_key(&w, "namespaces");
	if (render_namespaces(&w, &st, body, len, root, namespaces) == -1)
		goto out;
	jw_key(&w, "nodes");
	if (render_resources(&w, body, len, root, nodes, "nodes", err) == -1)
		goto out;
	jw_key(&w, "workflow");
	if (render_workflow(&w, &st, wf) == -1)
		goto out;
	jw_obj_close(&w);
	if (st.invalid.code != APIERR_OK) {
		*err = st.invalid;
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}
