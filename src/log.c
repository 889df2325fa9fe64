/* log.c: error and access logging to stderr (journald) or syslog. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"

static enum log_target	 target = LOG_TARGET_STDERR;
static enum log_level	 level = LOGL_INFO;
static char		 reqid[64];

static const int syslog_prio[LOGL__MAX] = {
	[LOGL_ERR] = LOG_ERR,
	[LOGL_WARN] = LOG_WARNING,
	[LOGL_INFO] = LOG_INFO,
	[LOGL_DEBUG] = LOG_DEBUG,
};

/* sd-daemon(3) prefixes, so journald keeps the priority from stderr. */
static const char *const stderr_prefix[LOGL__MAX] = {
	[LOGL_ERR] = "<3>",
	[LOGL_WARN] = "<4>",
	[LOGL_INFO] = "<6>",
	[LOGL_DEBUG] = "<7>",
};

static const char *const level_name[LOGL__MAX] = {
	[LOGL_ERR] = "error",
	[LOGL_WARN] = "warning",
	[LOGL_INFO] = "info",
	[LOGL_DEBUG] = "debug",
};

void
log_open(enum log_target t, enum log_level l, const char *ident)
{
	if (target == LOG_TARGET_SYSLOG)
		closelog();
	target = t;
	level = l;
	if (target == LOG_TARGET_SYSLOG)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_close(void)
{
	if (target == LOG_TARGET_SYSLOG)
		closelog();
	target = LOG_TARGET_STDERR;
}

void
log_set_request_id(const char *id)
{
	snprintf(reqid, sizeof(reqid), "%s", id == NULL ? "" : id);
}

/* One write(2) per line, so lines of several workers never interleave. */
static void __attribute__((format(printf, 1, 2)))
emit(const char *fmt, ...)
{
	char	 line[4096];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	while (write(STDERR_FILENO, line, (size_t)n) == -1 && errno == EINTR)
		;
}

/* Keeps a logged value on one line and free of control characters. */
static void
sanitize(char *dst, size_t size, const char *src)
{
	size_t	 i = 0;

	for (; *src != '\0' && i + 4 < size; src++) {
		unsigned char c = (unsigned char)*src;

		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
			snprintf(dst + i, size - i, "%%%02X", c);
			i += 3;
		} else
			dst[i++] = (char)c;
	}
	dst[i] = '\0';
}

static void __attribute__((format(printf, 2, 0)))
vlog(enum log_level l, const char *fmt, va_list ap)
{
	char	 raw[2048], msg[2048];
	int	 saved = errno;

	if (l > level)
		return;
	/*
	 * Messages quote request data (paths, values): no control byte may
	 * forge a line of its own.
	 */
	vsnprintf(raw, sizeof(raw), fmt, ap);
	for (size_t i = 0, j = 0; ; i++) {
		unsigned char c = (unsigned char)raw[i];

		if (c == '\0' || j + 4 >= sizeof(msg)) {
			msg[j] = '\0';
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			snprintf(msg + j, sizeof(msg) - j, "%%%02X", c);
			j += 3;
		} else
			msg[j++] = (char)c;
	}
	if (target == LOG_TARGET_SYSLOG) {
		if (reqid[0] != '\0')
			syslog(syslog_prio[l], "%s: request_id=%s %s",
			    level_name[l], reqid, msg);
		else
			syslog(syslog_prio[l], "%s: %s", level_name[l], msg);
	} else {
		if (reqid[0] != '\0')
			emit("%s%s: [%d] request_id=%s %s\n",
			    stderr_prefix[l], level_name[l], (int)getpid(),
			    reqid, msg);
		else
			emit("%s%s: [%d] %s\n", stderr_prefix[l],
			    level_name[l], (int)getpid(), msg);
	}
	errno = saved;
}

void
log_err(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOGL_ERR, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOGL_WARN, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOGL_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOGL_DEBUG, fmt, ap);
	va_end(ap);
}

void
log_access(const char *request_id, const char *method, const char *path,
    int status, double duration_ms, unsigned long long bytes_out)
{
	char	 p[512], m[32];
	int	 saved = errno;

	sanitize(p, sizeof(p), path == NULL ? "-" : path);
	sanitize(m, sizeof(m), method == NULL ? "-" : method);
	if (target == LOG_TARGET_SYSLOG)
		syslog(LOG_INFO, "access: request_id=%s method=%s "
		    "path=\"%s\" status=%d duration_ms=%.3f bytes=%llu",
		    request_id, m, p, status, duration_ms, bytes_out);
	else
		emit("<6>access: [%d] request_id=%s method=%s "
		    "path=\"%s\" status=%d duration_ms=%.3f bytes=%llu\n",
		    (int)getpid(), request_id, m, p, status, duration_ms,
		    bytes_out);
	errno = saved;
}
