/* conf.c: the configuration file, flags and environment, validated once. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "conf.h"
#include "crypto.h"
#include "xalloc.h"

#ifndef WFM_PKGDATADIR
#define WFM_PKGDATADIR "/usr/share/workflow-manager-api"
#endif

enum conf_type {
	CT_STRING = 0,
	CT_UINT,
	CT_ULONG,
	CT_SIZE,
	CT_BOOL,
	CT_MODE,
	CT_LOG,
	CT_LEVEL,
	CT_TOKEN,
	CT_SECRET,
	CT__MAX
};

struct conf_key {
	const char	*name;
	enum conf_type	 type;
	size_t		 off;
	unsigned long	 min, max;
};

#define K(n, t, f, lo, hi) { n, t, offsetof(struct config, f), lo, hi }

static const struct conf_key keys[] = {
	K("listen", CT_STRING, listen, 0, 0),
	K("socket_owner", CT_STRING, socket_owner, 0, 0),
	K("socket_mode", CT_MODE, socket_mode, 0, 0777),
	K("user", CT_STRING, user, 0, 0),
	K("group", CT_STRING, group, 0, 0),
	K("workers", CT_UINT, workers, 1, 1024),
	K("max_requests", CT_ULONG, max_requests, 0, 1000000000UL),
	K("shutdown_timeout", CT_UINT, shutdown_timeout, 1, 3600),
	K("respawn_burst", CT_UINT, respawn_burst, 1, 10000),
	K("respawn_interval", CT_UINT, respawn_interval, 1, 3600),
	K("database", CT_SECRET, database, 0, 0),
	K("read_database", CT_SECRET, read_database, 0, 0),
	K("statement_timeout", CT_UINT, statement_timeout, 100, 600000),
	K("connect_timeout", CT_UINT, connect_timeout, 1, 60),
	K("retry_after", CT_UINT, retry_after, 1, 3600),
	K("migrations_dir", CT_STRING, migrations_dir, 0, 0),
	K("migrate_on_start", CT_BOOL, migrate_on_start, 0, 0),
	K("max_body", CT_SIZE, max_body, 1024, 64UL << 20),
	K("doctor_max_body", CT_SIZE, doctor_max_body, 1024, 256UL << 20),
	K("max_latest_pairs", CT_UINT, max_latest_pairs, 1, 100000),
	K("json_max_depth", CT_UINT, json_max_depth, 4, 1000),
	K("json_max_elements", CT_UINT, json_max_elements, 16, 100000000),
	K("max_path", CT_SIZE, max_path, 64, 65536),
	K("publish_auth", CT_BOOL, publish_auth, 0, 0),
	K("publish_token", CT_TOKEN, publish_tokens, 0, 0),
	K("doctor_user", CT_STRING, doctor_user, 0, 0),
	K("doctor_password", CT_SECRET, doctor_password, 0, 0),
	K("log", CT_LOG, log_target, 0, 0),
	K("log_level", CT_LEVEL, log_level, 0, 0),
	K("access_log", CT_BOOL, access_log, 0, 0),
	K("metrics", CT_BOOL, metrics, 0, 0),
	K("openapi_file", CT_STRING, openapi_file, 0, 0),
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const char *const log_targets[LOG_TARGET__MAX] = {
	[LOG_TARGET_STDERR] = "stderr",
	[LOG_TARGET_SYSLOG] = "syslog",
};

static const char *const log_levels[LOGL__MAX] = {
	[LOGL_ERR] = "err",
	[LOGL_WARN] = "warn",
	[LOGL_INFO] = "info",
	[LOGL_DEBUG] = "debug",
};

struct config *
config_defaults(void)
{
	struct config	*c;

	c = xcalloc(1, sizeof(*c));
	c->listen = xstrdup("unix:/run/workflow-manager-api/fcgi.sock");
	c->socket_owner = xstrdup("");
	c->socket_mode = 0660;
	c->user = xstrdup("workflow-manager-api");
	c->group = xstrdup("");
	c->workers = 4;
	c->max_requests = 10000;
	c->shutdown_timeout = 10;
	c->respawn_burst = 10;
	c->respawn_interval = 10;
	c->database = xstrdup("");
	c->read_database = xstrdup("");
	c->statement_timeout = 5000;
	c->connect_timeout = 3;
	c->retry_after = 5;
	c->migrations_dir = xstrdup(WFM_PKGDATADIR "/migrations");
	c->migrate_on_start = true;
	c->max_body = 1024 * 1024;
	c->doctor_max_body = 4 * 1024 * 1024;
	c->max_latest_pairs = 256;
	c->json_max_depth = 64;
	c->json_max_elements = 100000;
	c->max_path = 2048;
	c->publish_auth = true;
	c->doctor_user = xstrdup("");
	c->doctor_password = xstrdup("");
	c->log_target = LOG_TARGET_STDERR;
	c->log_level = LOGL_INFO;
	c->access_log = true;
	c->metrics = true;
	c->openapi_file = xstrdup(WFM_PKGDATADIR "/openapi.json");
	return c;
}

static void
free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
config_free(struct config *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < NKEYS; i++) {
		if (keys[i].type == CT_STRING || keys[i].type == CT_SECRET) {
			char	**p = (char **)((char *)c + keys[i].off);

			if (keys[i].type == CT_SECRET && *p != NULL)
				explicit_bzero(*p, strlen(*p));
			free(*p);
		}
	}
	for (size_t i = 0; i < c->npublish_tokens; i++) {
		free_strv(c->publish_tokens[i].components,
		    c->publish_tokens[i].ncomponents);
		free_strv(c->publish_tokens[i].trains,
		    c->publish_tokens[i].ntrains);
	}
	free(c->publish_tokens);
	free(c->path);
	free(c);
}

static int
parse_ulong(const char *v, unsigned long min, unsigned long max,
    unsigned long *out, int base)
{
	char		*end;
	unsigned long	 n;

	if (*v == '\0' || *v == '-' || *v == '+' || isspace((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtoul(v, &end, base);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

static int
parse_size(const char *v, unsigned long min, unsigned long max,
    unsigned long *out)
{
	char		 num[32];
	size_t		 len = strlen(v);
	unsigned long	 mult = 1, n;

	if (len == 0 || len >= sizeof(num))
		return -1;
	memcpy(num, v, len + 1);
	switch (num[len - 1]) {
	case 'k': case 'K':
		mult = 1024;
		break;
	case 'm': case 'M':
		mult = 1024 * 1024;
		break;
	default:
		break;
	}
	if (mult != 1)
		num[len - 1] = '\0';
	if (parse_ulong(num, 0, ULONG_MAX / mult, &n, 10) == -1)
		return -1;
	n *= mult;
	if (n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

static int
parse_bool(const char *v, bool *out)
{
	if (strcasecmp(v, "on") == 0 || strcasecmp(v, "yes") == 0 ||
	    strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0)
		*out = true;
	else if (strcasecmp(v, "off") == 0 || strcasecmp(v, "no") == 0 ||
	    strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0)
		*out = false;
	else
		return -1;
	return 0;
}

/* Splits "a,b,c" into a vector; empty items are an error. */
static int
split_list(const char *v, char ***out, size_t *n)
{
	const char	*p = v, *comma;
	char		**vec = NULL;
	size_t		 cnt = 0;

	for (;;) {
		size_t	 len;

		comma = strchr(p, ',');
		len = comma == NULL ? strlen(p) : (size_t)(comma - p);
		if (len == 0) {
			free_strv(vec, cnt);
			return -1;
		}
		vec = xrealloc(vec, (cnt + 1) * sizeof(*vec));
		vec[cnt++] = xstrndup(p, len);
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	*out = vec;
	*n = cnt;
	return 0;
}

static int
parse_token(struct config *c, const char *v, char *msg, size_t msgsz)
{
	struct publish_token	 t;
	char			*copy, *word, *save = NULL;
	int			 rc = -1;
	bool			 first = true;

	memset(&t, 0, sizeof(t));
	copy = xstrdup(v);
	for (word = strtok_r(copy, " \t", &save); word != NULL;
	    word = strtok_r(NULL, " \t", &save)) {
		if (first) {
			first = false;
			if (strncmp(word, "sha256:", 7) != 0 ||
			    hex_decode(word + 7, strlen(word + 7), t.hash,
			    sizeof(t.hash)) == -1) {
				snprintf(msg, msgsz, "publish_token must start "
				    "with sha256:<64 hex digits> (the SHA-256 "
				    "of the token, never the token itself)");
				goto out;
			}
		} else if (strncmp(word, "components=", 11) == 0 &&
		    t.components == NULL) {
			if (split_list(word + 11, &t.components,
			    &t.ncomponents) == -1) {
				snprintf(msg, msgsz, "publish_token: empty "
				    "pattern in components=");
				goto out;
			}
		} else if (strncmp(word, "trains=", 7) == 0 &&
		    t.trains == NULL) {
			if (split_list(word + 7, &t.trains, &t.ntrains) ==
			    -1) {
				snprintf(msg, msgsz, "publish_token: empty "
				    "train in trains=");
				goto out;
			}
		} else {
			snprintf(msg, msgsz, "publish_token: unrecognized "
			    "option \"%.40s\" (components=... or trains=...)",
			    word);
			goto out;
		}
	}
	if (first) {
		snprintf(msg, msgsz, "publish_token needs a value");
		goto out;
	}
	c->publish_tokens = xrealloc(c->publish_tokens,
	    (c->npublish_tokens + 1) * sizeof(*c->publish_tokens));
	c->publish_tokens[c->npublish_tokens++] = t;
	memset(&t, 0, sizeof(t));
	rc = 0;
out:
	free_strv(t.components, t.ncomponents);
	free_strv(t.trains, t.ntrains);
	free(copy);
	return rc;
}

int
config_set(struct config *c, const char *key, const char *value, char *msg,
    size_t msgsz)
{
	const struct conf_key	*k = NULL;
	void			*field;
	unsigned long		 n;
	bool			 b;

	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, key) == 0) {
			k = &keys[i];
			break;
		}
	if (k == NULL) {
		snprintf(msg, msgsz, "unrecognized key \"%.64s\"", key);
		return -1;
	}
	field = (char *)c + k->off;
	switch (k->type) {
	case CT_STRING:
	case CT_SECRET:
		free(*(char **)field);
		*(char **)field = xstrdup(value);
		return 0;
	case CT_UINT:
	case CT_ULONG:
		if (parse_ulong(value, k->min, k->max, &n, 10) == -1) {
			snprintf(msg, msgsz, "%s must be a whole number from "
			    "%lu to %lu, not \"%.40s\"", key, k->min, k->max,
			    value);
			return -1;
		}
		if (k->type == CT_UINT)
			*(unsigned *)field = (unsigned)n;
		else
			*(unsigned long *)field = n;
		return 0;
	case CT_SIZE:
		if (parse_size(value, k->min, k->max, &n) == -1) {
			snprintf(msg, msgsz, "%s must be a size in bytes from "
			    "%lu to %lu (suffix k or M allowed), not "
			    "\"%.40s\"", key, k->min, k->max, value);
			return -1;
		}
		*(size_t *)field = n;
		return 0;
	case CT_MODE:
		if (parse_ulong(value, 0, 0777, &n, 8) == -1) {
			snprintf(msg, msgsz, "%s must be an octal mode such "
			    "as 0660, not \"%.40s\"", key, value);
			return -1;
		}
		*(unsigned *)field = (unsigned)n;
		return 0;
	case CT_BOOL:
		if (parse_bool(value, &b) == -1) {
			snprintf(msg, msgsz, "%s must be on or off, not "
			    "\"%.40s\"", key, value);
			return -1;
		}
		*(bool *)field = b;
		return 0;
	case CT_LOG:
		for (int i = 0; i < LOG_TARGET__MAX; i++)
			if (strcmp(value, log_targets[i]) == 0) {
				*(enum log_target *)field = (enum log_target)i;
				return 0;
			}
		snprintf(msg, msgsz, "log must be stderr or syslog, not "
		    "\"%.40s\"", value);
		return -1;
	case CT_LEVEL:
		for (int i = 0; i < LOGL__MAX; i++)
			if (strcmp(value, log_levels[i]) == 0) {
				*(enum log_level *)field = (enum log_level)i;
				return 0;
			}
		snprintf(msg, msgsz, "log_level must be err, warn, info or "
		    "debug, not \"%.40s\"", value);
		return -1;
	case CT_TOKEN:
		return parse_token(c, value, msg, msgsz);
	default:
		break;
	}
	snprintf(msg, msgsz, "internal error for key %s", key);
	return -1;
}

