/* arena.h: per-request bump allocator, reset once per request. */
#ifndef WFM_ARENA_H
#define WFM_ARENA_H

#include <stddef.h>

/*
 * A chain of blocks.  Everything allocated from an arena lives until the
 * next arena_reset() or arena_free(); nothing is freed one by one.  Out of
 * memory aborts the process (see docs/architecture.md, "Memory").
 */
struct arena_block;

struct arena {
	struct arena_block	*head;	/* block being filled */
	struct arena_block	*spare;	/* kept blocks, reused after reset */
	size_t			 used;	/* bytes handed out since reset */
	size_t			 peak;	/* largest `used' seen */
};

void	 arena_init(struct arena *);
void	 arena_reset(struct arena *);
void	 arena_free(struct arena *);
/* Aligned for any type.  Never returns NULL. */
void	*arena_alloc(struct arena *, size_t);
void	*arena_calloc(struct arena *, size_t, size_t);
/* Copies of strings and byte ranges, NUL-terminated. */
char	*arena_strdup(struct arena *, const char *);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_printf(struct arena *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
