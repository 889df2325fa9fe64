/* model.c: the original's componentVersion model: decoding and rendering. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "json.h"
#include "model.h"

static int
sub(const cJSON *obj, const char *name, const char *path, const char *field,
    const char **out, struct api_error *err)
{
	char	 p[160];

	snprintf(p, sizeof(p), "%s.%s", path, field);
	return json_get_string(obj, name, p, out, err);
}

int
model_cv_decode(const cJSON *obj, const char *path,
    struct component_version *cv, struct api_error *err)
{
	const cJSON	*comp, *ver, *data;
	char		 p[128];

	memset(cv, 0, sizeof(*cv));
	if (!cJSON_IsObject(obj))
		return apierr_set(err, APIERR_BAD_REQUEST, "parsing body body "
		    "from \"\" failed, because %s must be an object", path);

	snprintf(p, sizeof(p), "%s.component", path);
	if (json_get_object(obj, "component", p, &comp, err) == -1)
		return -1;
	if (comp != NULL) {
		cv->has_component = true;
		if (sub(comp, "description", p, "description",
		    &cv->c_description, err) == -1 ||
		    sub(comp, "name", p, "name", &cv->c_name, err) == -1 ||
		    sub(comp, "type", p, "type", &cv->c_type, err) == -1)
			return -1;
	}
	if (sub(obj, "updateAvailable", path, "updateAvailable",
	    &cv->update_available, err) == -1)
		return -1;

	snprintf(p, sizeof(p), "%s.version", path);
	if (json_get_object(obj, "version", p, &ver, err) == -1)
		return -1;
	if (ver == NULL)
		return 0;
	cv->has_version = true;
	if (sub(ver, "released", p, "released", &cv->released, err) == -1 ||
	    sub(ver, "train", p, "train", &cv->train, err) == -1 ||
	    sub(ver, "version", p, "version", &cv->version, err) == -1)
		return -1;
	snprintf(p, sizeof(p), "%s.version.data", path);
	if (json_get_object(ver, "data", p, &data, err) == -1)
		return -1;
	if (data != NULL) {
		cv->has_data = true;
		if (sub(data, "description", p, "description",
		    &cv->data.description, err) == -1 ||
		    sub(data, "fixes", p, "fixes", &cv->data.fixes, err) == -1 ||
		    sub(data, "image", p, "image", &cv->data.image, err) == -1)
			return -1;
	}
	return 0;
}

static bool
nonempty(const char *s)
{
	return s != NULL && *s != '\0';
}

void
model_vdata_render(struct jw *w, const struct version_data *d)
{
	jw_obj_open(w);
	if (d != NULL) {
		if (nonempty(d->description))
			jw_kstr(w, "description", d->description);
		if (nonempty(d->fixes))
			jw_kstr(w, "fixes", d->fixes);
		if (d->image != NULL)
			jw_kstr(w, "image", d->image);
	}
	jw_obj_close(w);
}

void
model_cv_render(struct jw *w, const struct component_version *cv)
{
	jw_obj_open(w);
	if (cv->has_component) {
		jw_key(w, "component");
		jw_obj_open(w);
		if (cv->c_description != NULL)
			jw_kstr(w, "description", cv->c_description);
		jw_kstr(w, "name", cv->c_name != NULL ? cv->c_name : "");
		if (cv->c_type != NULL)
			jw_kstr(w, "type", cv->c_type);
		jw_obj_close(w);
	}
	if (cv->update_available != NULL)
		jw_kstr(w, "updateAvailable", cv->update_available);
	if (cv->has_version) {
		jw_key(w, "version");
		jw_obj_open(w);
		if (cv->has_data) {
			jw_key(w, "data");
			model_vdata_render(w, &cv->data);
		}
		if (nonempty(cv->released))
			jw_kstr(w, "released", cv->released);
		if (nonempty(cv->train))
			jw_kstr(w, "train", cv->train);
		if (nonempty(cv->version))
			jw_kstr(w, "version", cv->version);
		jw_obj_close(w);
	}
	jw_obj_close(w);
}
