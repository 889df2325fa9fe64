/* xalloc.h: allocation wrappers; out of memory aborts the process. */
#ifndef WFM_XALLOC_H
#define WFM_XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Route cJSON's allocations through the wrappers above. */
void	 xalloc_cjson_hooks(void);

#endif