/* "key = value" with optional double quotes; 1 = blank/comment. */
static int
split_line(char *line, char **key, char **value, char *msg, size_t msgsz)
{
	char	*p = line, *eq, *end;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0' || *p == '#')
		return 1;
	if ((eq = strchr(p, '=')) == NULL) {
		snprintf(msg, msgsz, "expected \"key = value\"");
		return -1;
	}
	end = eq;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	*key = p;
	if (**key == '\0') {
		snprintf(msg, msgsz, "missing key before '='");
		return -1;
	}
	for (char *k = *key; *k != '\0'; k++)
		if (!(islower((unsigned char)*k) || isdigit((unsigned char)*k) ||
		    *k == '_')) {
			snprintf(msg, msgsz, "invalid key \"%.40s\"", *key);
			return -1;
		}
	p = eq + 1;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '"') {
		char	*w = ++p;

		/* Quoted: \" and \\ escapes, nothing but a comment after. */
		*value = w;
		for (; *p != '\0' && *p != '"'; p++) {
			if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
				p++;
			*w++ = *p;
		}
		if (*p != '"') {
			snprintf(msg, msgsz, "unterminated quoted value");
			return -1;
		}
		*w = '\0';
		p++;
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '\0' && *p != '#') {
			snprintf(msg, msgsz, "text after the quoted value");
			return -1;
		}
		return 0;
	}
	*value = p;
	/* An unquoted value ends at " #" (a comment) or the line end. */
	for (end = p; *end != '\0'; end++)
		if (*end == '#' && end > p && isspace((unsigned char)end[-1]))
			break;
	*end = '\0';
	while (end > p && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return 0;
}

