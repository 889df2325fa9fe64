/* check_uuidfmt.c: unit tests for the PostgreSQL uuid_in grammar. */

#include <string.h>

#include <check.h>

#include "testhelp.h"
#include "uuidfmt.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define CANON "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"

/* The forms PostgreSQL's documentation lists, and more. */
static const char *const ok_cases[] = {
	"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
	"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
	"A0eeBC99-9c0B-4Ef8-bB6d-6bB9Bd380A11",
	"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
	"a0eebc999c0b4ef8bb6d6bb9bd380a11",
	"A0EEBC999C0B4EF8BB6D6BB9BD380A11",
	"a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11",
	"{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}",
	"{a0eebc999c0b4ef8bb6d6bb9bd380a11}",
	"a0eebc99-9c0b4ef8bb6d6bb9bd380a11",
	"a0eebc999c0b4ef8bb6d6bb9bd38-0a11",
	"{a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11}",
};

START_TEST(test_ok)
{
	const char	*in = ok_cases[_i];
	char		 out[UUID_STR_LEN + 1];

	memset(out, 'x', sizeof(out));
	ck_assert_msg(uuid_canon(in, strlen(in), out) == 0, "rejected %s",
	    in);
	ck_assert_str_eq(out, CANON);
}
END_TEST

static const char *const bad_cases[] = {
	"",
	"{",
	"{}",
	"-",
	/* 35 and 37 characters */
	"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",
	"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111",
	/* 31 and 33 digits */
	"a0eebc999c0b4ef8bb6d6bb9bd380a1",
	"a0eebc999c0b4ef8bb6d6bb9bd380a111",
	"-a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
	"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-",
	"a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11",
	"a0eebc99-9c0b-4ef8-bb6d--6bb9bd380a11",
	/* hyphens inside a byte pair or after an even byte */
	"a-0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
	"a0e-ebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
	"a0-eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
	"a0eeb-c99-9c0b-4ef8-bb6d-6bb9bd380a11",
	"a0eebc9-9-9c0b-4ef8-bb6d-6bb9bd380a11",
	"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a-11",
	"a0eebc99-9c0b-4ef8-bb6d-6bb9bd38-0a-11",
	/* not hex */
	"g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
	"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g",
	"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1 ",
	"a0eebc99_9c0b_4ef8_bb6d_6bb9bd380a11",
	"0xeebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
	"a0eebc99:9c0b:4ef8:bb6d:6bb9bd380a11",
	/* braces */
	"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
	"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
	"{{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}}",
	"(a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11)",
	"[a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11]",
	"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-}",
	"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}x",
	"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11)",
	"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11{",
	"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 ",
	"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111",
	/* white space, anywhere */
	"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 ",
	" a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
	"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\n",
	"a0eebc99 9c0b 4ef8 bb6d 6bb9bd380a11",
	"{ a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
	/* other things */
	"urn:uuid:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
	"latest",
	"1",
};

START_TEST(test_bad)
{
	const char	*in = bad_cases[_i];
	char		 out[UUID_STR_LEN + 1];

	ck_assert_msg(uuid_canon(in, strlen(in), out) == -1,
	    "accepted \"%s\"", in);
}
END_TEST

