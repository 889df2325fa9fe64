/* fuzz_crypto.c: libFuzzer target for base64 and hex decoding, ct_equal. */
#include "config.h"

#include <limits.h>

#include "crypto.h"
#include "fuzz.h"

/* A plain reference decoder, written from RFC 4648 for comparison. */
static int
ref_val(int c)
{
	const char	*alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const char	*p;

	if (c == '\0' || (p = strchr(alpha, c)) == NULL)
		return -1;
	return (int)(p - alpha);
}

static long
ref_decode(const uint8_t *s, size_t len, uint8_t *out)
{
	size_t	 o = 0, pad = 0;

	if (len % 4 != 0)
		return -1;
	if (len >= 1 && s[len - 1] == '=')
		pad++;
	if (len >= 2 && s[len - 2] == '=')
		pad++;
	if (pad == 1 && len >= 2 && s[len - 2] == '=')
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		int	 v[4];
		bool	 last = i + 4 == len;

		for (int k = 0; k < 4; k++) {
			if (last && k >= 4 - (int)pad)
				v[k] = 0;
			else if ((v[k] = ref_val(s[i + k])) < 0)
				return -1;
		}
		out[o++] = (uint8_t)(v[0] << 2 | v[1] >> 4);
		if (!last || pad < 2)
			out[o++] = (uint8_t)((v[1] & 0x0f) << 4 | v[2] >> 2);
		if (!last || pad < 1)
			out[o++] = (uint8_t)((v[2] & 0x03) << 6 | v[3]);
	}
	return (long)o;
}

/*
 * The input is decoded as base64 (compared with the reference decoder,
 * in a roomy buffer and in one that is one byte too small) and as hex
 * (and re-encoded); ct_equal must agree with memcmp.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	uint8_t		*ref, *bin, digest[SHA256_LEN];
	char		*out, *hex;
	long		 got, want;
	size_t		 half;

	out = malloc(size + 2);
	ref = malloc(size + 2);
	if (out == NULL || ref == NULL)
		abort();
	got = base64_decode(s, size, out, size + 1);
	want = ref_decode(data, size, ref);
	FUZZ_CHECK(got == want);
	if (got >= 0) {
		FUZZ_CHECK(memcmp(out, ref, (size_t)got) == 0);
		FUZZ_CHECK(out[got] == '\0');
		FUZZ_CHECK(base64_decode(s, size, out, (size_t)got) == -1);
		FUZZ_CHECK(out[0] == '\0' || got == 0);
		FUZZ_CHECK(base64_decode(s, size, out, (size_t)got + 1) ==
		    got);
	} else
		FUZZ_CHECK(out[0] == '\0');
	FUZZ_CHECK(base64_decode(s, size, out, 0) == -1);

	half = size / 2;
	bin = malloc(half + 1);
	hex = malloc(size + 1);
	if (bin == NULL || hex == NULL)
		abort();
	if (hex_decode(s, size, bin, half) == 0) {
		FUZZ_CHECK(size % 2 == 0);
		hex_encode(bin, half, hex);
		for (size_t i = 0; i < size; i++)
			FUZZ_CHECK(hex[i] == (s[i] >= 'A' && s[i] <= 'F' ?
			    s[i] - 'A' + 'a' : s[i]));
	}
	FUZZ_CHECK(hex_decode(s, size, bin, half + 1) == -1);

	FUZZ_CHECK(ct_equal(data, data + half, half) ==
	    (memcmp(data, data + half, half) == 0));
	sha256(data, size, digest);
	free(out);
	free(ref);
	free(bin);
	free(hex);
	return 0;
}
