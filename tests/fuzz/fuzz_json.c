/* fuzz_json.c: libFuzzer target for json_parse_body and the field getters. */
#include "config.h"

#include <strings.h>

#include "apierr.h"
#include "fuzz.h"
#include "json.h"
#include "xalloc.h"

static const struct json_limits big = { 64, 100000 };
static const struct json_limits small = { 8, 64 };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	xalloc_cjson_hooks();
	return 0;
}

static bool
all_ws(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strchr(" \t\r\n", s[i]) == NULL || s[i] == '\0')
			return false;
	return true;
}

/* Every member is found by its own name through the getters. */
static void
walk(const cJSON *node, unsigned depth)
{
	const cJSON		*c, *f;
	const char		*str;
	struct api_error	 err;

	FUZZ_CHECK(depth <= big.max_depth);
	for (c = node->child; c != NULL; c = c->next) {
		if (cJSON_IsObject(node)) {
			FUZZ_CHECK(c->string != NULL);
			FUZZ_CHECK(json_valid_utf8(c->string,
			    strlen(c->string)));
			apierr_clear(&err);
			f = json_field(node, c->string, &err);
			if (err.code != APIERR_OK)
				FUZZ_CHECK(err.code == APIERR_BAD_REQUEST &&
				    f == NULL);
			else if (cJSON_IsNull(c))
				FUZZ_CHECK(f == NULL);
			else
				FUZZ_CHECK(f != NULL &&
				    strcasecmp(f->string, c->string) == 0);
			apierr_clear(&err);
			if (json_get_string(node, c->string, "x", &str,
			    &err) == 0 && str != NULL)
				FUZZ_CHECK(json_valid_utf8(str, strlen(str)));
			apierr_clear(&err);
			(void)json_get_object(node, c->string, "x", &f, &err);
			apierr_clear(&err);
			(void)json_get_array(node, c->string, "x", &f, &err);
		}
		if (cJSON_IsString(c))
			FUZZ_CHECK(json_valid_utf8(c->valuestring,
			    strlen(c->valuestring)));
		walk(c, depth + 1);
	}
}

/*
 * The body under the default limits and under small ones: a body that
 * passes the small limits passes the big ones; what parses is found by
 * its own names, has the extent json_value_span reports, and cJSON's
 * rendering of it parses again.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*s = (const char *)data;
	struct api_error	 err, err2;
	cJSON			*root, *root2, *again;
	char			*printed;
	size_t			 span;

	apierr_clear(&err);
	root = json_parse_body(s, size, &big, &err);
	apierr_clear(&err2);
	root2 = json_parse_body(s, size, &small, &err2);
	span = json_value_span(s, size);
	if (root2 != NULL)
		FUZZ_CHECK(root != NULL);
	if (root == NULL) {
		FUZZ_CHECK(err.code == APIERR_BAD_REQUEST ||
		    err.code == APIERR_TOO_LARGE);
		FUZZ_CHECK(err.message[0] != '\0');
		FUZZ_CHECK(root2 == NULL);
		if (err.code == APIERR_BAD_REQUEST)
			FUZZ_CHECK(err2.code == APIERR_BAD_REQUEST ||
			    err2.code == APIERR_TOO_LARGE);
		cJSON_Delete(root2);
		return 0;
	}
	FUZZ_CHECK(json_valid_utf8(s, size));
	FUZZ_CHECK(span > 0 && span <= size && all_ws(s + span, size - span));
	walk(root, 1);

	printed = cJSON_PrintUnformatted(root);
	FUZZ_CHECK(printed != NULL);
	apierr_clear(&err);
	again = json_parse_body(printed, strlen(printed), &big, &err);
	if (again == NULL)
		fprintf(stderr, "re-parse failed: %s\n%s\n", err.message,
		    printed);
	FUZZ_CHECK(again != NULL);
	FUZZ_CHECK(json_value_span(printed, strlen(printed)) ==
	    strlen(printed));
	cJSON_free(printed);
	cJSON_Delete(again);
	cJSON_Delete(root);
	cJSON_Delete(root2);
	return 0;
}
