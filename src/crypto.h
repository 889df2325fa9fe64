/* crypto.h: SHA-256, hex, base64 and base64url, constant-time comparison. */
#ifndef WFM_CRYPTO_H
#define WFM_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

void	 sha256(const void *, size_t, uint8_t out[SHA256_LEN]);
/* Lower-case hex of `n' bytes; `out' holds 2n+1. */
void	 hex_encode(const uint8_t *, size_t n, char *out);
/* Exactly 2n hex digits (either case) to n bytes.  0, or -1. */
int	 hex_decode(const char *, size_t len, uint8_t *out, size_t n);
/*
 * Standard base64 with padding to bytes.  Writes at most outsz bytes and
 * a NUL; returns the decoded length, or -1 (bad input, too long).
 * The decoded length must be at most outsz - 1.  No white space or line
 * breaks are taken; unused low bits of a padded quantum are ignored (as
 * Go's base64.StdEncoding).  On -1, out is "" when outsz > 0.
 */
long	 base64_decode(const char *, size_t, char *out, size_t outsz);
/*
 * base64url without padding (RFC 4648 section 5).  Encode writes
 * 4*ceil(n/3) characters at most and a NUL into out; returns the length.
 * Decode returns the byte count, or -1 (bad character, impossible
 * length, more than outsz bytes, non-zero unused bits).
 */
size_t	 base64url_encode(const uint8_t *, size_t n, char *out);
long	 base64url_decode(const char *, size_t len, uint8_t *out,
	    size_t outsz);

/* Compares n bytes in time that does not depend on their contents. */
bool	 ct_equal(const void *, const void *, size_t n);

#endif
