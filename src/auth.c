/* auth.c: publisher bearer tokens, checked against their hashes. */
#include "config.h"

#include <fnmatch.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "conf.h"
#include "crypto.h"
#include "json.h"

int
auth_bearer(const char *h, const char **token, size_t *len)
{
	const char	*p, *end;

	*token = NULL;
	*len = 0;
	if (h == NULL || strncasecmp(h, "Bearer", 6) != 0 ||
	    (h[6] != ' ' && h[6] != '\t'))
		return -1;
	for (p = h + 6; *p == ' ' || *p == '\t'; p++)
		;
	for (end = p; *end != '\0' && *end != ' ' && *end != '\t'; end++)
		if ((unsigned char)*end < 0x20 || *end == 0x7f)
			return -1;
	if (end == p)
		return -1;
	for (const char *q = end; *q != '\0'; q++)
		if (*q != ' ' && *q != '\t')
			return -1;
	*token = p;
	*len = (size_t)(end - p);
	return 0;
}

bool
auth_scope_ok(const struct publish_token *t, const char *component,
    const char *train)
{
	bool	 comp = t->components == NULL, tr = t->trains == NULL;

	for (size_t i = 0; i < t->ncomponents && !comp; i++)
		comp = fnmatch(t->components[i], component, 0) == 0;
	for (size_t i = 0; i < t->ntrains && !tr; i++)
		tr = strcmp(t->trains[i], train) == 0;
	return comp && tr;
}

/* Can `s' be quoted in a message (short, UTF-8, no control character)? */
static bool
printable(const char *s)
{
	size_t	 n = strlen(s);

	if (n > 64 || !json_valid_utf8(s, n))
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

int
auth_publish(const struct config *cfg, const char *authorization,
    const char *component, const char *train, struct api_error *err)
{
	uint8_t		 h[SHA256_LEN];
	const char	*token;
	size_t		 len;
	unsigned	 known = 0, allowed = 0;

	if (!cfg->publish_auth)
		return 0;
	if (cfg->npublish_tokens == 0)
		return apierr_set(err, APIERR_FORBIDDEN, "publishing is "
		    "disabled because no publisher token is configured; "
		    "the operator must add a publish_token line to the "
		    "configuration, see workflow-manager-api.conf(5)");
	if (auth_bearer(authorization, &token, &len) == -1) {
		apierr_header(err, "WWW-Authenticate", "Bearer");
		return apierr_set(err, APIERR_UNAUTHORIZED, "a valid "
		    "publisher token is required: Authorization: Bearer "
		    "<token>");
	}
	sha256(token, len, h);
	/* Every configured hash is compared, whatever matched before. */
	for (size_t i = 0; i < cfg->npublish_tokens; i++) {
		const struct publish_token *t = &cfg->publish_tokens[i];
		unsigned	 eq, in;

		eq = ct_equal(h, t->hash, sizeof(h)) ? 1 : 0;
		in = auth_scope_ok(t, component, train) ? 1 : 0;
		known |= eq;
		allowed |= eq & in;
	}
	explicit_bzero(h, sizeof(h));
	if (!known) {
		apierr_header(err, "WWW-Authenticate", "Bearer");
		return apierr_set(err, APIERR_UNAUTHORIZED, "a valid "
		    "publisher token is required: Authorization: Bearer "
		    "<token>");
	}
	if (!allowed) {
		if (printable(component) && printable(train))
			return apierr_set(err, APIERR_FORBIDDEN, "this "
			    "publisher token may not publish component "
			    "\"%s\" on train \"%s\"", component, train);
		return apierr_set(err, APIERR_FORBIDDEN, "this publisher "
		    "token may not publish this component on this train");
	}
	return 0;
}
