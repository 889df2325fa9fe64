/* jw.h: streaming JSON writer with the original service's escaping. */
#ifndef WFM_JW_H
#define WFM_JW_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define JW_MAX_DEPTH 32

/*
 * Writes compact JSON into a buf, inserting commas itself.  Strings are
 * escaped as Go's encoder did: ", \, control characters, and also <, >, &,
 * U+2028 and U+2029 as \u escapes.
 */
struct jw {
	struct buf	*b;
	int		 depth;
	bool		 first[JW_MAX_DEPTH];	/* no value yet at this depth */
	bool		 after_key;
};

void	 jw_init(struct jw *, struct buf *);
void	 jw_obj_open(struct jw *);
void	 jw_obj_close(struct jw *);
void	 jw_arr_open(struct jw *);
void	 jw_arr_close(struct jw *);
void	 jw_key(struct jw *, const char *);
void	 jw_str(struct jw *, const char *);
void	 jw_strn(struct jw *, const char *, size_t);
void	 jw_int(struct jw *, long long);
void	 jw_bool(struct jw *, bool);
void	 jw_null(struct jw *);
/* A value that is already JSON text (trusted, written as is). */
void	 jw_raw(struct jw *, const char *, size_t);
/* Shorthands: key + value. */
void	 jw_kstr(struct jw *, const char *, const char *);
void	 jw_kint(struct jw *, const char *, long long);
/* Only the string escaping, appended to a buf (no quotes). */
void	 jw_escape(struct buf *, const char *, size_t);

#endif
