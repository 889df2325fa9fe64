#!/usr/bin/env bash
# tests/e2e/clusters.sh: cluster check-ins, cluster queries and doctor
# reports end to end, through nginx over TLS with the real daemon and a
# throw-away PostgreSQL.
#
# An automake test (TESTS).  Everything lives under one mktemp directory
# (tests/lib/harness.sh): the v2.18.0 agent's check-in payload
# (clients.md 2.1.3), the v2.0.0-rc1 agent's "//v2/clusters//<uuid>" path,
# the cluster queries, a 1 MiB doctor report and its authenticated read.
# Exit 77 (skip) when PostgreSQL, nginx, curl, jq, openssl or ss are
# missing, unless REQUIRE_PG=1 (then 99).
set -euo pipefail

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir

# shellcheck source=tests/lib/harness.sh
. "$top_srcdir/tests/lib/harness.sh"

h_require nginx curl jq openssl ss psql awk cmp || exit $?

h_init e2e-clusters test

DOCTOR_USER=support
DOCTOR_PASS='e2e doctor pass:1'

# ------------------------------------------------------------ start
pg_start "$T/pg" wfm
tls_make "$T/tls"
SOCK=$T/fcgi.sock
CONF=$T/wfm.conf
wfm_write_conf "$CONF" "$SOCK" "$T"
{
	echo "doctor_user = $DOCTOR_USER"
	echo "doctor_password = sha256:$(printf %s "$DOCTOR_PASS" | sha256sum | cut -d' ' -f1)"
} >>"$CONF"
wfm_start "$T/wfm" "$CONF"
PORT=$(free_port)
nginx_start "$T/nginx" "$PORT" "$SOCK" "$T/tls"
echo "# daemon pid $WFM_PID, nginx on https://localhost:$PORT/"

# jqr FILTER: jq -r over the last response body; empty when not JSON.
jqr() {
	printf '%s' "$H_BODY" | jq -r "$1" 2>/dev/null || true
}

TIME_MS='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$'

# ------------------------------------------------------------ v2.18 check-in
# The check-in of a default Workflow v2.18.0 install (workflow-manager
# v2.5.1), byte for byte as the agent sends it: compact JSON, keys in
# struct order, one line and a newline.
C218=6f2c1d0e-4b3a-4e8f-9a1b-2c3d4e5f6a7b
comp() {	# name type image version
	printf '{"component":{"name":"%s","type":"%s"},"version":{"data":{"image":"quay.io/deis/%s:%s"},"version":"%s"}}' \
	    "$1" "$2" "$3" "$4" "$4"
}
{
	printf '{"components":['
	comp deis-builder Deployment builder v2.12.0; printf ','
	comp deis-controller Deployment controller v2.18.0; printf ','
	comp deis-database Deployment postgres v2.5.6; printf ','
	comp deis-logger Deployment logger v2.4.5; printf ','
	comp deis-logger-redis Deployment redis v2.2.7; printf ','
	comp deis-minio Deployment minio v2.3.6; printf ','
	comp deis-monitor-grafana Deployment grafana v2.10.1; printf ','
	comp deis-monitor-influxdb Deployment influxdb v2.10.1; printf ','
	comp deis-nsqd Deployment nsq v2.2.8; printf ','
	comp deis-registry Deployment registry v2.4.2; printf ','
	comp deis-router Deployment router v2.13.3; printf ','
	comp deis-workflow-manager Deployment workflow-manager v2.5.1; printf ','
	comp deis-logger-fluentd 'Daemon Set' fluentd v2.12.0; printf ','
	comp deis-monitor-telegraf 'Daemon Set' telegraf v2.10.1; printf ','
	comp deis-registry-proxy 'Daemon Set' registry-proxy v1.3.0
	printf '],"id":"%s"}\n' "$C218"
} >"$T/checkin-v218.json"
echo "# v2.18.0 check-in payload: $(wc -c <"$T/checkin-v218.json") bytes"

h_http POST /v3/clusters -H 'Content-Type: application/json' \
    -H 'Accept: application/json' -A 'Go-http-client/1.1' \
    --data-binary "@$T/checkin-v218.json"
t_is "$H_STATUS" 200 "v2.18.0 check-in: 200"
t_like "$(h_header Content-Type)" '^application/json' "check-in answer is application/json"
t_like "$(h_header X-Request-Id)" '^[0-9a-f]{32}$' "check-in answer has X-Request-Id"
t_is "$(jqr .id)" "$C218" "check-in answer: the id"
t_is "$(jqr '.components | length')" 15 "check-in answer: 15 components"
t_is "$(jqr '.components[14].component.type')" "Daemon Set" "check-in answer: component type kept"
t_is "$(jqr '.components[1].version.data.image')" "quay.io/deis/controller:v2.18.0" \
    "check-in answer: version.data.image kept"
