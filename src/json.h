/* json.h: reading request bodies with limits, Go-compatible field lookup. */
#ifndef WFM_JSON_H
#define WFM_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "apierr.h"

struct json_limits {
	unsigned	 max_depth;	/* nesting of arrays and objects */
	unsigned	 max_elements;	/* values in the whole document */
};

/*
 * Parses a request body: valid UTF-8, one JSON value, nothing but white
 * space after it, no "\u0000", no key twice in one object, within the
 * limits.  Returns the tree (caller owns, cJSON_Delete) or NULL with a 400
 * (413 for limits) in `err' naming the problem.
 */
cJSON	*json_parse_body(const char *, size_t, const struct json_limits *,
	    struct api_error *);

/*
 * The value of field `name' in object `obj', matched the way the original
 * service's decoder did: key names compared case-insensitively (ASCII).
 * JSON null counts as absent.  Borrowed from the tree; NULL when absent.
 * If two keys of the object match `name', returns NULL and sets a 400.
 */
const cJSON *json_field(const cJSON *obj, const char *name,
	    struct api_error *);

/*
 * Typed getters.  Return 0 with *out set (NULL when absent), or -1 with a
 * 400 "<path> must be a string" etc. in err.  `path' names the field in
 * messages (e.g. "components[3].version").
 */
int	 json_get_string(const cJSON *obj, const char *name,
	    const char *path, const char **out, struct api_error *);
int	 json_get_object(const cJSON *obj, const char *name,
	    const char *path, const cJSON **out, struct api_error *);
int	 json_get_array(const cJSON *obj, const char *name,
	    const char *path, const cJSON **out, struct api_error *);

/*
 * The end of the JSON value that starts at s[0] (after leading white
 * space), without building a tree: returns the offset just past it, or 0
 * if the text is not one well-formed value.  For keeping free-form data
 * byte for byte.
 */
size_t	 json_value_span(const char *s, size_t len);

/* Is the byte range valid UTF-8 (no overlongs, no surrogates)? */
bool	 json_valid_utf8(const char *, size_t);

#endif
