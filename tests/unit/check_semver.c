/* check_semver.c: unit tests for semantic version validity and order. */

#include <stdbool.h>
#include <stdio.h>

#include <check.h>

#include "semver.h"
#include "testhelp.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int
sgn(int c)
{
	return (c > 0) - (c < 0);
}

/* ------------------------------------------------------------ validity */

static const char *const valid_cases[] = {
	"0.0.0", "1.2.3", "v1.2.3", "10.20.30", "1.0.0-alpha",
	"1.0.0-alpha.1", "1.0.0-0.3.7", "1.0.0-x.7.z.92", "1.0.0-x-y-z.--",
	"1.0.0-alpha+001", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85",
	"1.0.0+21AF26D3----117B344092BD", "1.0.0--", "1.0.0-0",
	"1.0.0-0a", "1.0.0-a0", "1.0.0-00a", "1.0.0+0", "1.0.0+007",
	"1.1.2-prerelease+meta", "1.0.0-alpha.beta.1", "2.0.0-rc.1+build.123",
	"99999999999999999999999.999999999999999999.99999999999999999999",
	"1.0.99999999999999999999", "v0.0.0-0",
};

START_TEST(test_valid)
{
	ck_assert_msg(semver_valid(valid_cases[_i]), "rejected %s",
	    valid_cases[_i]);
}
END_TEST

static const char *const invalid_cases[] = {
	"", "v", "latest", "canary", "git-abc1234", "1", "1.2", "2.0",
	"1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "00.0.0", "1.2.3-",
	"1.2.3+", "1.2.3-+", "1.2.3-+build", "1.2.3-alpha.", "1.2.3-.alpha",
	"1.2.3-alpha..1", "1.2.3+build.", "1.2.3+.build", "1.2.3+a..b",
	"1.2.3-01", "1.2.3-alpha.01", "1.2.3-00", "1.2.3-alpha_beta",
	"1.2.3+build_1", "1.2.3-alpha+build+more", "1.2.3 ", " 1.2.3",
	"V1.2.3", "vv1.2.3", "v.1.2.3", "-1.2.3", "+1.2.3", "1.-2.3",
	"1.2.-3", "a.b.c", "1.2.3a", "1..3", ".1.2.3", "1.2.3.",
	"1.2.3-alpha beta", "1.2.3-é", "1.2.3\t", "1.2.3\n", "1.2.3-α",
	"1,2,3", "1.2.3-a/b", "1.2.3+a:b",
};

START_TEST(test_invalid)
{
	ck_assert_msg(!semver_valid(invalid_cases[_i]), "accepted \"%s\"",
	    invalid_cases[_i]);
}
END_TEST

START_TEST(test_valid_null)
{
	ck_assert(!semver_valid(NULL));
	ck_assert_int_eq(semver_cmp(NULL, NULL), 0);
	ck_assert_int_lt(semver_cmp(NULL, "0.0.0"), 0);
	ck_assert_int_gt(semver_cmp("0.0.0", NULL), 0);
}
END_TEST

/* --------------------------------------------- semver.org's example chain */

/* semver.org 2.0.0 section 11, strictly increasing. */
static const char *const chain[] = {
	"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
	"1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0",
	"2.0.0", "2.1.0", "2.1.1",
};

#define CHAIN_N NELEM(chain)

/* Loop index _i is a (a, b) pair: every ordered pair, both ways. */
START_TEST(test_chain_pairs)
{
	int	 a = _i / CHAIN_N, b = _i % CHAIN_N;
	int	 want = sgn(a - b);

	ck_assert_msg(semver_cmp(chain[a], chain[b]) == want,
	    "cmp(%s, %s) = %d, want %d", chain[a], chain[b],
	    semver_cmp(chain[a], chain[b]), want);
	ck_assert_msg(semver_cmp(chain[b], chain[a]) == -want,
	    "cmp(%s, %s) = %d, want %d", chain[b], chain[a],
	    semver_cmp(chain[b], chain[a]), -want);
}
END_TEST

/* ------------------------------------------------------ specific orders */

struct cmp_case {
	const char	*a;
	const char	*b;
	int		 want;
};

