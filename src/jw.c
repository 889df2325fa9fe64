/* jw.c: streaming JSON writer with the original service's escaping. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "jw.h"

static const char hexdig[] = "0123456789abcdef";

void
jw_init(struct jw *w, struct buf *b)
{
	w->b = b;
	w->depth = 0;
	w->first[0] = true;
	w->after_key = false;
}

/* Comma before a value or key, unless first in its container. */
static void
sep(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (!w->first[w->depth])
		buf_putc(w->b, ',');
	w->first[w->depth] = false;
}

static void
open_(struct jw *w, char c)
{
	sep(w);
	buf_putc(w->b, c);
	if (w->depth + 1 < JW_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void
close_(struct jw *w, char c)
{
	buf_putc(w->b, c);
	if (w->depth > 0)
		w->depth--;
}

void
jw_obj_open(struct jw *w)
{
	open_(w, '{');
}

void
jw_obj_close(struct jw *w)
{
	close_(w, '}');
}

void
jw_arr_open(struct jw *w)
{
	open_(w, '[');
}

void
jw_arr_close(struct jw *w)
{
	close_(w, ']');
}

void
jw_escape(struct buf *b, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, start = 0;
	char			 esc[6] = { '\\', 'u', '0', '0', 0, 0 };

	buf_reserve(b, n + 2);
	for (i = 0; i < n; i++) {
		unsigned char	 c = p[i];
		const char	*rep = NULL;
		size_t		 replen = 0;

		if (c >= 0x20 && c != '"' && c != '\\' && c != '<' &&
		    c != '>' && c != '&') {
			/* U+2028 and U+2029: E2 80 A8 / E2 80 A9. */
			if (c == 0xe2 && i + 2 < n && p[i + 1] == 0x80 &&
			    (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
				buf_put(b, s + start, i - start);
				buf_puts(b, p[i + 2] == 0xa8 ? "\\u2028" :
				    "\\u2029");
				i += 2;
				start = i + 1;
			}
			continue;
		}
		switch (c) {
		case '"':
			rep = "\\\"";
			replen = 2;
			break;
		case '\\':
			rep = "\\\\";
			replen = 2;
			break;
		case '\n':
			rep = "\\n";
			replen = 2;
			break;
		case '\r':
			rep = "\\r";
			replen = 2;
			break;
		case '\t':
			rep = "\\t";
			replen = 2;
			break;
		default:
			esc[4] = hexdig[c >> 4];
			esc[5] = hexdig[c & 0xf];
			rep = esc;
			replen = 6;
			break;
		}
		buf_put(b, s + start, i - start);
		buf_put(b, rep, replen);
		start = i + 1;
	}
	buf_put(b, s + start, n - start);
}

void
jw_strn(struct jw *w, const char *s, size_t n)
{
	sep(w);
	buf_putc(w->b, '"');
	jw_escape(w->b, s, n);
	buf_putc(w->b, '"');
}

void
jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, strlen(s));
}

void
jw_key(struct jw *w, const char *k)
{
	jw_str(w, k);
	buf_putc(w->b, ':');
	w->after_key = true;
}

void
jw_int(struct jw *w, long long v)
{
	sep(w);
	buf_printf(w->b, "%lld", v);
}

void
jw_bool(struct jw *w, bool v)
{
	sep(w);
	buf_puts(w->b, v ? "true" : "false");
}

void
jw_null(struct jw *w)
{
	sep(w);
	buf_puts(w->b, "null");
}

void
jw_raw(struct jw *w, const char *s, size_t n)
{
	sep(w);
	buf_put(w->b, s, n);
}

void
jw_kstr(struct jw *w, const char *k, const char *v)
{
	jw_key(w, k);
	jw_str(w, v);
}

void
jw_kint(struct jw *w, const char *k, long long v)
{
	jw_key(w, k);
	jw_int(w, v);
}