static void __attribute__((format(printf, 4, 5)))
report(FILE *errf, const char *path, unsigned line, const char *fmt, ...)
{
	va_list	 ap;

	if (errf == NULL)
		return;
	if (line > 0)
		fprintf(errf, "%s:%u: ", path, line);
	else
		fprintf(errf, "%s: ", path);
	va_start(ap, fmt);
	vfprintf(errf, fmt, ap);
	va_end(ap);
	fputc('\n', errf);
}

/* The original's variable, prefixed first, then bare. */
static const char *
oldenv(const char *name)
{
	char		 full[64];
	const char	*v;

	snprintf(full, sizeof(full), "WORKFLOW_MANAGER_API_%s", name);
	if ((v = getenv(full)) != NULL)
		return v;
	return getenv(name);
}

/* Appends key='value' to a conninfo, quoting as libpq wants. */
static void
conninfo_add(char **ci, const char *key, const char *value, size_t len)
{
	size_t	 old = strlen(*ci), need = old + strlen(key) + 2 * len + 6;
	char	*p;

	*ci = xrealloc(*ci, need);
	p = *ci + old;
	if (old > 0)
		*p++ = ' ';
	memcpy(p, key, strlen(key));
	p += strlen(key);
	*p++ = '=';
	*p++ = '\'';
	for (size_t i = 0; i < len; i++) {
		if (value[i] == '\'' || value[i] == '\\')
			*p++ = '\\';
		*p++ = value[i];
	}
	*p++ = '\'';
	*p = '\0';
}

