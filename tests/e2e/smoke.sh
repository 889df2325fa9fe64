#!/usr/bin/env bash
# tests/e2e/smoke.sh: end to end through nginx over TLS with the real
# daemon and a throw-away PostgreSQL.
#
# An automake test (TESTS).  Everything lives under one mktemp directory:
# PostgreSQL on a Unix socket, a local CA and a localhost certificate,
# the daemon on $T/fcgi.sock (2 workers) and nginx (the production site
# file, rendered for a free loopback port).  Every request is
# `curl --cacert $T/tls/ca.pem https://localhost:PORT/...' (the
# certificate is verified).  Exit 77 (skip) when PostgreSQL, nginx, curl,
# jq, openssl or ss are missing, unless REQUIRE_PG=1 (then 99).
set -euo pipefail

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir

# shellcheck source=tests/lib/harness.sh
. "$top_srcdir/tests/lib/harness.sh"

h_require nginx curl jq openssl ss pgrep psql || exit $?

h_init e2e test

# ------------------------------------------------------------ start
pg_start "$T/pg" wfm
tls_make "$T/tls"
SOCK=$T/fcgi.sock
CONF=$T/wfm.conf
wfm_write_conf "$CONF" "$SOCK" "$T"
wfm_start "$T/wfm" "$CONF"
PORT=$(free_port)
nginx_start "$T/nginx" "$PORT" "$SOCK" "$T/tls"
WFM_LOG=$T/wfm/wfm.log
echo "# daemon pid $WFM_PID, nginx on https://localhost:$PORT/"

# is_json TEXT: true when TEXT is one JSON value.
is_json() {
	printf '%s' "$1" | jq -e . >/dev/null 2>&1
}

# ------------------------------------------------------------ basics
t_is "$(psql -X -Atc "SELECT to_regclass('schema_migrations') IS NOT NULL")" t \
    "migrate_on_start applied the migrations"

h_http GET /ping
t_is "$H_STATUS" 200 "GET /ping is 200"
t_is "$H_BODY" "" "GET /ping has an empty body"
t_like "$(h_header Strict-Transport-Security)" '^max-age=63072000' \
    "responses carry HSTS"

h_http GET /healthz
t_is "$H_STATUS" 200 "GET /healthz is 200"
t_like "$(h_header Content-Type)" '^application/json' "/healthz is application/json"
t_is "$(printf '%s' "$H_BODY" | jq -r '.database.reachable' 2>/dev/null)" true \
    "/healthz says database.reachable true"

h_http GET /swagger.json
t_is "$H_STATUS" 200 "GET /swagger.json is 200"
t_is "$(printf '%s' "$H_BODY" | jq -c 'has("openapi")' 2>/dev/null)" true \
    "/swagger.json is JSON with an \"openapi\" member"

# Request id: nginx's $request_id reaches the client and the daemon's log.
h_http GET /ping
rid=$(h_header X-Request-Id)
t_like "$rid" '^[0-9a-f]{32}$' "X-Request-Id is nginx's 32-hex request id"
t_is "$(tr -d '\r' <"$H_HDRS" | grep -ci '^x-request-id:')" 1 \
    "exactly one X-Request-Id header"
if [ -n "$rid" ] && wait_for 5 grep -q "request_id=$rid" "$WFM_LOG"; then
	t_pass "the daemon's access log line has the same request id"
else
	t_fail "the daemon's access log line has the same request id" \
	    "no 'request_id=$rid' in $WFM_LOG"
fi

# Errors: JSON from the daemon.
h_http GET /nope
t_is "$H_STATUS" 404 "GET /nope is 404"
t_like "$(h_header Content-Type)" '^application/json' "404 is application/json"
t_is "$(printf '%s' "$H_BODY" | jq -cS . 2>/dev/null)" \
    '{"code":404,"message":"path /nope was not found"}' "404 body"
t_like "$(h_header X-Request-Id)" '^[0-9a-f]{32}$' "errors carry X-Request-Id"

h_http DELETE /ping
t_is "$H_STATUS" 405 "DELETE /ping is 405"
t_like "$(h_header Allow)" 'GET' "405 has an Allow header naming GET"
t_is "$(printf '%s' "$H_BODY" | jq -r .code 2>/dev/null)" 405 "405 body is JSON with code 405"

h_http GET //ping
t_is "$H_STATUS" 200 "GET //ping (merged slashes) is 200"

# An error nginx makes itself: a body over the limit, JSON too.
head -c 1100000 /dev/zero | tr '\0' 'a' >"$T/big.json"
h_http POST /v3/clusters -H 'Content-Type: application/json' --data-binary "@$T/big.json"
t_is "$H_STATUS" 413 "a 1.1 MB check-in is 413"
t_is "$(printf '%s' "$H_BODY" | jq -r .code 2>/dev/null)" 413 "nginx's 413 is JSON"

