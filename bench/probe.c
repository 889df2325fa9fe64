/* probe.c: the ceiling probe of bench/run: the least a FastCGI app can do. */
/*
 * Not part of the daemon: bench/run builds it with
 *   gcc -O2 -g -o probe probe.c -lfcgi -lpq
 * and runs it as
 *   probe SOCKET NPROC STATIC_FILE MULTI_FILE
 * It binds the unix socket SOCKET (mode 0666), forks NPROC processes that
 * accept on it (as the daemon's prefork workers do) and answers by path:
 *
 *   .../static   the bytes of STATIC_FILE (no database)
 *   .../multi    reads the request body and answers the bytes of
 *                MULTI_FILE (no database): the same bytes in and out as
 *                a multi-get, and no work
 *   .../select   one prepared "SELECT data FROM versions WHERE
 *                version_id = $1", the key cycling over the loaded rows;
 *                answers the row's data
 *   .../insert   reads the request body and runs one prepared INSERT of it
 *                into bench_probe (autocommit, the server's default
 *                synchronous_commit); answers the body back
 *
 * Each process holds one libpq connection (libpq defaults and PG*
 * variables).  SIGTERM stops the pool.  Errors answer 500, so wrk counts
 * them.  Nothing else: no logging, no routing table, no JSON parsing.
 */
#include <errno.h>
#include <fcgiapp.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROBE_MAX_BODY	(1024 * 1024)

static const char	*const hdr_ok =
    "Status: 200 OK\r\nContent-Type: application/json\r\n\r\n";
static const char	*const hdr_err =
    "Status: 500 Internal Server Error\r\n"
    "Content-Type: application/json\r\n\r\n{\"code\":500}\n";

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*p;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		return NULL;
	if ((p = malloc((size_t)n + 1)) == NULL ||
	    fread(p, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(p);
		return NULL;
	}
	fclose(f);
	p[n] = '\0';
	*len = (size_t)n;
	return p;
}

static PGconn *
connect_db(long *lo, long *hi)
{
	PGconn		*c = PQconnectdb("");
	PGresult	*r;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "probe: %s", PQerrorMessage(c));
		exit(1);
	}
	r = PQexec(c, "SELECT coalesce(min(version_id), 1), "
	    "coalesce(max(version_id), 1) FROM versions");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "probe: %s", PQerrorMessage(c));
		exit(1);
	}
	*lo = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	*hi = strtol(PQgetvalue(r, 0, 1), NULL, 10);
	PQclear(r);
	r = PQprepare(c, "sel",
	    "SELECT data FROM versions WHERE version_id = $1", 1, NULL);
	PQclear(r);
	r = PQprepare(c, "ins", "INSERT INTO bench_probe (k, created_at, data)"
	    " VALUES (gen_random_uuid(), now(), $1)", 1, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "probe: %s", PQerrorMessage(c));
		exit(1);
	}
	PQclear(r);
	return c;
}

