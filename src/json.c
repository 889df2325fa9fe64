/* json.c: reading request bodies with limits, Go-compatible field lookup. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "xalloc.h"

#define PARSE_PREFIX "parsing body body from \"\" failed, because "

bool
json_valid_utf8(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0;

	while (i < n) {
		unsigned char	 c = p[i];
		size_t		 len;
		unsigned	 cp, min;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2;
			cp = c & 0x1f;
			min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3;
			cp = c & 0x0f;
			min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4;
			cp = c & 0x07;
			min = 0x10000;
		} else
			return false;
		if (n - i < len)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

/*
 * A strict RFC 8259 scanner.  It checks what cJSON does not: UTF-8,
 * "\u0000", unpaired surrogates, limits.  cJSON then builds the tree from
 * text known to be good.
 */
struct scan {
	const unsigned char	*start, *p, *end;
	unsigned		 depth, max_depth;
	unsigned long		 elements, max_elements;
	const char		*why;
	bool			 limit;		/* a limit, not a syntax error */
};

static bool	scan_value(struct scan *);

static void
skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static bool
fail(struct scan *s, const char *why)
{
	if (s->why == NULL)
		s->why = why;
	return false;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
scan_u4(struct scan *s, unsigned *out)
{
	unsigned	 v = 0;

	if (s->end - s->p < 4)
		return fail(s, "unexpected end of input in string escape");
	for (int i = 0; i < 4; i++) {
		int	 h = hexval(s->p[i]);

		if (h < 0)
			return fail(s, "invalid \\u escape in string");
		v = (v << 4) | (unsigned)h;
	}
	s->p += 4;
	*out = v;
	return true;
}

static bool
scan_string(struct scan *s)
{
	const unsigned char	*run;

	s->p++;		/* opening quote */
	run = s->p;
	while (s->p < s->end) {
		unsigned char	 c = *s->p;

		if (c == '"') {
			if (!json_valid_utf8((const char *)run,
			    (size_t)(s->p - run)))
				return fail(s, "invalid UTF-8 in string");
			s->p++;
			return true;
		}
		if (c < 0x20)
			return fail(s, "control character in string");
		if (c != '\\') {
			s->p++;
			continue;
		}
		if (!json_valid_utf8((const char *)run, (size_t)(s->p - run)))
			return fail(s, "invalid UTF-8 in string");
		s->p++;
		if (s->p >= s->end)
			break;
		c = *s->p++;
		if (c == 'u') {
			unsigned	 u, lo;

			if (!scan_u4(s, &u))
				return false;
			if (u == 0)
				return fail(s, "\\u0000 in string");
			if (u >= 0xdc00 && u <= 0xdfff)
				return fail(s, "unpaired surrogate in string");
			if (u >= 0xd800 && u <= 0xdbff) {
				if (s->end - s->p < 2 || s->p[0] != '\\' ||
				    s->p[1] != 'u')
					return fail(s,
					    "unpaired surrogate in string");
				s->p += 2;
				if (!scan_u4(s, &lo))
					return false;
				if (lo < 0xdc00 || lo > 0xdfff)
					return fail(s,
					    "unpaired surrogate in string");
			}
		} else if (strchr("\"\\/bfnrt", c) == NULL || c == '\0')
			return fail(s, "invalid escape in string");
		run = s->p;
	}
	return fail(s, "unexpected end of input in string");
}

static bool
scan_digits(struct scan *s)
{
	const unsigned char	*from = s->p;

	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > from;
}

static bool
scan_number(struct scan *s)
{
	if (*s->p == '-')
		s->p++;
	if (s->p < s->end && *s->p == '0')
		s->p++;
	else if (!scan_digits(s))
		return fail(s, "invalid number");
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (!scan_digits(s))
			return fail(s, "invalid number");
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!scan_digits(s))
			return fail(s, "invalid number");
	}
	return true;
}

static bool
scan_word(struct scan *s, const char *w)
{
	size_t	 n = strlen(w);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
		return fail(s, "invalid literal");
	s->p += n;
	return true;
}

static bool
scan_container(struct scan *s, bool object)
{
	char	 close = object ? '}' : ']';

	if (++s->depth > s->max_depth) {
		s->limit = true;
		return fail(s, "nesting too deep");
	}
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		s->depth--;
		return true;
	}
	for (;;) {
		skip_ws(s);
		if (object) {
			if (s->p >= s->end)
				return fail(s, "unexpected end of input");
			if (*s->p != '"')
				return fail(s, "object key must be a string");
			if (!scan_string(s))
				return false;
			skip_ws(s);
			if (s->p >= s->end || *s->p != ':')
				return fail(s, "expected ':' after object key");
			s->p++;
		}
		if (!scan_value(s))
			return false;
		skip_ws(s);
		if (s->p >= s->end)
			return fail(s, "unexpected end of input");
		if (*s->p == ',') {
			s->p++;
			continue;
		}
		if (*s->p == close) {
			s->p++;
			s->depth--;
			return true;
		}
		return fail(s, object ? "expected ',' or '}' in object" :
		    "expected ',' or ']' in array");
	}
}

static bool
scan_value(struct scan *s)
{
	skip_ws(s);
	if (s->p >= s->end)
		return fail(s, "unexpected end of input");
	if (++s->elements > s->max_elements) {
		s->limit = true;
		return fail(s, "too many values");
	}
	switch (*s->p) {
	case '{':
		return scan_container(s, true);
	case '[':
		return scan_container(s, false);
	case '"':
		return scan_string(s);
	case 't':
		return scan_word(s, "true");
	case 'f':
		return scan_word(s, "false");
	case 'n':
		return scan_word(s, "null");
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			return scan_number(s);
		return fail(s, "invalid character looking for beginning "
		    "of value");
	}
}

