/* arena.c: per-request bump allocator, reset once per request. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "xalloc.h"

#define ARENA_BLOCK	(16 * 1024)
#define ARENA_ALIGN	16
/* Blocks kept across resets; larger ones are freed. */
#define ARENA_KEEP	(256 * 1024)

struct arena_block {
	struct arena_block	*next;
	size_t			 size;	/* usable bytes */
	size_t			 off;
	unsigned char		 mem[];
};

void
arena_init(struct arena *a)
{
	memset(a, 0, sizeof(*a));
}

static void
free_chain(struct arena_block *b)
{
	struct arena_block	*next;

	for (; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
}

void
arena_reset(struct arena *a)
{
	struct arena_block	*b, *next;
	size_t			 kept = 0;

	if (a->used > a->peak)
		a->peak = a->used;
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		if (b->size == ARENA_BLOCK + ARENA_ALIGN && kept < ARENA_KEEP) {
			b->off = 0;
			b->next = a->spare;
			a->spare = b;
			kept += b->size;
		} else
			free(b);
	}
	a->head = NULL;
	a->used = 0;
}

void
arena_free(struct arena *a)
{
	free_chain(a->head);
	free_chain(a->spare);
	a->head = a->spare = NULL;
	a->used = 0;
}

static void *
take(struct arena_block *b, size_t n)
{
	uintptr_t	 at;
	size_t		 pad;

	at = (uintptr_t)(b->mem + b->off);
	pad = (size_t)(-at & (ARENA_ALIGN - 1));
	if (b->off + pad > b->size || b->size - b->off - pad < n)
		return NULL;
	b->off += pad + n;
	return b->mem + b->off - n;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block	*b;
	void			*p;

	if (n == 0)
		n = 1;
	if (a->head != NULL && (p = take(a->head, n)) != NULL) {
		a->used += n;
		return p;
	}
	if (n <= ARENA_BLOCK / 4) {
		if ((b = a->spare) != NULL)
			a->spare = b->next;
		else {
			b = xmalloc(sizeof(*b) + ARENA_BLOCK + ARENA_ALIGN);
			b->size = ARENA_BLOCK + ARENA_ALIGN;
		}
		b->off = 0;
		b->next = a->head;
		a->head = b;
	} else {
		/* A big one-off block, behind the one being filled. */
		b = xmalloc(sizeof(*b) + n + ARENA_ALIGN);
		b->size = n + ARENA_ALIGN;
		b->off = 0;
		if (a->head != NULL) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = NULL;
			a->head = b;
		}
	}
	p = take(b, n);
	a->used += n;
	return p;
}

void *
arena_calloc(struct arena *a, size_t n, size_t size)
{
	void	*p;

	if (size != 0 && n > SIZE_MAX / size)
		abort();
	p = arena_alloc(a, n * size);
	memset(p, 0, n * size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p;

	p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
