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

/* Length of a valid UTF-8 sequence at p[0..n), or 0. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	unsigned	 cp, min;
	size_t		 len;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = p[0] & 0x1f;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = p[0] & 0x0f;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = p[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void
jw_escape(struct buf *b, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, start = 0, len;
	char			 esc[6] = { '\\', 'u', '0', '0', 0, 0 };

	buf_reserve(b, n + 2);
	while (i < n) {
		unsigned char	 c = p[i];
		const char	*rep = NULL;
		size_t		 replen = 0;

		if (c >= 0x80) {
			len = utf8_len(p + i, n - i);
			if (len == 0) {
				/* Invalid UTF-8: U+FFFD, as Go's encoder. */
				rep = "\\ufffd";
				replen = 6;
				len = 1;
			} else if (len == 3 && c == 0xe2 && p[i + 1] == 0x80 &&
			    (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
				rep = p[i + 2] == 0xa8 ? "\\u2028" : "\\u2029";
				replen = 6;
			} else {
				i += len;
				continue;
			}
			buf_put(b, s + start, i - start);
			buf_put(b, rep, replen);
			i += len;
			start = i;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\' && c != '<' &&
		    c != '>' && c != '&') {
			i++;
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
		i++;
		start = i;
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
