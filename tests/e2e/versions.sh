#!/usr/bin/env bash
# tests/e2e/versions.sh: the release catalogue end to end, through nginx
# over TLS with the real daemon and a throw-away PostgreSQL.
#
# An automake test (TESTS).  Publishes the real Deis Workflow release
# history (deis-component-releases.csv: every component tag with its date)
# the way a CI publisher does, with a bearer token: components deis-<repo>,
# train stable (the pre-2.0 tags v2.0.0-beta1 ... v2.0.0-rc2 go to train
# beta, as they were at the time).  Then reads it back the way the real
# clients do: the workflow-manager agent of a v2.18 cluster (its
# POST /v3/versions/latest body, exactly as it sends it) and the Workflow
# chart build (curl | jq .version.version of .../latest).  Every expected
# value is computed from the CSV here, not written down.
#
# The CSV is read from $top_srcdir/../shared/data when present, else from
# the committed copy in tests/data.  Exit 77 (skip) when PostgreSQL,
# nginx, curl, jq, openssl or ss are missing, unless REQUIRE_PG=1 (99).
set -euo pipefail

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir

# shellcheck source=tests/lib/harness.sh
. "$top_srcdir/tests/lib/harness.sh"

h_require nginx curl jq openssl ss pgrep psql sha256sum || exit $?

CSV=$top_srcdir/../shared/data/deis-component-releases.csv
[ -r "$CSV" ] || CSV=$top_srcdir/tests/data/deis-component-releases.csv
if [ ! -r "$CSV" ]; then
	h_note "no deis-component-releases.csv"
	exit 99
fi

h_init e2e-versions test

# ------------------------------------------------------------ start
pg_start "$T/pg" wfm
tls_make "$T/tls"
SOCK=$T/fcgi.sock
CONF=$T/wfm.conf
wfm_write_conf "$CONF" "$SOCK" "$T"
# Publisher tokens, configured by their SHA-256 only (docs/api.md 8.1).
TOKEN=$(openssl rand -hex 32)
SCOPED=$(openssl rand -hex 32)
{
	echo "publish_token = sha256:$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)"
	echo "publish_token = sha256:$(printf %s "$SCOPED" | sha256sum | cut -d' ' -f1) components=deis-router trains=stable"
} >>"$CONF"
wfm_start "$T/wfm" "$CONF"
PORT=$(free_port)
nginx_start "$T/nginx" "$PORT" "$SOCK" "$T/tls"
WFM_LOG=$T/wfm/wfm.log
API=https://localhost:$PORT
echo "# daemon pid $WFM_PID, nginx on $API/, releases from $CSV"

# ------------------------------------------------------------ the history
# train_of VERSION: beta for the pre-2.0 tags, stable for the rest.
train_of() {
	case $1 in
	v2.0.0-*) echo beta ;;
	*) echo stable ;;
	esac
}

# The rows as "repo version date train", without the header.
tail -n +2 "$CSV" | tr -d '\r' | while IFS=, read -r repo version date; do
	printf '%s %s %s %s\n' "$repo" "$version" "$date" "$(train_of "$version")"
done >"$T/releases"
total=$(wc -l <"$T/releases")
t_ok "the release history has rows ($total)" test "$total" -gt 300

# semver_max: the highest of the versions on stdin by semantic-version
# precedence (sort -V with '-' as '~', so that a pre-release sorts below
# its release, as in semver 2.0.0 for these tags).
semver_max() {
	sed 's/-/~/' | sort -V | tail -n 1 | sed 's/~/-/'
}

# expected REPO TRAIN: the latest release of deis-REPO on TRAIN according
# to the history: the newest date, a tie broken by semantic version.
# Empty when the component has none on that train.
expected() {
	local newest
	newest=$(awk -v r="$1" -v t="$2" '$1 == r && $4 == t { print $3 }' \
	    "$T/releases" | sort | tail -n 1)
	[ -n "$newest" ] || return 0
	awk -v r="$1" -v t="$2" -v d="$newest" \
	    '$1 == r && $4 == t && $3 == d { print $2 }' "$T/releases" | semver_max
}

