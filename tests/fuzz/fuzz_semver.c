/* fuzz_semver.c: libFuzzer target for semver_valid and semver_cmp. */
#include "config.h"

#include "fuzz.h"
#include "semver.h"

/*
 * The input is up to three strings separated by NUL bytes.  semver_cmp
 * must be a total preorder: reflexive, antisymmetric, transitive, and
 * blind to a leading 'v' and to build metadata.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s[3], *v, *b;
	const uint8_t	*p = data;
	size_t		 rest = size, len;
	int		 ab, ba, bc, ac;

	for (int i = 0; i < 3; i++)
		p = fuzz_split(p, rest, '\0', &s[i], &len, &rest);

	for (int i = 0; i < 3; i++) {
		FUZZ_CHECK(semver_cmp(s[i], s[i]) == 0);
		FUZZ_CHECK(semver_cmp(s[i], NULL) == (semver_valid(s[i]) ?
		    1 : 0));
	}
	ab = semver_cmp(s[0], s[1]);
	ba = semver_cmp(s[1], s[0]);
	bc = semver_cmp(s[1], s[2]);
	ac = semver_cmp(s[0], s[2]);
	FUZZ_CHECK(ab >= -1 && ab <= 1);
	FUZZ_CHECK(ab == -ba);
	if (ab <= 0 && bc <= 0)
		FUZZ_CHECK(ac <= 0);
	if (ab == 0 && bc == 0)
		FUZZ_CHECK(ac == 0);
	if (semver_valid(s[0]) != semver_valid(s[1]))
		FUZZ_CHECK(ab == (semver_valid(s[0]) ? 1 : -1));

	/* "v" + s0 ranks with s0 when s0 has no 'v' of its own. */
	len = strlen(s[0]);
	v = malloc(len + 2);
	b = malloc(len + 8);
	if (v == NULL || b == NULL)
		abort();
	v[0] = 'v';
	memcpy(v + 1, s[0], len + 1);
	if (s[0][0] != 'v') {
		FUZZ_CHECK(semver_valid(v) == semver_valid(s[0]));
		FUZZ_CHECK(semver_cmp(v, s[0]) == 0);
	}
	/* Build metadata is ignored. */
	if (semver_valid(s[0]) && strchr(s[0], '+') == NULL) {
		memcpy(b, s[0], len);
		memcpy(b + len, "+b.0-x", 7);
		FUZZ_CHECK(semver_valid(b));
		FUZZ_CHECK(semver_cmp(b, s[0]) == 0);
	}
	free(v);
	free(b);
	for (int i = 0; i < 3; i++)
		free(s[i]);
	return 0;
}
