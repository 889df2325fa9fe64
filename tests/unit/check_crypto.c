/* check_crypto.c: unit tests for SHA-256, hex, base64 and ct_equal. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "crypto.h"
#include "testhelp.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ------------------------------------------------------------- SHA-256 */

static void
check_digest(const void *msg, size_t len, const char *want)
{
	uint8_t	 md[SHA256_LEN];
	char	 hex[2 * SHA256_LEN + 1];

	sha256(msg, len, md);
	hex_encode(md, sizeof(md), hex);
	ck_assert_str_eq(hex, want);
}

/* FIPS 180-2 appendix B / NIST example vectors. */
START_TEST(test_sha256_fips)
{
	static const char	 m448[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char	 m896[] =
	    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

	ck_assert_uint_eq(strlen(m448), 56);
	ck_assert_uint_eq(strlen(m896), 112);
	check_digest("", 0, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	check_digest("abc", 3, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	check_digest(m448, strlen(m448), "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
	check_digest(m896, strlen(m896), "cf5b16a778af8380036ce59e7b049237"
	    "0b249b11e8f07a51afac45037afee9d1");
}
END_TEST

START_TEST(test_sha256_million)
{
	char	*m;

	m = malloc(1000000);
	ck_assert_ptr_nonnull(m);
	memset(m, 'a', 1000000);
	check_digest(m, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0");
	free(m);
}
END_TEST

/* Lengths around the padding boundaries; bytes (7i + 3) mod 256. */
static const struct {
	size_t		 len;
	const char	*md;
} pad_cases[] = {
	{ 55, "e7313d333c272e639f790978283f9eb3"
	    "92e843d0f29b7016828bb1daa4aac70b" },
	{ 56, "4324d65f3c103567f5589c710bc08f85"
	    "23f929a9272e3af36fc968e52abc6c27" },
	{ 57, "35df609437dcfea3279283ab79fd554e"
	    "2bf78f8f7ae2de532d8ee300b09e8f73" },
	{ 63, "81c80242132f230c3bd41b3e63bbcff1"
	    "6107339549214a99614ff26664625055" },
	{ 64, "39e3d7b6b5d075d37d053ad89b24b41b"
	    "ef4f3c29760c84447cab3f3be1882241" },
	{ 65, "aacca6ff74fdbb296d165a45cecfa04e"
	    "5127bc008770fbbdd48006f2d2fae95e" },
	{ 119, "9ce7368e4daf32341631b492e80359dc"
	    "9f594b48453cd0dd5bf0b19279cc177e" },
	{ 120, "7836b787757e95e58b3ca5aec90b1b00"
	    "4e8deba1e50e9675af9cabf1a13a04b5" },
};

START_TEST(test_sha256_padding)
{
	uint8_t	 m[128];
	size_t	 i;

	for (i = 0; i < sizeof(m); i++)
		m[i] = (uint8_t)(i * 7 + 3);
	check_digest(m, pad_cases[_i].len, pad_cases[_i].md);
}
END_TEST

START_TEST(test_sha256_nul)
{
	/* NUL bytes are data: "a\0b" differs from "a". */
	check_digest("a\0b", 3, "59b271ae1bbcb1d31d41929817f4b16f"
	    "b439eb4f31520b5ad1d5ce98920a7138");
}
END_TEST

/* ----------------------------------------------------------------- hex */

START_TEST(test_hex)
{
	static const uint8_t	 bin[] = { 0x00, 0x01, 0x7f, 0x80, 0xab,
	    0xcd, 0xef, 0xff };
	uint8_t			 out[8];
	char			 hex[17];

	memset(hex, 'x', sizeof(hex));
	hex_encode(bin, sizeof(bin), hex);
	ck_assert_str_eq(hex, "00017f80abcdefff");
	hex_encode(bin, 0, hex);
	ck_assert_str_eq(hex, "");

	memset(out, 0x55, sizeof(out));
	ck_assert_int_eq(hex_decode("00017f80abcdefff", 16, out, 8), 0);
	ck_assert_mem_eq(out, bin, 8);
	memset(out, 0x55, sizeof(out));
	ck_assert_int_eq(hex_decode("00017F80ABCDEFFF", 16, out, 8), 0);
	ck_assert_mem_eq(out, bin, 8);
	memset(out, 0x55, sizeof(out));
	ck_assert_int_eq(hex_decode("00017f80AbCdEfFf", 16, out, 8), 0);
	ck_assert_mem_eq(out, bin, 8);
	ck_assert_int_eq(hex_decode("", 0, out, 0), 0);
	/* Only `len' bytes are read. */
	ck_assert_int_eq(hex_decode("abcdZZ", 4, out, 2), 0);
	ck_assert_uint_eq(out[0], 0xab);
	ck_assert_uint_eq(out[1], 0xcd);
}
END_TEST

static const char *const hex_bad[] = {
	"0", "000", "0g", "g0", "0G", "  ", "0x", "-1", "+1", "0:", "0/",
	"0@", "0`", "ff\xff\xff", "\xc3\xa9",
};

START_TEST(test_hex_bad)
{
	const char	*in = hex_bad[_i];
	uint8_t		 out[8];
	size_t		 len = strlen(in);

	/* Right length for the digits given, or the wrong one. */
	ck_assert_int_eq(hex_decode(in, len, out, len / 2), -1);
}
END_TEST

START_TEST(test_hex_len)
{
	uint8_t	 out[8];

	ck_assert_int_eq(hex_decode("abcd", 4, out, 1), -1);
	ck_assert_int_eq(hex_decode("abcd", 4, out, 3), -1);
	ck_assert_int_eq(hex_decode("abcd", 3, out, 2), -1);
	ck_assert_int_eq(hex_decode("ab", 2, out, 0), -1);
	ck_assert_int_eq(hex_decode("ab\0d", 4, out, 2), -1);
	ck_assert_int_eq(hex_decode("\0\0", 2, out, 1), -1);
	ck_assert_int_eq(hex_decode("", 0, out, SIZE_MAX / 2 + 1), -1);
	ck_assert_int_eq(hex_decode("ab", 2, out, SIZE_MAX / 2 + 2), -1);
}
END_TEST

/* -------------------------------------------------------------- base64 */

struct b64_case {
	const char	*in;
	const char	*out;
	size_t		 outlen;
};

static const struct b64_case b64_ok[] = {
	/* RFC 4648 section 10 */
	{ "", "", 0 },
	{ "Zg==", "f", 1 },
	{ "Zm8=", "fo", 2 },
	{ "Zm9v", "foo", 3 },
	{ "Zm9vYg==", "foob", 4 },
	{ "Zm9vYmE=", "fooba", 5 },
	{ "Zm9vYmFy", "foobar", 6 },
	/* Basic credentials */
	{ "dXNlcjpwYXNz", "user:pass", 9 },
	{ "QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "Aladdin:open sesame", 19 },
	/* The whole alphabet */
	{ "+/+/", "\xfb\xff\xbf", 3 },
	{ "////", "\xff\xff\xff", 3 },
	{ "AAAA", "\0\0\0", 3 },
	{ "AAECAwQFBgcICQoLDA0ODw==", "\x00\x01\x02\x03\x04\x05\x06\x07"
	    "\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", 16 },
	{ "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=",
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 26 },
	{ "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=",
	    "abcdefghijklmnopqrstuvwxyz", 26 },
	{ "MDEyMzQ1Njc4OSsv", "0123456789+/", 12 },
	/* Unused low bits of the last quantum are ignored, as in Go. */
	{ "Zh==", "f", 1 },
	{ "Zm9=", "fo", 2 },
};

START_TEST(test_b64_ok)
{
	const struct b64_case	*c = &b64_ok[_i];
	char			 out[64];
	long			 n;

	memset(out, 'x', sizeof(out));
	n = base64_decode(c->in, strlen(c->in), out, sizeof(out));
	ck_assert_int_eq(n, (long)c->outlen);
	ck_assert_mem_eq(out, c->out, c->outlen);
	ck_assert_int_eq(out[c->outlen], '\0');
}
END_TEST

static const char *const b64_bad[] = {
	"Z", "Zg", "Zg=", "Zm9", "Zg===", "Zm9vY", "=", "==", "===", "====",
	"Z===", "=Zg=", "Z=g=", "Zg=a", "Zg==Zg==", "Zm8=Zm9v", "Zg==\n",
	"Zm9v YmFy", "Zm9v\nYmFy", "Zm9v\r\nYmFy", " Zm9v", "Zm9v ",
	"Zm9-", "Zm9_", "Zm9.", "Zm9v!A==", "Zm\xc3\xa9",
	"Zm9v\xff\xff\xff\xff",
	"Zg%3D%3D", "Zm9v=", "Zm9vYg=",
};

START_TEST(test_b64_bad)
{
	const char	*in = b64_bad[_i];
	char		 out[64];

	memset(out, 'x', sizeof(out));
	ck_assert_msg(base64_decode(in, strlen(in), out, sizeof(out)) == -1,
	    "accepted \"%s\"", in);
	/* Nothing half-decoded is left behind. */
	ck_assert_int_eq(out[0], '\0');
}
END_TEST

START_TEST(test_b64_limits)
{
	char	 out[16];

	/* Room for the bytes and the NUL, exactly. */
	memset(out, 'x', sizeof(out));
	ck_assert_int_eq(base64_decode("Zm9vYmFy", 8, out, 7), 6);
	ck_assert_str_eq(out, "foobar");
	memset(out, 'x', sizeof(out));
	ck_assert_int_eq(base64_decode("Zm9vYmFy", 8, out, 6), -1);
	ck_assert_int_eq(out[6], 'x');
	ck_assert_int_eq(out[7], 'x');
	memset(out, 'x', sizeof(out));
	ck_assert_int_eq(base64_decode("Zm9vYmE=", 8, out, 6), 5);
	ck_assert_str_eq(out, "fooba");
	ck_assert_int_eq(out[6], 'x');
	ck_assert_int_eq(base64_decode("Zm9vYmE=", 8, out, 5), -1);
	ck_assert_int_eq(base64_decode("Zg==", 4, out, 2), 1);
	ck_assert_str_eq(out, "f");
	memset(out, 'x', sizeof(out));
	ck_assert_int_eq(base64_decode("Zg==", 4, out, 1), -1);
	ck_assert_int_eq(out[1], 'x');
	memset(out, 'x', sizeof(out));
	ck_assert_int_eq(base64_decode("", 0, out, 1), 0);
	ck_assert_int_eq(out[0], '\0');
	ck_assert_int_eq(out[1], 'x');
	ck_assert_int_eq(base64_decode("", 0, out, 0), -1);
	ck_assert_int_eq(out[0], '\0');
	ck_assert_int_eq(base64_decode("Zg==", 4, NULL, 0), -1);

	/* Only `len' bytes are read. */
	ck_assert_int_eq(base64_decode("Zm9vYmFy", 4, out, sizeof(out)), 3);
	ck_assert_str_eq(out, "foo");
	ck_assert_int_eq(base64_decode("Zm9vYmFy", 7, out, sizeof(out)), -1);
	/* NUL bytes in the text are bad characters. */
	ck_assert_int_eq(base64_decode("Zm9v\0\0\0\0", 8, out, sizeof(out)),
	    -1);
	ck_assert_int_eq(base64_decode("Zg=\0", 4, out, sizeof(out)), -1);
	ck_assert_int_eq(base64_decode("\0g==", 4, out, sizeof(out)), -1);
}
END_TEST

/* An independent encoder, to round-trip every byte value. */
static size_t
test_b64_encode(const uint8_t *in, size_t n, char *out)
{
	static const char	 a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t			 i, o = 0;
	uint32_t		 v;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = a[v >> 18 & 63];
		out[o++] = a[v >> 12 & 63];
		out[o++] = i + 1 < n ? a[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? a[v & 63] : '=';
	}
	return o;
}

START_TEST(test_b64_roundtrip)
{
	uint8_t		 in[300];
	char		 enc[404] = "", dec[301];
	size_t		 n, i, elen;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 37 + 11);
	for (n = 0; n <= sizeof(in); n++) {
		elen = test_b64_encode(in, n, enc);
		ck_assert_int_eq(base64_decode(enc, elen, dec, n + 1),
		    (long)n);
		ck_assert_mem_eq(dec, in, n);
		ck_assert_int_eq(dec[n], '\0');
		if (n > 0)
			ck_assert_int_eq(base64_decode(enc, elen, dec, n),
			    -1);
	}
}
END_TEST

/* ------------------------------------------------------------ ct_equal */

START_TEST(test_ct_equal)
{
	uint8_t	 a[64], b[64];
	size_t	 i;
	int	 bit;

	for (i = 0; i < sizeof(a); i++)
		a[i] = b[i] = (uint8_t)(i * 13 + 1);
	ck_assert(ct_equal(a, b, sizeof(a)));
	ck_assert(ct_equal(a, a, sizeof(a)));
	ck_assert(ct_equal(a, b, 0));
	ck_assert(ct_equal("x", "y", 0));
	ck_assert(ct_equal("abc", "abd", 2));
	ck_assert(!ct_equal("abc", "abd", 3));
	ck_assert(!ct_equal("\0bc", "\0bd", 3));
	/* A single flipped bit anywhere is seen. */
	for (i = 0; i < sizeof(a); i++) {
		for (bit = 0; bit < 8; bit++) {
			b[i] ^= (uint8_t)(1u << bit);
			ck_assert_msg(!ct_equal(a, b, sizeof(a)),
			    "byte %zu bit %d", i, bit);
			ck_assert(ct_equal(a, b, i));
			b[i] ^= (uint8_t)(1u << bit);
		}
	}
	ck_assert(ct_equal(a, b, sizeof(a)));
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("crypto");
	TCase	*tc;

	tc = tcase_create("sha256");
	tcase_add_test(tc, test_sha256_fips);
	tcase_add_test(tc, test_sha256_million);
	tcase_add_loop_test(tc, test_sha256_padding, 0, NELEM(pad_cases));
	tcase_add_test(tc, test_sha256_nul);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("hex");
	tcase_add_test(tc, test_hex);
	tcase_add_loop_test(tc, test_hex_bad, 0, NELEM(hex_bad));
	tcase_add_test(tc, test_hex_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("base64");
	tcase_add_loop_test(tc, test_b64_ok, 0, NELEM(b64_ok));
	tcase_add_loop_test(tc, test_b64_bad, 0, NELEM(b64_bad));
	tcase_add_test(tc, test_b64_limits);
	tcase_add_test(tc, test_b64_roundtrip);
	suite_add_tcase(s, tc);

	tc = tcase_create("ct_equal");
	tcase_add_test(tc, test_ct_equal);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return th_run(suite());
}