START_TEST(test_len)
{
	static const char	 nul[] =
	    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\0";
	static const char	 nul_mid[] =
	    "a0eebc99-9c0b-4ef8\0bb6d-6bb9bd380a11";
	static const char	 nul_pair[] =
	    "a0eebc99-9c0b-4ef8-b\0b6d-6bb9bd380a11";
	static const char	 nul_brace[] =
	    "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\0}";
	static const char	 junk[] = CANON "ffff";
	char			 out[UUID_STR_LEN + 1];

	/* Embedded and trailing NUL bytes are rejected. */
	ck_assert_int_eq(uuid_canon(nul, sizeof(nul) - 1, out), -1);
	ck_assert_int_eq(uuid_canon(nul_mid, sizeof(nul_mid) - 1, out), -1);
	ck_assert_int_eq(uuid_canon(nul_pair, sizeof(nul_pair) - 1, out),
	    -1);
	ck_assert_int_eq(uuid_canon(nul_brace, sizeof(nul_brace) - 1, out),
	    -1);
	/* Only `len' bytes are read: no NUL needed, the rest ignored. */
	memset(out, 'x', sizeof(out));
	ck_assert_int_eq(uuid_canon(junk, UUID_STR_LEN, out), 0);
	ck_assert_str_eq(out, CANON);
	ck_assert_int_eq(uuid_canon(junk, UUID_STR_LEN + 1, out), -1);
	ck_assert_int_eq(uuid_canon(junk, UUID_STR_LEN - 1, out), -1);
	ck_assert_int_eq(uuid_canon(junk, 0, out), -1);
	ck_assert_int_eq(uuid_canon("{", 1, out), -1);
	/* Cut just before the closing brace. */
	ck_assert_int_eq(uuid_canon("{" CANON "}", UUID_STR_LEN + 1, out),
	    -1);
}
END_TEST

START_TEST(test_digits)
{
	char	 in[33], out[UUID_STR_LEN + 1];
	int	 i;

	/* Every hex digit, both cases, in every position. */
	memcpy(in, "0123456789abcdefABCDEF0123456789", 32);
	ck_assert_int_eq(uuid_canon(in, 32, out), 0);
	ck_assert_str_eq(out, "01234567-89ab-cdef-abcd-ef0123456789");
	memcpy(in, "00000000000000000000000000000000", 32);
	ck_assert_int_eq(uuid_canon(in, 32, out), 0);
	ck_assert_str_eq(out, "00000000-0000-0000-0000-000000000000");
	memcpy(in, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 32);
	ck_assert_int_eq(uuid_canon(in, 32, out), 0);
	ck_assert_str_eq(out, "ffffffff-ffff-ffff-ffff-ffffffffffff");
	/* Each non-hex neighbour of the digit ranges fails in each place. */
	for (i = 0; i < 32; i++) {
		static const char	 bad[] = "/:@G`g\x7f\x80 ";
		size_t			 k;

		for (k = 0; k < sizeof(bad) - 1; k++) {
			memset(in, '0', 32);
			in[i] = bad[k];
			ck_assert_msg(uuid_canon(in, 32, out) == -1,
			    "accepted 0x%02x at %d", (unsigned char)bad[k], i);
		}
	}
}
END_TEST

/*
 * A hyphen may follow byte i when i is odd and below 15, i.e. after
 * hex digit 4, 8, ..., 28; nowhere else.
 */
START_TEST(test_hyphen_positions)
{
	char	 in[40], out[UUID_STR_LEN + 1];
	int	 pos, j, o;

	for (pos = 0; pos <= 32; pos++) {
		o = 0;
		for (j = 0; j < 32; j++) {
			if (j == pos)
				in[o++] = '-';
			in[o++] = "0123456789abcdef"[j % 16];
		}
		if (pos == 32)
			in[o++] = '-';
		if (pos % 4 == 0 && pos > 0 && pos < 32)
			ck_assert_msg(uuid_canon(in, (size_t)o, out) == 0,
			    "hyphen at %d rejected", pos);
		else
			ck_assert_msg(uuid_canon(in, (size_t)o, out) == -1,
			    "hyphen at %d accepted", pos);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("uuidfmt");
	TCase	*tc;

	tc = tcase_create("canon");
	tcase_add_loop_test(tc, test_ok, 0, NELEM(ok_cases));
	tcase_add_loop_test(tc, test_bad, 0, NELEM(bad_cases));
	tcase_add_test(tc, test_len);
	tcase_add_test(tc, test_digits);
	tcase_add_test(tc, test_hyphen_positions);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return th_run(suite());
}