t_like "$(jqr .firstSeen)" "$TIME_MS" "firstSeen is YYYY-MM-DDTHH:MM:SS.mmmZ"
t_is "$(jqr .lastSeen)" "$(jqr .firstSeen)" "first check-in: lastSeen equals firstSeen"
first_seen=$(jqr .firstSeen)
# The server's clock: within a minute of ours.
now=$(date -u +%s)
seen=$(date -u -d "$first_seen" +%s 2>/dev/null || echo 0)
t_ok "firstSeen is the server's time (now $now, firstSeen $seen)" \
    test $((now - seen)) -le 60 -a $((seen - now)) -le 60

sleep 1
h_http POST /v3/clusters -H 'Content-Type: application/json' \
    --data-binary "@$T/checkin-v218.json"
t_is "$H_STATUS" 200 "second check-in: 200"
t_is "$(jqr .firstSeen)" "$first_seen" "second check-in: firstSeen unchanged"
t_ok "second check-in: lastSeen later than firstSeen" \
    test "$(jqr .lastSeen)" \> "$first_seen"
t_is "$(psql -X -Atc "SELECT count(*) FROM clusters_checkins WHERE cluster_id = '$C218'")" 2 \
    "two check-in rows recorded"

# ------------------------------------------------------------ rc1 path
C_RC1=0d3e0a52-6f4c-4c1b-9e64-5c2f7f1b8a3e
h_http POST "//v2/clusters//$C_RC1" -H 'Content-Type: application/json' \
    --data-binary "{\"id\":\"$C_RC1\",\"components\":[{\"component\":{\"name\":\"deis-builder\"},\"version\":{\"train\":\"\",\"version\":\"\",\"data\":null}},{\"component\":{\"name\":\"deis-controller\"},\"version\":{\"train\":\"\",\"version\":\"\",\"data\":null}}]}"
t_is "$H_STATUS" 200 "rc1 check-in on //v2/clusters//<uuid>: 200"
t_is "$(jqr .id)" "$C_RC1" "rc1 check-in: the id"
t_is "$(jqr '.components | tojson')" \
    '[{"component":{"name":"deis-builder"},"version":{}},{"component":{"name":"deis-controller"},"version":{}}]' \
    "rc1 check-in: components as the model keeps them"

h_http POST /v3/clusters -H 'Content-Type: application/json' --data-binary '{"id":"testcluster"}'
t_is "$H_STATUS" 422 "non-UUID id: 422"
t_is "$(jqr .message)" 'id in body must be a UUID: "testcluster"' "non-UUID id: message"

# ------------------------------------------------------------ queries
h_http GET "/v3/clusters/$(echo "$C218" | tr a-f A-F)"
t_is "$H_STATUS" 200 "GET /v3/clusters/<UPPER-CASE uuid>: 200"
t_is "$(jqr .id)" "$C218" "GET cluster: canonical id"
t_is "$(jqr .firstSeen)" "$first_seen" "GET cluster: firstSeen"
h_http GET /v3/clusters/ffffffff-0000-0000-0000-000000000000
t_is "$H_STATUS" 404 "unknown cluster: 404"
t_is "$H_BODY" '{"code":404,"message":"404 cluster not found"}' "unknown cluster: message"

h_http GET /v3/clusters/count
t_is "$H_STATUS" 200 "count: 200"
t_is "$H_BODY" 2 "count: 2 clusters"

h_http GET '/v3/clusters/age?checked_in_after=1h'
t_is "$H_STATUS" 200 "age, checked_in_after=1h: 200"
t_is "$(jqr '[.data[].id] | sort | join(",")')" "$C_RC1,$C218" "age: both clusters"
t_is "$(jqr '.data[0].id')" "$C218" "age: first check-in first"

h_http GET '/v3/clusters/age?checked_in_after=1h&limit=1'
t_is "$(jqr '.data | length')" 1 "age, limit=1: one cluster"
cursor=$(jqr '.next_cursor // empty')
t_like "$cursor" '^[A-Za-z0-9_-]+$' "age, limit=1: a next_cursor"
h_http GET "/v3/clusters/age?checked_in_after=1h&limit=1&cursor=$cursor"
t_is "$(jqr '.data[0].id')" "$C_RC1" "age, next page: the second cluster"
t_is "$(jqr 'has("next_cursor")')" false "age, last page: no next_cursor"

h_http GET '/v3/clusters/age?created_before=2031-01-01T00:00:00Z&checked_in_before=2030-01-01T00:00:00Z'
t_is "$H_STATUS" 400 "impossible age filter: 400"
t_is "$(jqr .message)" \
    'impossible filter for keys/times (created_before (2031-01-01 00:00:00 +0000 UTC), checked_in_before (2030-01-01 00:00:00 +0000 UTC)): checked_in_before needs to be greater than or equal to created_before' \
    "impossible age filter: the original's text"

after=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
before=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
h_http GET "/v3/clusters/checkins?created_after=$after&created_before=$before"
t_is "$H_STATUS" 200 "checkins: 200"
t_is "$(jqr .count)" 2 "checkins: count 2"
t_is "$(jqr '[.data[] | select(.clusterID == "'"$C218"'") | .checkins][0]')" 2 \
    "checkins: the v2.18 cluster checked in twice"
