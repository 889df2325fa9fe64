/* main.c: command line, configuration check, migrate, and the server start. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "conf.h"
#include "crypto.h"
#include "log.h"
#include "migrate.h"
#include "supervisor.h"
#include "xalloc.h"

static void __attribute__((noreturn))
usage(int status)
{
	FILE	*f = status == 0 ? stdout : stderr;

	fprintf(f,
"usage: workflow-manager-api [-tvV] [-c file] [-l listen] [-d database]\n"
"                            [-w workers] [-L stderr|syslog] [command]\n"
"\n"
"  -c file      configuration file (default %s)\n"
"  -t           check the configuration and exit\n"
"  -l listen    FastCGI socket: unix:PATH or HOST:PORT\n"
"  -d database  libpq connection string or URI\n"
"  -w workers   number of worker processes\n"
"  -L target    log to stderr or syslog\n"
"  -v           log debug messages\n"
"  -V           print the version and exit\n"
"\n"
"commands:\n"
"  serve        run the service (the default)\n"
"  migrate      apply database migrations and exit\n"
"  hash-token   read a publisher token on standard input and print the\n"
"               publish_token value for it\n",
	    CONFIG_DEFAULT_PATH);
	exit(status);
}

static int
cmd_migrate(const struct config *cfg)
{
	const char	*kw[] = { "dbname", "application_name", NULL };
	const char	*val[] = { cfg->database,
	    "workflow-manager-api migrate", NULL };
	PGconn		*conn;
	int		 n;
	long long	 v;

	conn = PQconnectdbParams(kw, val, 1);
	if (PQstatus(conn) != CONNECTION_OK) {
		log_err("cannot connect to the database: %s",
		    PQerrorMessage(conn));
		PQfinish(conn);
		return 1;
	}
	n = migrate_run(conn, cfg->migrations_dir);
	v = migrate_current(conn);
	PQfinish(conn);
	if (n < 0)
		return 1;
	printf("%d migration%s applied; schema version %lld\n", n,
	    n == 1 ? "" : "s", v);
	return 0;
}

static int
cmd_hash_token(void)
{
	char	*line = NULL, hex[2 * SHA256_LEN + 1];
	size_t	 cap = 0;
	ssize_t	 n;
	uint8_t	 h[SHA256_LEN];

	if ((n = getline(&line, &cap, stdin)) <= 0) {
		fprintf(stderr, "hash-token: no token on standard input\n");
		free(line);
		return 1;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (n < 16) {
		fprintf(stderr, "hash-token: a token must have at least 16 "
		    "characters (try: openssl rand -hex 32)\n");
		explicit_bzero(line, cap);
		free(line);
		return 1;
	}
	sha256(line, (size_t)n, h);
	explicit_bzero(line, cap);
	free(line);
	hex_encode(h, sizeof(h), hex);
	printf("sha256:%s\n", hex);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct config_overrides	 ov;
	struct config		*cfg;
	const char		*path = CONFIG_DEFAULT_PATH, *cmd = "serve";
	bool			 path_given = false, test_only = false;
	char			*end;
	unsigned long		 n;
	int			 ch, fd;

	memset(&ov, 0, sizeof(ov));
	ov.log_target = -1;
	ov.log_level = -1;
	xalloc_cjson_hooks();
	log_open(LOG_TARGET_STDERR, LOGL_INFO, "workflow-manager-api");

	while ((ch = getopt(argc, argv, "c:d:hl:L:tvVw:")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			path_given = true;
			break;
		case 'd':
			ov.database = optarg;
			break;
		case 'l':
			ov.listen = optarg;
			break;
		case 'L':
			if (strcmp(optarg, "stderr") == 0)
				ov.log_target = LOG_TARGET_STDERR;
			else if (strcmp(optarg, "syslog") == 0)
				ov.log_target = LOG_TARGET_SYSLOG;
			else
				usage(1);
			break;
		case 't':
			test_only = true;
			break;
		case 'v':
			ov.log_level = LOGL_DEBUG;
			break;
		case 'V':
			printf("workflow-manager-api %s\n", PACKAGE_VERSION);
			return 0;
		case 'w':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || n < 1 || n > 1024) {
				fprintf(stderr, "-w: workers must be 1 to "
				    "1024\n");
				return 1;
			}
			ov.workers = (unsigned)n;
			break;
		case 'h':
			usage(0);
		default:
			usage(1);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage(1);
	if (argc == 1)
		cmd = argv[0];
	if (strcmp(cmd, "hash-token") == 0)
		return cmd_hash_token();
	if (strcmp(cmd, "serve") != 0 && strcmp(cmd, "migrate") != 0)
		usage(1);

	cfg = config_load(path, !path_given, &ov, stderr);
	if (cfg == NULL) {
		fprintf(stderr, "%s: configuration has errors\n", path);
		return 1;
	}
	if (test_only) {
		printf("%s: configuration ok\n", path);
		config_free(cfg);
		return 0;
	}
	log_open(cfg->log_target, cfg->log_level, "workflow-manager-api");
	if (strcmp(cmd, "migrate") == 0) {
		int	 rc = cmd_migrate(cfg);

		config_free(cfg);
		return rc;
	}
	if ((fd = supervisor_listen(cfg)) == -1 ||
	    supervisor_drop_privileges(cfg) == -1) {
		config_free(cfg);
		return 1;
	}
	return supervisor_run(cfg, fd, path, &ov);
}
