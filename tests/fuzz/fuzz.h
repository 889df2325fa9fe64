/* fuzz.h: shared pieces of the libFuzzer targets in tests/fuzz/. */
#ifndef WFM_FUZZ_H
#define WFM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanitizer/common_interface_defs.h>

/* libFuzzer's entry points (the targets define them). */
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	 LLVMFuzzerInitialize(int *, char ***);

/*
 * An invariant of the code under test.  A violation is a finding: it
 * reports the condition and aborts, so libFuzzer saves the input as a
 * crash artifact, exactly as for a sanitizer report.  The report goes
 * where the sanitizers report (stderr, or libFuzzer's copy of it under
 * -close_fd_mask=2).
 */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond))							\
		fuzz_fail(__FILE__, __LINE__, #cond);			\
} while (0)

static inline void __attribute__((noreturn))
fuzz_fail(const char *file, int line, const char *cond)
{
	char	 msg[512];

	snprintf(msg, sizeof(msg), "%s:%d: invariant failed: %s", file,
	    line, cond);
	__sanitizer_report_error_summary(msg);
	abort();
}

/*
 * A NUL-terminated heap copy of the input (the code under test often
 * wants C strings); the caller frees it.  Embedded NUL bytes stay, so
 * strlen() may be shorter than `n'.
 */
static inline char *
fuzz_strndup(const uint8_t *data, size_t n)
{
	char	*s = malloc(n + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

/*
 * Splits the input at the first `sep' byte: *a gets the part before it
 * (heap, NUL-terminated), the return value the rest (borrowed), *restn
 * its length.  Without `sep' everything is *a and the rest is empty.
 */
static inline const uint8_t *
fuzz_split(const uint8_t *data, size_t n, int sep, char **a, size_t *alen,
    size_t *restn)
{
	const uint8_t	*p = memchr(data, sep, n);
	size_t		 k = p != NULL ? (size_t)(p - data) : n;

	*a = fuzz_strndup(data, k);
	*alen = k;
	if (p == NULL) {
		*restn = 0;
		return data + n;
	}
	*restn = n - k - 1;
	return p + 1;
}

#endif