t_like "$(jqr '.data[0].lastCheckin')" '^-' "checkins: lastCheckin is a negative interval"
h_http GET "/v3/clusters/checkins?created_after=$after"
t_is "$H_STATUS" 422 "checkins without created_before: 422"
t_is "$(jqr .message)" "created_before in query is required" "checkins: the message"
h_http GET "/v3/clusters/persistent?epoch=$after&timestamp=$before"
t_is "$H_STATUS" 200 "persistent: 200"
t_is "$(jqr .count)" 1 "persistent: the cluster with two check-ins"
t_is "$(jqr '.data[0] | has("lastCheckin")')" false "persistent: no lastCheckin"

# ------------------------------------------------------------ doctor
# A 1 MiB report in the model's own key order (so the answer is the same
# bytes plus a newline), with pretty-printed and numeric free-form data.
REPORT=$(cat /proc/sys/kernel/random/uuid)
awk -v id="$C218" 'BEGIN {
	printf "{\"namespaces\":[{\"daemonSets\":null,\"deployments\":[],\"events\":["
	for (i = 0; i < 200; i++)
		printf "%s{\"data\":{\"metadata\":{\"name\":\"ev-%d\"},\"count\":%d,\"ratio\":1.50}}", (i ? "," : ""), i, i
	printf "],\"name\":\"deis\",\"pods\":["
	for (i = 0; i < 300; i++)
		printf "%s{\"data\":{\"metadata\":{\"name\":\"deis-router-%d\",\"uid\":\"%08x\"},\n  \"spec\": {\"containers\": [{\"image\": \"quay.io/deis/router:v2.13.3\"}]}}}", (i ? "," : ""), i, i
	printf "],\"replicaSets\":null,\"replicationControllers\":null,\"services\":null}],\"nodes\":["
	n = 0
	for (len = 0; len < 1000000; n++) {
		s = sprintf("%s{\"data\":{\"metadata\":{\"name\":\"node-%d\"},\"status\":{\"capacity\":{\"cpu\":\"4\",\"memory\":\"16Gi\"},\"images\":[{\"names\":[\"quay.io/deis/controller:v2.18.0\",\"quay.io/deis/builder:v2.12.0\"],\"sizeBytes\":123456789012345678901}]}}}", (n ? "," : ""), n)
		printf "%s", s
		len += length(s)
	}
	printf "],\"workflow\":{\"components\":[{\"component\":{\"name\":\"deis-builder\",\"type\":\"Deployment\"},\"version\":{\"version\":\"v2.12.0\"}}],\"id\":\"%s\"}}", id
}' >"$T/report.json"
size=$(wc -c <"$T/report.json")
echo "# doctor report: $size bytes"
t_ok "the report is over 1 MiB ($size bytes)" test "$size" -gt 1048576

h_http POST "/v3/doctor/$REPORT" -H 'Content-Type: application/json' \
    --data-binary "@$T/report.json"
t_is "$H_STATUS" 200 "POST a 1 MiB doctor report: 200"
t_is "$H_BODY" "" "doctor POST: empty body"

h_http GET "/v3/doctor/$REPORT"
t_is "$H_STATUS" 401 "doctor GET without credentials: 401"
t_is "$(h_header WWW-Authenticate)" 'Basic realm="workflow-manager-api"' \
    "doctor 401 carries WWW-Authenticate: Basic"
t_is "$H_BODY" '{"code":401,"message":"unauthenticated for invalid credentials"}' \
    "doctor 401: message"
h_http GET "/v3/doctor/$REPORT" -u "$DOCTOR_USER:wrong"
t_is "$H_STATUS" 401 "doctor GET with a wrong password: 401"

curl -sS --max-time 30 --cacert "$HARNESS_CA" -u "$DOCTOR_USER:$DOCTOR_PASS" \
    -o "$T/report.out" -w '%{http_code}' \
    "https://localhost:$PORT/v3/doctor/$REPORT" >"$T/report.code" 2>"$T/report.err" || true
t_is "$(cat "$T/report.code")" 200 "doctor GET with the credentials: 200"
printf '\n' >>"$T/report.json"
t_ok "doctor GET: the report byte for byte (and a newline)" \
    cmp -s "$T/report.json" "$T/report.out"
t_is "$(jq -r '.workflow.id' "$T/report.out" 2>/dev/null)" "$C218" "doctor GET: workflow.id"

h_http GET "/v3/doctor/$(cat /proc/sys/kernel/random/uuid)" -u "$DOCTOR_USER:$DOCTOR_PASS"
t_is "$H_STATUS" 404 "unknown doctor report: 404"

# Over nginx's 4 MiB: 413 as JSON, before the daemon sees it.
head -c 4300000 /dev/zero | tr '\0' ' ' >"$T/big.json"
h_http POST "/v3/doctor/$REPORT" -H 'Content-Type: application/json' \
    --data-binary "@$T/big.json"
t_is "$H_STATUS" 413 "a 4.3 MB doctor report: 413"
t_is "$(jqr .code)" 413 "the 413 is JSON"

t_done