/* The original's DB* variables to a conninfo string (caller owns). */
static char *
conninfo_from_env(void)
{
	const char	*user = oldenv("DBUSER"), *pass = oldenv("DBPASS");
	const char	*url = oldenv("DBURL"), *name = oldenv("DBNAME");
	char		*ci;

	if (user == NULL && pass == NULL && url == NULL && name == NULL)
		return NULL;
	ci = xstrdup("");
	if (url != NULL && *url != '\0') {
		const char	*colon = strrchr(url, ':');

		if (colon != NULL && strchr(colon, ']') == NULL) {
			size_t	hl = (size_t)(colon - url);

			if (hl > 1 && url[0] == '[' && url[hl - 1] == ']')
				conninfo_add(&ci, "host", url + 1, hl - 2);
			else if (hl > 0)
				conninfo_add(&ci, "host", url, hl);
			if (colon[1] != '\0')
				conninfo_add(&ci, "port", colon + 1,
				    strlen(colon + 1));
		} else
			conninfo_add(&ci, "host", url, strlen(url));
	}
	if (name != NULL && *name != '\0')
		conninfo_add(&ci, "dbname", name, strlen(name));
	if (user != NULL && *user != '\0')
		conninfo_add(&ci, "user", user, strlen(user));
	if (pass != NULL && *pass != '\0')
		conninfo_add(&ci, "password", pass, strlen(pass));
	return ci;
}

