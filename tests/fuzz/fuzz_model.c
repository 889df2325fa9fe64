/* fuzz_model.c: libFuzzer target for the componentVersion decoder and renderer. */
#include "config.h"

#include "apierr.h"
#include "buf.h"
#include "fuzz.h"
#include "json.h"
#include "jw.h"
#include "model.h"
#include "xalloc.h"

static const struct json_limits limits = { 64, 100000 };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	xalloc_cjson_hooks();
	return 0;
}

/*
 * Decodes `obj', renders it, and checks that the rendering is JSON that
 * decodes and renders to the same bytes (the output is a fixed point).
 */
static void
roundtrip(const cJSON *obj, const char *path)
{
	struct component_version cv, cv2;
	struct api_error	 err;
	struct buf		 out = BUF_INIT, out2 = BUF_INIT;
	struct jw		 w;
	cJSON			*again;

	apierr_clear(&err);
	if (model_cv_decode(obj, path, &cv, &err) == -1) {
		FUZZ_CHECK(err.code == APIERR_BAD_REQUEST);
		FUZZ_CHECK(err.message[0] != '\0');
		return;
	}
	FUZZ_CHECK(err.code == APIERR_OK);
	jw_init(&w, &out);
	model_cv_render(&w, &cv);
	FUZZ_CHECK(w.depth == 0);
	again = json_parse_body(out.data, out.len, &limits, &err);
	if (again == NULL)
		fprintf(stderr, "rendering is not JSON (%s): %.*s\n",
		    err.message, (int)out.len, out.data);
	FUZZ_CHECK(again != NULL);
	FUZZ_CHECK(model_cv_decode(again, path, &cv2, &err) == 0);
	jw_init(&w, &out2);
	model_cv_render(&w, &cv2);
	FUZZ_CHECK(out.len == out2.len &&
	    memcmp(out.data, out2.data, out.len) == 0);
	/* The version data alone. */
	buf_reset(&out2);
	jw_init(&w, &out2);
	model_vdata_render(&w, cv.has_data ? &cv.data : NULL);
	cJSON_Delete(again);
	again = json_parse_body(out2.data, out2.len, &limits, &err);
	FUZZ_CHECK(again != NULL && cJSON_IsObject(again));
	cJSON_Delete(again);
	buf_free(&out);
	buf_free(&out2);
}

/*
 * The input is a request body: one componentVersion, or an array of them
 * (each element decoded, as in a cluster's "components").
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_error	 err;
	cJSON			*root;
	const cJSON		*c;
	char			 path[32];
	int			 i = 0;

	apierr_clear(&err);
	root = json_parse_body((const char *)data, size, &limits, &err);
	if (root == NULL)
		return 0;
	if (cJSON_IsArray(root)) {
		for (c = root->child; c != NULL; c = c->next) {
			snprintf(path, sizeof(path), "data[%d]", i++);
			roundtrip(c, path);
		}
	} else
		roundtrip(root, "body");
	cJSON_Delete(root);
	return 0;
}
