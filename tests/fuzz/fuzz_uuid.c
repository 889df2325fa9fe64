/* fuzz_uuid.c: libFuzzer target for uuid_canon (PostgreSQL's uuid_in forms). */
#include "config.h"

#include <ctype.h>

#include "fuzz.h"
#include "uuidfmt.h"

static int
is_lower_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/*
 * Whatever is accepted comes out as 8-4-4-4-12 lower-case hex that is
 * accepted again unchanged, and has the same 32 hex digits as the input.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	 out[UUID_STR_LEN + 1], again[UUID_STR_LEN + 1];
	char	 hex_in[33], hex_out[33];
	size_t	 nin = 0, nout = 0;

	memset(out, 'X', sizeof(out));
	if (uuid_canon((const char *)data, size, out) != 0)
		return 0;
	FUZZ_CHECK(size >= 32 && size <= 41);
	FUZZ_CHECK(out[UUID_STR_LEN] == '\0');
	for (size_t i = 0; i < UUID_STR_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			FUZZ_CHECK(out[i] == '-');
		else
			FUZZ_CHECK(is_lower_hex((unsigned char)out[i]));
	}
	FUZZ_CHECK(uuid_canon(out, UUID_STR_LEN, again) == 0);
	FUZZ_CHECK(memcmp(out, again, sizeof(out)) == 0);
	for (size_t i = 0; i < size; i++)
		if (isxdigit(data[i])) {
			FUZZ_CHECK(nin < 32);
			hex_in[nin++] = (char)tolower(data[i]);
		}
	for (size_t i = 0; i < UUID_STR_LEN; i++)
		if (out[i] != '-')
			hex_out[nout++] = out[i];
	FUZZ_CHECK(nin == 32 && nout == 32);
	FUZZ_CHECK(memcmp(hex_in, hex_out, 32) == 0);
	return 0;
}