static const struct cmp_case cmp_cases[] = {
	/* The leading 'v'. */
	{ "v1.2.3", "1.2.3", 0 },
	{ "v1.0.0-rc.1", "1.0.0-rc.1", 0 },
	{ "v2.10.0", "v2.9.1", 1 },
	{ "2.10.0", "v2.9.1", 1 },
	{ "v2.9.1", "2.10.0", -1 },
	{ "v1.10.0", "1.9.0", 1 },
	/* Build metadata is ignored. */
	{ "1.0.0+build.1", "1.0.0+build.2", 0 },
	{ "1.0.0+zzz", "1.0.0", 0 },
	{ "1.0.0-alpha+001", "1.0.0-alpha", 0 },
	{ "1.0.0-alpha+zzz", "1.0.0-alpha.1", -1 },
	{ "1.0.0+999", "1.0.1", -1 },
	{ "v1.0.0+a", "1.0.0+b", 0 },
	/* Numbers compare as numbers at any length. */
	{ "1.0.99999999999999999999", "1.0.9", 1 },
	{ "1.0.9", "1.0.99999999999999999999", -1 },
	{ "1.0.99999999999999999999", "1.0.99999999999999999998", 1 },
	{ "1.0.99999999999999999999", "1.0.99999999999999999999", 0 },
	{ "18446744073709551616.0.0", "18446744073709551615.0.0", 1 },
	{ "1.0.0-99999999999999999999", "1.0.0-9", 1 },
	{ "1.0.0-9", "1.0.0-10", -1 },
	{ "1.0.0-rc.9", "1.0.0-rc.10", -1 },
	{ "1.0.0-0", "1.0.0-1", -1 },
	{ "1.9.0", "1.10.0", -1 },
	{ "1.0.10", "1.0.9", 1 },
	{ "10.0.0", "9.99.99", 1 },
	/* Numeric below alphanumeric; ASCII order among alphanumerics. */
	{ "1.0.0-999999", "1.0.0-a", -1 },
	{ "1.0.0-1", "1.0.0--", -1 },
	{ "1.0.0-0a", "1.0.0-1", 1 },
	{ "1.0.0-10a", "1.0.0-9a", -1 },
	{ "1.0.0-Beta", "1.0.0-alpha", -1 },
	{ "1.0.0-RC.1", "1.0.0-rc.1", -1 },
	{ "1.0.0--", "1.0.0-0a", -1 },
	{ "1.0.0-alpha", "1.0.0-alphabet", -1 },
	{ "1.0.0-alpha-1", "1.0.0-alpha", 1 },
	{ "1.0.0-alpha.1", "1.0.0-alpha-1", -1 },
	/* More fields rank higher when the rest are equal. */
	{ "1.0.0-a.b.c", "1.0.0-a.b", 1 },
	{ "1.0.0-a.b.c.0", "1.0.0-a.b.c", 1 },
	{ "1.0.0-a.1.b", "1.0.0-a.2", -1 },
	/* A release ranks above its pre-releases. */
	{ "1.0.0", "1.0.0-zzz", 1 },
	{ "1.0.0", "1.0.0-99999", 1 },
	{ "1.0.1-alpha", "1.0.0", 1 },
	{ "0.0.0", "0.0.0-0", 1 },
	/* Major, minor, patch in that order. */
	{ "2.0.0", "1.99.99", 1 },
	{ "1.2.0", "1.1.99", 1 },
	{ "0.0.1", "0.0.0", 1 },
	{ "0.0.0", "0.0.0", 0 },
	/* Non-semver ranks below every semver, and ties with non-semver. */
	{ "latest", "0.0.0-0", -1 },
	{ "canary", "0.0.0", -1 },
	{ "git-abc1234", "1.0.0-alpha", -1 },
	{ "2.0", "1.0.0", -1 },
	{ "01.2.3", "1.2.3", -1 },
	{ "99.0.0.0", "0.0.1", -1 },
	{ "", "0.0.0", -1 },
	{ "1.2.3-", "1.2.3-alpha", -1 },
	{ "1.2.3+", "1.2.3", -1 },
	{ "latest", "canary", 0 },
	{ "2.0", "latest", 0 },
	{ "", "git-abc1234", 0 },
	{ "1.2.3-", "1.2.3+", 0 },
	{ "V1.2.3", "v1.2.3", -1 },
};

START_TEST(test_cmp)
{
	const struct cmp_case	*c = &cmp_cases[_i];
	int			 got, rev;

	got = semver_cmp(c->a, c->b);
	rev = semver_cmp(c->b, c->a);
	/* Exactly -1, 0 or 1, and antisymmetric. */
	ck_assert_msg(got == c->want, "cmp(%s, %s) = %d, want %d",
	    c->a, c->b, got, c->want);
	ck_assert_msg(rev == -c->want, "cmp(%s, %s) = %d, want %d",
	    c->b, c->a, rev, -c->want);
}
END_TEST

START_TEST(test_cmp_reflexive)
{
	int	 i;

	for (i = 0; i < NELEM(valid_cases); i++)
		ck_assert_msg(semver_cmp(valid_cases[i], valid_cases[i]) == 0,
		    "%s", valid_cases[i]);
	for (i = 0; i < NELEM(invalid_cases); i++) {
		ck_assert_int_eq(semver_cmp(invalid_cases[i],
		    invalid_cases[i]), 0);
		ck_assert_int_lt(semver_cmp(invalid_cases[i], "0.0.0-0"), 0);
		ck_assert_int_gt(semver_cmp("0.0.0-0", invalid_cases[i]), 0);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("semver");
	TCase	*tc;

	tc = tcase_create("valid");
	tcase_add_loop_test(tc, test_valid, 0, NELEM(valid_cases));
	tcase_add_loop_test(tc, test_invalid, 0, NELEM(invalid_cases));
	tcase_add_test(tc, test_valid_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("precedence");
	tcase_add_loop_test(tc, test_chain_pairs, 0, CHAIN_N * CHAIN_N);
	tcase_add_loop_test(tc, test_cmp, 0, NELEM(cmp_cases));
	tcase_add_test(tc, test_cmp_reflexive);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return th_run(suite());
}