# ------------------------------------------------------------ publish
# One POST per component release, as the publishing job does, with the
# image as release notes.  Kept in history order.
published=0
failed=
while read -r repo version date train; do
	body=$(jq -cn --arg released "$date" --arg image "quay.io/deis/$repo:$version" \
	    '{version: {released: $released, data: {image: $image}}}')
	code=$(curl -sS --max-time 30 --cacert "$HARNESS_CA" -o "$T/pub.out" -w '%{http_code}' \
	    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	    --data-binary "$body" "$API/v3/versions/$train/deis-$repo/$version") || code=000
	if [ "$code" = 200 ]; then
		published=$((published + 1))
	elif [ -z "$failed" ]; then
		failed="deis-$repo $version: $code $(cat "$T/pub.out")"
	fi
done <"$T/releases"
t_is "$published" "$total" "every release of the history is published (200)"
[ -z "$failed" ] || t_fail "first failed publish" "$failed"
t_is "$(psql -X -Atc 'SELECT count(*) FROM versions')" "$total" \
    "one row per release in the database"
t_is "$(psql -X -Atc "SELECT count(*) FROM versions WHERE train = 'beta'")" \
    "$(awk '$4 == "beta"' "$T/releases" | wc -l | tr -d ' ')" \
    "the pre-2.0 tags are on train beta"

# The stored release, as the publisher gets it back.
row=$(awk '$1 == "controller" && $2 == "v2.0.0" { print $3 }' "$T/releases")
h_http GET /v3/versions/stable/deis-controller/v2.0.0
t_is "$H_STATUS" 200 "GET one release is 200"
t_is "$H_BODY" "{\"component\":{\"name\":\"deis-controller\"},\"version\":{\"data\":{\"image\":\"quay.io/deis/controller:v2.0.0\"},\"released\":\"$row\",\"train\":\"stable\",\"version\":\"v2.0.0\"}}" \
    "the release in the original's JSON (field order, released as ...Z)"
t_like "$(h_header Content-Type)" '^application/json' "releases are application/json"

# ------------------------------------------------------------ CI reads
# The Workflow chart build: curl -sf .../stable/deis-<repo>/latest | jq.
want=$(expected controller stable)
t_is "$want" v2.18.0 "the history's latest controller is v2.18.0 (a tie with v2.17.3, broken by semver)"
got=$(curl -sf --cacert "$HARNESS_CA" "$API/v3/versions/stable/deis-controller/latest" |
    jq '.version.version')
t_is "$got" "\"$want\"" "CI read: .../stable/deis-controller/latest | jq .version.version"

bad=
nrepos=0
while read -r repo; do
	want=$(expected "$repo" stable)
	got=$(curl -sf --cacert "$HARNESS_CA" "$API/v3/versions/stable/deis-$repo/latest" |
	    jq -r '.version.version') || got="(curl failed)"
	if [ "$got" != "$want" ]; then
		bad="$bad deis-$repo: got $got, want $want;"
	fi
	nrepos=$((nrepos + 1))
done < <(awk '$4 == "stable" { print $1 }' "$T/releases" | sort -u)
t_is "$bad" "" "CI read: the latest of each of the $nrepos deis-<repo> on stable is the history's"

# The chart build fails on any non-2xx: a component never published is 404.
h_http GET /v3/versions/stable/deis-grafana/latest
t_is "$H_STATUS" 404 "an unpublished component is 404"
t_is "$H_BODY" '{"code":404,"message":"404 release not found"}' \
    "the 404 has the original's text"

# Every release of a component, oldest first.
got=$(curl -sf --cacert "$HARNESS_CA" "$API/v3/versions/stable/deis-router" |
    jq -r '.data[].version.version' | tr '\n' ' ')
want=$(awk '$1 == "router" && $4 == "stable" { print $3, $2 }' "$T/releases" |
    sort -s -k1,1 | cut -d' ' -f2 | tr '\n' ' ')
t_is "$got" "$want" "GET /v3/versions/stable/deis-router lists the history oldest first"

# ------------------------------------------------------------ agent reads
# The workflow-manager agent of a default v2.18.0 install (clients.md R1):
# the 15 Kubernetes object names it runs, train stable, compact JSON and a
# newline, as the Go client sends it.
names="deis-builder deis-controller deis-database deis-logger deis-logger-redis
deis-minio deis-monitor-grafana deis-monitor-influxdb deis-nsqd deis-registry
deis-router deis-workflow-manager deis-logger-fluentd deis-monitor-telegraf
deis-registry-proxy"
# shellcheck disable=SC2086 # one argument per name
jq -cn '{data: [$ARGS.positional[] | {component: {name: .}, version: {train: "stable"}}]}' \
    --args $names >"$T/r1.json"