size_t
json_value_span(const char *text, size_t len)
{
	struct scan	 s;

	memset(&s, 0, sizeof(s));
	s.start = s.p = (const unsigned char *)text;
	s.end = s.start + len;
	s.max_depth = 10000;
	s.max_elements = (unsigned long)-1;
	if (!scan_value(&s))
		return 0;
	return (size_t)(s.p - s.start);
}

static int
keycmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* An object with the same key twice?  Sets `dup' to it. */
static bool
has_dup_keys(const cJSON *node, const char **dup)
{
	const cJSON	*c;
	const char	*small[32], **keys;
	size_t		 n = 0, i;
	bool		 found = false;

	if (cJSON_IsArray(node)) {
		for (c = node->child; c != NULL; c = c->next)
			if (has_dup_keys(c, dup))
				return true;
		return false;
	}
	if (!cJSON_IsObject(node))
		return false;
	for (c = node->child; c != NULL; c = c->next) {
		n++;
		if (has_dup_keys(c, dup))
			return true;
	}
	if (n < 2)
		return false;
	keys = n <= 32 ? small : xcalloc(n, sizeof(*keys));
	i = 0;
	for (c = node->child; c != NULL; c = c->next)
		keys[i++] = c->string;
	qsort(keys, n, sizeof(*keys), keycmp);
	for (i = 1; i < n; i++)
		if (strcmp(keys[i - 1], keys[i]) == 0) {
			*dup = keys[i];
			found = true;
			break;
		}
	if (keys != small)
		free(keys);
	return found;
}

cJSON *
json_parse_body(const char *body, size_t len, const struct json_limits *lim,
    struct api_error *err)
{
	struct scan	 s;
	cJSON		*root;
	const char	*dup = NULL;

	memset(&s, 0, sizeof(s));
	s.start = s.p = (const unsigned char *)body;
	s.end = s.start + len;
	s.max_depth = lim->max_depth;
	s.max_elements = lim->max_elements;
	skip_ws(&s);
	if (s.p == s.end) {
		apierr_set(err, APIERR_BAD_REQUEST, PARSE_PREFIX "EOF");
		return NULL;
	}
	if (!scan_value(&s)) {
		if (s.limit)
			apierr_set(err, APIERR_TOO_LARGE,
			    "request body over the JSON limits: %s (at byte "
			    "%zu)", s.why, (size_t)(s.p - s.start));
		else
			apierr_set(err, APIERR_BAD_REQUEST,
			    PARSE_PREFIX "%s at byte %zu", s.why,
			    (size_t)(s.p - s.start));
		return NULL;
	}
	skip_ws(&s);
	if (s.p != s.end) {
		apierr_set(err, APIERR_BAD_REQUEST, PARSE_PREFIX
		    "unexpected data after the JSON value at byte %zu",
		    (size_t)(s.p - s.start));
		return NULL;
	}
	root = cJSON_ParseWithLength(body, len);
	if (root == NULL) {
		apierr_set(err, APIERR_BAD_REQUEST,
		    PARSE_PREFIX "the JSON value could not be read");
		return NULL;
	}
	if (has_dup_keys(root, &dup)) {
		apierr_set(err, APIERR_BAD_REQUEST, PARSE_PREFIX
		    "duplicate key \"%.64s\"", dup);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

const cJSON *
json_field(const cJSON *obj, const char *name, struct api_error *err)
{
	const cJSON	*c, *found = NULL;

	if (!cJSON_IsObject(obj))
		return NULL;
	for (c = obj->child; c != NULL; c = c->next) {
		if (c->string == NULL || strcasecmp(c->string, name) != 0)
			continue;
		if (found != NULL) {
			apierr_set(err, APIERR_BAD_REQUEST, PARSE_PREFIX
			    "duplicate key \"%s\"", name);
			return NULL;
		}
		found = c;
	}
	if (found != NULL && cJSON_IsNull(found))
		return NULL;
	return found;
}

static int
get_typed(const cJSON *obj, const char *name, const char *path,
    const cJSON **out, int (*is)(const cJSON *), const char *type,
    struct api_error *err)
{
	const cJSON	*v;

	*out = NULL;
	v = json_field(obj, name, err);
	if (v == NULL)
		return err->code == APIERR_OK ? 0 : -1;
	if (!is(v))
		return apierr_set(err, APIERR_BAD_REQUEST, PARSE_PREFIX
		    "%s must be %s", path, type);
	*out = v;
	return 0;
}

static int
is_string(const cJSON *v)
{
	return cJSON_IsString(v);
}

static int
is_object(const cJSON *v)
{
	return cJSON_IsObject(v);
}

static int
is_array(const cJSON *v)
{
	return cJSON_IsArray(v);
}

int
json_get_string(const cJSON *obj, const char *name, const char *path,
    const char **out, struct api_error *err)
{
	const cJSON	*v;

	*out = NULL;
	if (get_typed(obj, name, path, &v, is_string, "a string", err) == -1)
		return -1;
	if (v != NULL)
		*out = v->valuestring;
	return 0;
}

int
json_get_object(const cJSON *obj, const char *name, const char *path,
    const cJSON **out, struct api_error *err)
{
	return get_typed(obj, name, path, out, is_object, "an object", err);
}

int
json_get_array(const cJSON *obj, const char *name, const char *path,
    const cJSON **out, struct api_error *err)
{
	return get_typed(obj, name, path, out, is_array, "an array", err);
}
