/* fuzz_config.c: libFuzzer target for the configuration file reader. */
#include "config.h"

#include <sys/mman.h>
#include <unistd.h>

#include "conf.h"
#include "fuzz.h"

static int	 memfd = -1;
static char	 path[64];
static FILE	*devnull;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* The original's variables would change what a file means. */
	static const char *const vars[] = { "DBUSER", "DBPASS", "DBURL",
	    "DBNAME", "DOCTOR_AUTH_USER", "DOCTOR_AUTH_PASS" };
	char	 name[64];

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		snprintf(name, sizeof(name), "WORKFLOW_MANAGER_API_%s",
		    vars[i]);
		unsetenv(name);
		unsetenv(vars[i]);
	}
	if ((memfd = memfd_create("fuzz-config", 0)) == -1)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	if ((devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	return 0;
}

/*
 * The input is a whole configuration file, read by config_load() (the
 * line splitter, quoting, comments, every key's parser, the cross-key
 * checks).  Then each line goes to config_set() alone, "key=value".  A
 * file that loads must hold values within each key's bounds.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	*c;
	const uint8_t	*p = data;
	size_t		 rest = size, len;
	char		 msg[256];

	if (ftruncate(memfd, 0) == -1 || pwrite(memfd, data, size, 0) !=
	    (ssize_t)size)
		abort();
	c = config_load(path, false, NULL, devnull);
	if (c != NULL) {
		FUZZ_CHECK(c->workers >= 1 && c->workers <= 1024);
		FUZZ_CHECK(c->max_body >= 1024);
		FUZZ_CHECK(c->json_max_depth >= 4 &&
		    c->json_max_depth <= 1000);
		FUZZ_CHECK(c->socket_mode <= 0777);
		FUZZ_CHECK(strncmp(c->listen, "unix:/", 6) == 0 ||
		    strchr(c->listen, ':') != NULL);
		for (size_t i = 0; i < c->npublish_tokens; i++) {
			for (size_t k = 0; k < c->publish_tokens[i].ncomponents;
			    k++)
				FUZZ_CHECK(c->publish_tokens[i].components[k][0]
				    != '\0');
			for (size_t k = 0; k < c->publish_tokens[i].ntrains;
			    k++)
				FUZZ_CHECK(c->publish_tokens[i].trains[k][0] !=
				    '\0');
		}
		config_free(c);
	}

	c = config_defaults();
	while (rest > 0) {
		char	*line, *eq;

		p = fuzz_split(p, rest, '\n', &line, &len, &rest);
		if ((eq = strchr(line, '=')) != NULL) {
			*eq = '\0';
			msg[0] = '\0';
			if (config_set(c, line, eq + 1, msg, sizeof(msg)) ==
			    -1)
				FUZZ_CHECK(msg[0] != '\0');
		}
		free(line);
	}
	config_free(c);
	return 0;
}