t_is "$(jq '.data | length' "$T/r1.json")" 15 "the R1 body has the 15 components of a v2.18 install"
want=
found=0
for n in $names; do
	v=$(expected "${n#deis-}" stable)
	if [ -n "$v" ]; then
		want="$want$n=$v "
		found=$((found + 1))
	fi
done
t_ok "R1: $found of the 15 names are deis-<repo> names of the history" test "$found" -ge 8
h_http POST /v3/versions/latest -H 'Content-Type: application/json' \
    -H 'Accept: application/json' -A 'Go-http-client/1.1' --data-binary "@$T/r1.json"
t_is "$H_STATUS" 200 "R1: POST /v3/versions/latest is 200"
t_like "$(h_header Content-Type)" '^application/json' "R1: application/json"
got=$(printf '%s' "$H_BODY" | jq -r '.data[] | "\(.component.name)=\(.version.version)"' | tr '\n' ' ')
t_is "$got" "$want" "R1: the newest version of each published component, in request order"
echo "# R1 answer: $got"
# well_formed JSON: every element has a non-empty component.name and
# version.version (the agent panics on a null element or one without
# component, and counts an empty version as "not found").
well_formed() {
	printf '%s' "$1" | jq -e '.data | all(type == "object"
	    and (.component.name | type == "string" and length > 0)
	    and (.version.version | type == "string" and length > 0))' >/dev/null
}
t_ok "R1: every element has component.name and version.version, none is null" \
    well_formed "$H_BODY"
t_is "$(printf '%s' "$H_BODY" | jq -r '[.data[].version.train] | unique | join(",")')" stable \
    "R1: every answer is on the train asked for"

# The beta-era agents: /v2, train "" means beta.
want=$(expected builder beta)
h_http POST /v2/versions/latest -H 'Content-Type: application/json' \
    --data-binary '{"data":[{"component":{"description":"","name":"deis-builder"},"version":{"train":""}}]}'
t_is "$H_STATUS" 200 "v2 multi-get is 200"
t_is "$(printf '%s' "$H_BODY" | jq -r '.data[0].version.version')" "$want" \
    "v2 multi-get: train \"\" answers from beta ($want)"

# ------------------------------------------------------------ publishing rules
h_http POST /v3/versions/stable/deis-router/v9.9.9 -H 'Content-Type: application/json' \
    --data-binary '{"version":{"released":"2030-01-01T00:00:00Z"}}'
t_is "$H_STATUS" 401 "publishing without a token is 401"
t_is "$(h_header WWW-Authenticate)" Bearer "the 401 carries WWW-Authenticate: Bearer"
h_http POST /v3/versions/stable/deis-builder/v9.9.9 -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $SCOPED" --data-binary '{"version":{"released":"2030-01-01T00:00:00Z"}}'
t_is "$H_STATUS" 403 "a token limited to deis-router may not publish deis-builder"
h_http POST /v3/versions/stable/deis-router/v2.13.3 -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $SCOPED" \
    --data-binary '{"version":{"released":"2017-08-22T16:20:00Z","data":{"description":"re-published"}}}'
t_is "$H_STATUS" 200 "re-publishing an existing release is 200 (upsert)"
t_is "$(printf '%s' "$H_BODY" | jq -r '.version.data.description')" re-published \
    "the re-published release carries the new notes"
h_http POST /v3/versions/stable/deis-router/v2.13.4 -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $TOKEN" --data-binary '{"version":{}}'
t_is "$H_STATUS" 422 "a release without version.released is 422"
t_is "$H_BODY" '{"code":422,"message":"version.released in body is required"}' \
    "the 422 names the field"
t_is "$(psql -X -Atc 'SELECT count(*) FROM versions')" "$total" \
    "refused and re-published releases added no row"
if grep -q -e "$TOKEN" -e "$SCOPED" "$WFM_LOG" "$T"/nginx/logs/*.log 2>/dev/null; then
	t_fail "no token in the logs"
else
	t_pass "no token in the logs"
fi

t_done
