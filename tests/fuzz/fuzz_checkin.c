/* fuzz_checkin.c: libFuzzer target for the cluster check-in decoder. */
#include "config.h"

#include "apierr.h"
#include "arena.h"
#include "buf.h"
#include "clusters_model.h"
#include "fuzz.h"
#include "json.h"
#include "jw.h"
#include "xalloc.h"

static const struct json_limits limits = { 64, 100000 };
static struct arena arena;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	xalloc_cjson_hooks();
	arena_init(&arena);
	return 0;
}

/* Is the text JSON (within generous limits)? */
static bool
is_json(const char *s, size_t n)
{
	struct json_limits	 big = { 1000, 1000000 };
	struct api_error	 err;
	cJSON			*root;

	apierr_clear(&err);
	root = json_parse_body(s, n, &big, &err);
	cJSON_Delete(root);
	return root != NULL;
}

static void
check_error(const struct api_error *err)
{
	FUZZ_CHECK(err->code == APIERR_BAD_REQUEST ||
	    err->code == APIERR_TOO_LARGE || err->code == APIERR_VALIDATION);
	FUZZ_CHECK(err->message[0] != '\0');
}

/*
 * The input is a check-in body, decoded as POST /v3/clusters (no path
 * id) and as POST /v2/clusters/{id}.  What is stored (`data') is JSON
 * that decodes to itself; the rendered cluster is JSON.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	*path_id = "{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}";
	struct cluster_in	 in, again;
	struct api_error	 err;
	struct buf		 out = BUF_INIT;
	struct jw		 w;
	const char		*body = (const char *)data;
	int			 rc3, rc2;

	arena_reset(&arena);
	apierr_clear(&err);
	rc3 = cluster_decode(&arena, body, size, &limits, NULL, &in, &err);
	if (rc3 == -1)
		check_error(&err);
	else {
		FUZZ_CHECK(strlen(in.id) == UUID_STR_LEN);
		FUZZ_CHECK(strlen(in.components) == in.components_len);
		FUZZ_CHECK(is_json(in.components, in.components_len));
		FUZZ_CHECK(is_json(in.data, strlen(in.data)));
		/* Stored data decodes to the same stored data. */
		apierr_clear(&err);
		FUZZ_CHECK(cluster_decode(&arena, in.data, strlen(in.data),
		    &limits, NULL, &again, &err) == 0);
		FUZZ_CHECK(strcmp(again.data, in.data) == 0);
		FUZZ_CHECK(strcmp(again.id, in.id) == 0);
		jw_init(&w, &out);
		cluster_render(&w, in.components, in.components_len, in.id,
		    true, (int64_t)size * 1000003, -(int64_t)size);
		FUZZ_CHECK(w.depth == 0 && is_json(out.data, out.len));
		buf_free(&out);
	}

	apierr_clear(&err);
	rc2 = cluster_decode(&arena, body, size, &limits, path_id, &in, &err);
	if (rc2 == -1)
		check_error(&err);
	else
		FUZZ_CHECK(is_json(in.data, strlen(in.data)));
	/* The path id only fills in a missing body id. */
	if (rc3 == 0)
		FUZZ_CHECK(rc2 == 0);
	return 0;
}
