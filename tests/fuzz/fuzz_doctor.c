/* fuzz_doctor.c: libFuzzer target for the doctor report decoder. */
#include "config.h"

#include "apierr.h"
#include "buf.h"
#include "clusters_model.h"
#include "fuzz.h"
#include "json.h"
#include "xalloc.h"

static const struct json_limits limits = { 64, 100000 };
static const struct json_limits big = { 1000, 10000000 };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	xalloc_cjson_hooks();
	return 0;
}

/*
 * The input is a doctor report.  What the decoder keeps is JSON, and a
 * fixed point: decoding the kept report gives it back byte for byte
 * (free-form data is copied verbatim, missing parts are null).
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_error	 err;
	struct buf		 out = BUF_INIT, out2 = BUF_INIT;
	cJSON			*root;

	apierr_clear(&err);
	if (doctor_decode((const char *)data, size, &limits, &out, &err) ==
	    -1) {
		FUZZ_CHECK(err.code == APIERR_BAD_REQUEST ||
		    err.code == APIERR_TOO_LARGE ||
		    err.code == APIERR_VALIDATION);
		FUZZ_CHECK(err.message[0] != '\0');
		buf_free(&out);
		return 0;
	}
	FUZZ_CHECK(out.len > 0 && strlen(out.data) == out.len);
	apierr_clear(&err);
	root = json_parse_body(out.data, out.len, &big, &err);
	if (root == NULL)
		fprintf(stderr, "kept report is not JSON (%s): %.*s\n",
		    err.message, (int)out.len, out.data);
	FUZZ_CHECK(root != NULL);
	cJSON_Delete(root);
	apierr_clear(&err);
	FUZZ_CHECK(doctor_decode(out.data, out.len, &big, &out2, &err) == 0);
	if (out.len != out2.len || memcmp(out.data, out2.data, out.len) != 0)
		fprintf(stderr, "not a fixed point:\n%.*s\n%.*s\n",
		    (int)out.len, out.data, (int)out2.len, out2.data);
	FUZZ_CHECK(out.len == out2.len &&
	    memcmp(out.data, out2.data, out.len) == 0);
	buf_free(&out);
	buf_free(&out2);
	return 0;
}
