/* model.h: the original's componentVersion model: decoding and rendering. */
#ifndef WFM_MODEL_H
#define WFM_MODEL_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "apierr.h"
#include "jw.h"

/*
 * Every string is borrowed (from the cJSON tree it was decoded from, or
 * from the arena) and NULL when the key was absent or null.
 */
struct version_data {
	const char	*description;	/* output: omitted when empty */
	const char	*fixes;		/* output: omitted when empty */
	const char	*image;		/* output: omitted when absent */
};

struct component_version {
	bool		 has_component;
	const char	*c_description;	/* omitted when absent, "" kept */
	const char	*c_name;	/* always written, "" when absent */
	const char	*c_type;	/* omitted when absent, "" kept */
	const char	*update_available; /* omitted when absent */
	bool		 has_version;
	bool		 has_data;	/* version.data present */
	struct version_data data;	/* only these three keys survive */
	const char	*released;	/* omitted when absent or empty */
	const char	*train;		/* omitted when absent or empty */
	const char	*version;	/* omitted when absent or empty */
};

/*
 * Decodes one componentVersion object (keys matched case-insensitively,
 * unknown keys ignored, null = absent).  `path' names it in messages
 * ("body", "data[3]", "components[0]").  Returns 0, or -1 with a 400 in
 * err for a value of the wrong JSON type ("<path>.version.released must
 * be a string").  A non-object `obj' is a 400 too.
 */
int	 model_cv_decode(const cJSON *obj, const char *path,
	    struct component_version *, struct api_error *);

/* Writes the object with the original's field order and omissions. */
void	 model_cv_render(struct jw *, const struct component_version *);

/*
 * Writes a versionData object ({"description":..,"fixes":..,"image":..}
 * with the omission rules above); an absent one is written as {}.
 */
void	 model_vdata_render(struct jw *, const struct version_data *);

#endif