# ------------------------------------------------------------ worker crash
pgrep -P "$WFM_PID" | sort >"$T/workers.before" || true
t_is "$(wc -l <"$T/workers.before" | tr -d ' ')" 2 "the supervisor has 2 workers"
victim=$(head -n 1 "$T/workers.before")
if [ -n "$victim" ]; then
	kill -KILL "$victim"
	new_worker() {
		pgrep -P "$WFM_PID" | sort >"$T/workers.after" || true
		[ "$(wc -l <"$T/workers.after")" -eq 2 ] &&
		    ! grep -qx "$victim" "$T/workers.after" &&
		    [ -n "$(comm -13 "$T/workers.before" "$T/workers.after")" ]
	}
	if wait_for 10 new_worker; then
		t_pass "a killed worker is replaced ($(comm -13 "$T/workers.before" "$T/workers.after" | tr '\n' ' '))"
	else
		t_fail "a killed worker is replaced" "workers: $(tr '\n' ' ' <"$T/workers.after")"
	fi
else
	t_fail "a killed worker is replaced" "no worker to kill"
fi
ok=0
for i in $(seq 1 20); do
	h_http GET /ping
	[ "$H_STATUS" = 200 ] && ok=$((ok + 1))
	: "$i"
done
t_is "$ok" 20 "20 requests in a row after the crash all succeed"

# ------------------------------------------------------------ database down
pg_stop "$T/pg"
bad=
for i in 1 2 3 4; do
	h_http GET /healthz
	if [ "$H_STATUS" != 503 ] || [ -z "$(h_header Retry-After)" ] ||
	    ! is_json "$H_BODY"; then
		bad="request $i: status $H_STATUS, Retry-After '$(h_header Retry-After)', body '$H_BODY'"
		break
	fi
done
if [ -z "$bad" ]; then
	t_pass "database down: /healthz is 503 with Retry-After and a JSON body"
else
	t_fail "database down: /healthz is 503 with Retry-After and a JSON body" "$bad"
fi
t_is "$(printf '%s' "$H_BODY" | jq -r .code 2>/dev/null)" 503 "the 503 body has code 503"
h_http GET /ping
t_is "$H_STATUS" 200 "database down: /ping is still 200"

pg_start "$T/pg" wfm
healthz_200() {
	h_http GET /healthz
	[ "$H_STATUS" = 200 ]
}
if wait_for 10 healthz_200; then
	t_pass "database back: /healthz is 200 within 10 s, daemon not restarted"
else
	t_fail "database back: /healthz is 200 within 10 s, daemon not restarted" \
	    "last status $H_STATUS, body '$H_BODY'"
fi
t_ok "the supervisor is the same process" _h_pid_alive "$WFM_PID"
# Both workers reconnected (each request may land on either).
for i in 1 2 3 4 5 6; do
	healthz_200 || break
	: "$i"
done
t_is "$H_STATUS" 200 "database back: repeated /healthz all 200"

# ------------------------------------------------------------ drain on SIGTERM
# A transaction holds schema_migrations exclusively for 3 s; /healthz
# reads it, so the request waits inside a worker while we stop the daemon.
psql -X -q -v ON_ERROR_STOP=1 >"$T/lock.out" 2>&1 <<'EOF' &
BEGIN;
LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE;
SELECT pg_sleep(3);
COMMIT;
EOF
lock_pid=$!
h_bg_register "$lock_pid"
lock_held() {
	[ "$(psql -X -Atc "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
	    WHERE c.relname = 'schema_migrations' AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ]
}
t_ok "a session holds schema_migrations exclusively" wait_for 5 lock_held

curl -sS --max-time 30 --cacert "$HARNESS_CA" -o "$T/drain.body" \
    -w '%{http_code}' "https://localhost:$PORT/healthz" >"$T/drain.code" 2>"$T/drain.err" &
curl_pid=$!
h_bg_register "$curl_pid"
request_waits() {
	[ "$(psql -X -Atc "SELECT count(*) FROM pg_stat_activity
	    WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()")" -ge 1 ]
}
t_ok "the /healthz request is blocked on the lock in a worker" wait_for 5 request_waits

start=$SECONDS
rc=0
wfm_stop "$T/wfm" 15 || rc=$?
elapsed=$((SECONDS - start))
t_is "$rc" 0 "SIGTERM: the daemon exits with status 0"
t_ok "SIGTERM: it exits within shutdown_timeout (${elapsed}s)" test "$elapsed" -le 10
wait "$curl_pid" || true
t_is "$(cat "$T/drain.code" 2>/dev/null)" 200 "the in-flight /healthz completed with 200"
t_is "$(jq -r '.database.reachable' "$T/drain.body" 2>/dev/null)" true \
    "the in-flight /healthz has its JSON body"
wait "$lock_pid" || true

h_http GET /ping
t_is "$H_STATUS" 502 "after exit: nginx answers 502"
t_is "$(printf '%s' "$H_BODY" | jq -cS . 2>/dev/null)" \
    '{"code":502,"message":"the service is temporarily unavailable, retry later"}' \
    "nginx's 502 is the JSON error"
t_like "$(h_header Content-Type)" '^application/json' "nginx's 502 is application/json"
t_like "$(h_header Retry-After)" '^[0-9]+$' "nginx's 502 has Retry-After"
t_like "$(h_header X-Request-Id)" '^[0-9a-f]{32}$' "nginx's 502 has X-Request-Id"

t_done