static bool
valid_listen(const char *l)
{
	const char	*colon;

	if (strncmp(l, "unix:", 5) == 0)
		return l[5] == '/' && strlen(l + 5) < 100;
	colon = strrchr(l, ':');
	if (colon == NULL || colon == l || colon[1] == '\0')
		return false;
	for (const char *p = colon + 1; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

struct config *
config_load(const char *path, bool optional, const struct config_overrides *ov,
    FILE *errf)
{
	struct config	*c;
	FILE		*f;
	char		*line = NULL, *key, *value, msg[256];
	size_t		 cap = 0;
	ssize_t		 len;
	unsigned	 lineno = 0, errors = 0;
	bool		 seen_db = false, seen_duser = false, seen_dpass = false;
	const char	*v;
	char		*ci;

	c = config_defaults();
	c->path = xstrdup(path);
	if ((f = fopen(path, "r")) == NULL) {
		if (!(optional && errno == ENOENT)) {
			report(errf, path, 0, "cannot open: %s",
			    strerror(errno));
			errors++;
		}
	} else {
		while ((len = getline(&line, &cap, f)) != -1) {
			lineno++;
			if (len > 0 && line[len - 1] == '\n')
				line[--len] = '\0';
			if (memchr(line, '\0', (size_t)len) != NULL) {
				report(errf, path, lineno, "NUL byte in line");
				errors++;
				continue;
			}
			switch (split_line(line, &key, &value, msg,
			    sizeof(msg))) {
			case 1:
				continue;
			case -1:
				report(errf, path, lineno, "%s", msg);
				errors++;
				continue;
			default:
				break;
			}
			if (config_set(c, key, value, msg, sizeof(msg)) == -1) {
				report(errf, path, lineno, "%s", msg);
				errors++;
				continue;
			}
			if (strcmp(key, "database") == 0)
				seen_db = true;
			else if (strcmp(key, "doctor_user") == 0)
				seen_duser = true;
			else if (strcmp(key, "doctor_password") == 0)
				seen_dpass = true;
		}
		if (ferror(f)) {
			report(errf, path, 0, "read error: %s",
			    strerror(errno));
			errors++;
		}
		free(line);
		fclose(f);
	}

	/* The original service's environment fills what the file left. */
	if (!seen_db && (ci = conninfo_from_env()) != NULL) {
		free(c->database);
		c->database = ci;
	}
	if (!seen_duser && (v = oldenv("DOCTOR_AUTH_USER")) != NULL) {
		free(c->doctor_user);
		c->doctor_user = xstrdup(v);
	}
	if (!seen_dpass && (v = oldenv("DOCTOR_AUTH_PASS")) != NULL) {
		free(c->doctor_password);
		c->doctor_password = xstrdup(v);
	}

	if (ov != NULL) {
		if (ov->listen != NULL) {
			free(c->listen);
			c->listen = xstrdup(ov->listen);
		}
		if (ov->database != NULL) {
			free(c->database);
			c->database = xstrdup(ov->database);
		}
		if (ov->workers > 0)
			c->workers = ov->workers;
		if (ov->log_target >= 0)
			c->log_target = (enum log_target)ov->log_target;
		if (ov->log_level >= 0)
			c->log_level = (enum log_level)ov->log_level;
	}

	/*
	 * A conninfo libpq cannot parse: say so without libpq's message,
	 * which quotes pieces of the string (and so of its password).
	 */
	for (int i = 0; i < 2; i++) {
		const char	*conn = i == 0 ? c->database : c->read_database;
		PQconninfoOption *opts;
		char		*pqerr = NULL;

		if (conn[0] == '\0')
			continue;
		if ((opts = PQconninfoParse(conn, &pqerr)) == NULL) {
			report(errf, path, 0, "%s is not a valid libpq "
			    "connection string or URI (quote values that "
			    "contain spaces: password='a b')",
			    i == 0 ? "database" : "read_database");
			errors++;
		}
		PQconninfoFree(opts);
		PQfreemem(pqerr);
	}
	if (!valid_listen(c->listen)) {
		report(errf, path, 0, "listen must be unix:/absolute/path "
		    "(under 100 bytes) or HOST:PORT, not \"%s\"", c->listen);
		errors++;
	}
	if (strncmp(c->doctor_password, "sha256:", 7) == 0) {
		uint8_t	 h[SHA256_LEN];

		if (hex_decode(c->doctor_password + 7,
		    strlen(c->doctor_password + 7), h, sizeof(h)) == -1) {
			report(errf, path, 0, "doctor_password: sha256: must "
			    "be followed by 64 hex digits");
			errors++;
		}
	}
	if (c->doctor_password[0] != '\0' && c->doctor_user[0] == '\0') {
		report(errf, path, 0, "doctor_password is set but "
		    "doctor_user is empty");
		errors++;
	}
	if (errors > 0) {
		config_free(c);
		return NULL;
	}
	return c;
}