/* Reads the request body into `body' (NUL-terminated); its length or -1. */
static int
read_body(FCGX_Request *fr, char *body)
{
	const char	*cl;
	int		 len;

	cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
	len = cl != NULL ? (int)strtol(cl, NULL, 10) : 0;
	if (len <= 0 || len > PROBE_MAX_BODY ||
	    FCGX_GetStr(body, len, fr->in) != len)
		return -1;
	body[len] = '\0';
	return len;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t	 n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static void
serve(int fd, const char *fixed, size_t fixed_len, const char *multi,
    size_t multi_len)
{
	FCGX_Request	 fr;
	PGconn		*db;
	PGresult	*r;
	const char	*uri, *param[1];
	char		*body, key[32];
	long		 lo, hi, next;
	int		 n;

	db = connect_db(&lo, &hi);
	next = lo + getpid() % (hi - lo + 1);
	if ((body = malloc(PROBE_MAX_BODY + 1)) == NULL)
		exit(1);
	FCGX_InitRequest(&fr, fd, FCGI_FAIL_ACCEPT_ON_INTR);
	while (!stop && FCGX_Accept_r(&fr) >= 0) {
		uri = FCGX_GetParam("DOCUMENT_URI", fr.envp);
		if (uri == NULL)
			uri = "";
		if (ends_with(uri, "/static")) {
			FCGX_PutS(hdr_ok, fr.out);
			FCGX_PutStr(fixed, (int)fixed_len, fr.out);
		} else if (ends_with(uri, "/multi")) {
			if (read_body(&fr, body) < 0)
				FCGX_PutS(hdr_err, fr.out);
			else {
				FCGX_PutS(hdr_ok, fr.out);
				FCGX_PutStr(multi, (int)multi_len, fr.out);
			}
		} else if (ends_with(uri, "/select")) {
			snprintf(key, sizeof(key), "%ld", next);
			next = next >= hi ? lo : next + 1;
			param[0] = key;
			r = PQexecPrepared(db, "sel", 1, param, NULL, NULL, 0);
			if (PQresultStatus(r) == PGRES_TUPLES_OK &&
			    PQntuples(r) == 1) {
				FCGX_PutS(hdr_ok, fr.out);
				FCGX_PutStr(PQgetvalue(r, 0, 0),
				    PQgetlength(r, 0, 0), fr.out);
				FCGX_PutS("\n", fr.out);
			} else
				FCGX_PutS(hdr_err, fr.out);
			PQclear(r);
		} else if (ends_with(uri, "/insert")) {
			if ((n = read_body(&fr, body)) < 0) {
				FCGX_PutS(hdr_err, fr.out);
				FCGX_Finish_r(&fr);
				continue;
			}
			param[0] = body;
			r = PQexecPrepared(db, "ins", 1, param, NULL, NULL, 0);
			if (PQresultStatus(r) == PGRES_COMMAND_OK) {
				FCGX_PutS(hdr_ok, fr.out);
				FCGX_PutStr(body, n, fr.out);
			} else
				FCGX_PutS(hdr_err, fr.out);
			PQclear(r);
		} else
			FCGX_PutS(hdr_err, fr.out);
		FCGX_Finish_r(&fr);
	}
	PQfinish(db);
	free(body);
	exit(0);
}

int
main(int argc, char **argv)
{
	struct sigaction	 sa;
	char			*fixed, *multi;
	size_t			 fixed_len, multi_len;
	int			 fd, i, nproc;
	pid_t			*kids;

	if (argc != 5 || (nproc = (int)strtol(argv[2], NULL, 10)) < 1) {
		fprintf(stderr, "usage: probe SOCKET NPROC STATIC_FILE "
		    "MULTI_FILE\n");
		return 2;
	}
	for (i = 3; i <= 4; i++)
		if (access(argv[i], R_OK) != 0) {
			fprintf(stderr, "probe: %s: %s\n", argv[i],
			    strerror(errno));
			return 1;
		}
	if ((fixed = slurp(argv[3], &fixed_len)) == NULL ||
	    (multi = slurp(argv[4], &multi_len)) == NULL) {
		fprintf(stderr, "probe: cannot read the answer files\n");
		return 1;
	}
	unlink(argv[1]);
	if (FCGX_Init() != 0 || (fd = FCGX_OpenSocket(argv[1], 128)) < 0) {
		fprintf(stderr, "probe: cannot listen on %s\n", argv[1]);
		return 1;
	}
	chmod(argv[1], 0666);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((kids = calloc((size_t)nproc, sizeof(*kids))) == NULL)
		return 1;
	for (i = 0; i < nproc; i++) {
		if ((kids[i] = fork()) == 0)
			serve(fd, fixed, fixed_len, multi, multi_len);
		if (kids[i] < 0) {
			perror("probe: fork");
			stop = 1;
			break;
		}
	}
	/* A process that dies (no database, say) stops the whole probe. */
	while (!stop)
		if (wait(NULL) > 0) {
			fprintf(stderr, "probe: a process exited\n");
			stop = 1;
		}
	for (i = 0; i < nproc; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	unlink(argv[1]);
	return 0;
}
