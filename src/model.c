/* model.c: the original's componentVersion model: decoding and rendering. */
#include "config.h"

#include <string.h>

#include "json.h"
#include "model.h"

#define BAD_TYPE "parsing body body from \"\" failed, because "

/*
 * Field lookups of a hot path (every multi-get element, every check-in
 * component): the message naming the field is built only on error.
 * `path' names the object, `sub' an optional member on the way ("" or
 * ".version"), `field' the field itself.
 */
static int
get_string(const cJSON *obj, const char *name, const char *path,
    const char *sub, const char **out, struct api_error *err)
{
	const cJSON	*v;

	*out = NULL;
	if ((v = json_field(obj, name, err)) == NULL)
		return err->code == APIERR_OK ? 0 : -1;
	if (!cJSON_IsString(v))
		return apierr_set(err, APIERR_BAD_REQUEST, BAD_TYPE
		    "%s%s.%s must be a string", path, sub, name);
	*out = v->valuestring;
	return 0;
}

static int
get_object(const cJSON *obj, const char *name, const char *path,
    const char *sub, const cJSON **out, struct api_error *err)
{
	const cJSON	*v;

	*out = NULL;
	if ((v = json_field(obj, name, err)) == NULL)
		return err->code == APIERR_OK ? 0 : -1;
	if (!cJSON_IsObject(v))
		return apierr_set(err, APIERR_BAD_REQUEST, BAD_TYPE
		    "%s%s.%s must be an object", path, sub, name);
	*out = v;
	return 0;
}

int
model_cv_decode(const cJSON *obj, const char *path,
    struct component_version *cv, struct api_error *err)
{
	const cJSON	*comp, *ver, *data;

	memset(cv, 0, sizeof(*cv));
	if (!cJSON_IsObject(obj))
		return apierr_set(err, APIERR_BAD_REQUEST, BAD_TYPE
		    "%s must be an object", path);

	if (get_object(obj, "component", path, "", &comp, err) == -1)
		return -1;
	if (comp != NULL) {
		cv->has_component = true;
		if (get_string(comp, "description", path, ".component",
		    &cv->c_description, err) == -1 ||
		    get_string(comp, "name", path, ".component", &cv->c_name,
		    err) == -1 ||
		    get_string(comp, "type", path, ".component", &cv->c_type,
		    err) == -1)
			return -1;
	}
	if (get_string(obj, "updateAvailable", path, "",
	    &cv->update_available, err) == -1)
		return -1;

	if (get_object(obj, "version", path, "", &ver, err) == -1)
		return -1;
	if (ver == NULL)
		return 0;
	cv->has_version = true;
	if (get_string(ver, "released", path, ".version", &cv->released,
	    err) == -1 ||
	    get_string(ver, "train", path, ".version", &cv->train, err) == -1 ||
	    get_string(ver, "version", path, ".version", &cv->version, err) ==
	    -1)
		return -1;
	if (get_object(ver, "data", path, ".version", &data, err) == -1)
		return -1;
	if (data != NULL) {
		cv->has_data = true;
		if (get_string(data, "description", path, ".version.data",
		    &cv->data.description, err) == -1 ||
		    get_string(data, "fixes", path, ".version.data",
		    &cv->data.fixes, err) == -1 ||
		    get_string(data, "image", path, ".version.data",
		    &cv->data.image, err) == -1)
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
