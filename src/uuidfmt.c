/* uuidfmt.c: PostgreSQL's uuid_in grammar to the canonical UUID text. */

#include <stddef.h>
#include <stdint.h>

#include "uuidfmt.h"

#define UUID_BYTES 16

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * As string_to_uuid() in PostgreSQL's src/backend/utils/adt/uuid.c,
 * bounded by `len' instead of a NUL (an embedded NUL is rejected).
 */
int
uuid_canon(const char *s, size_t len, char out[UUID_STR_LEN + 1])
{
	static const char	 xd[] = "0123456789abcdef";
	uint8_t			 b[UUID_BYTES];
	size_t			 p = 0, o = 0;
	int			 i, hi, lo;
	int			 braces = 0;

	if (s == NULL)
		return -1;
	if (p < len && s[p] == '{') {
		p++;
		braces = 1;
	}
	for (i = 0; i < UUID_BYTES; i++) {
		if (len - p < 2)
			return -1;
		hi = hexval(s[p]);
		lo = hexval(s[p + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		b[i] = (uint8_t)(hi << 4 | lo);
		p += 2;
		if (p < len && s[p] == '-' && i % 2 == 1 &&
		    i < UUID_BYTES - 1)
			p++;
	}
	if (braces) {
		if (p >= len || s[p] != '}')
			return -1;
		p++;
	}
	if (p != len)
		return -1;

	for (i = 0; i < UUID_BYTES; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = xd[b[i] >> 4];
		out[o++] = xd[b[i] & 0x0f];
	}
	out[o] = '\0';
	return 0;
}
