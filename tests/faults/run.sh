#!/usr/bin/env bash
# tests/faults/run.sh: the fault test: steady traffic through nginx while
# PostgreSQL restarts, a worker is killed, the daemon reloads and stops.
#
#   tests/faults/run.sh        (script/test runs it; needs the built daemon)
#
# Starts its own PostgreSQL (Unix socket), the daemon (3 workers, a
# publisher token) and nginx (the production site over TLS on a free
# loopback port, write-route limits raised so that the load is not
# rate limited).  Four clients (traffic.sh) send check-ins, multi-gets
# and publishes without pause, recording every answer, while this script:
#   1. restarts PostgreSQL (pg_ctl stop -m fast, 2 s down, start);
#   2. SIGKILLs one worker;
#   3. sends SIGHUP to the supervisor (reload: every worker replaced);
#   4. sends SIGTERM to the supervisor (drain and exit).
# Then it checks, from the clients' records and from the database:
#   - every check-in and publish answered 200 is stored (never
#     acknowledged before commit);
#   - while the database was away, failures were 503 with Retry-After and
#     a JSON body, each answered within statement_timeout, and /ping
#     stayed 200;
#   - a database route answered 200 less than 5 s after pg_ctl start
#     returned, and no 503 came later than that;
#   - the killed worker cost at most one request and was replaced;
#   - the reload failed no request;
#   - SIGTERM: the daemon exited 0; every answer was a 200 or a JSON 5xx;
#   - no answer at any time was missing, truncated or malformed.
# Output: TAP-like lines and a Check-style summary (t_done).  Exit 77
# (skip) when a tool is missing, 99 with REQUIRE_PG=1.
set -euo pipefail
export LC_ALL=C

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir

# shellcheck source=tests/lib/harness.sh
. "$top_srcdir/tests/lib/harness.sh"

h_require nginx curl jq openssl ss pgrep psql awk || exit $?

CLIENTS=${FAULTS_CLIENTS:-4}
STATEMENT_TIMEOUT=5000

h_init faults test

# ------------------------------------------------------------ start
pg_start "$T/pg" wfm
tls_make "$T/tls"
SOCK=$T/fcgi.sock
CONF=$T/wfm.conf
TOKEN=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
HASH=$(printf '%s\n' "$TOKEN" | "$WFM_BIN" hash-token)
wfm_write_conf "$CONF" "$SOCK" "$T"
cat >>"$CONF" <<EOF
workers = 3
statement_timeout = $STATEMENT_TIMEOUT
connect_timeout = 2
retry_after = 1
shutdown_timeout = 10
publish_token = $HASH
EOF
wfm_start "$T/wfm" "$CONF"
# free_port's range overlaps the ephemeral ports of this test's own
# clients: another try on another port if the first is taken meanwhile.
for try in 1 2 3; do
	PORT=$(free_port)
	if HARNESS_NGINX_RATE=100000r/s HARNESS_NGINX_BURST=100000 \
	    HARNESS_NGINX_CONN=10000 nginx_start "$T/nginx" "$PORT" "$SOCK" "$T/tls"; then
		break
	fi
	[ "$try" -lt 3 ] || exit 1
	nginx_stop "$T/nginx"
done
WFM_LOG=$T/wfm/wfm.log
echo "# daemon pid $WFM_PID, nginx on https://localhost:$PORT/, $CLIENTS clients"

now() {
	printf '%s\n' "$EPOCHREALTIME"
}

# ------------------------------------------------------------ traffic
LOGS=$T/traffic
STOP=$T/traffic.stop
mkdir -p "$LOGS"
CLIENT_PIDS=()
for c in $(seq 1 "$CLIENTS"); do
	PORT=$PORT CA=$HARNESS_CA TOKEN=$TOKEN \
	    bash "$top_srcdir/tests/faults/traffic.sh" "$c" "$LOGS/client$c.log" \
	    "$STOP" 20000 150 &
	CLIENT_PIDS+=($!)
	h_bg_register "$!"
done
T_START=$(now)

# lines_since T: records of requests that started at or after T.
all_records() {
	cat "$LOGS"/client*.log 2>/dev/null
}

# db_200_after T: the end time of the first 200 of a database route that
# started at or after T, or nothing.
db_200_after() {
	all_records | awk -v t="$1" '$3 == 200 && $4 >= t && (m == "" || $5 < m) { m = $5 }
	    END { if (m != "") print m }'
}

progress() {
	local n
	n=$(all_records | wc -l)
	[ "$n" -ge "$1" ]
}
t_ok "traffic flows (20 requests answered)" wait_for 30 progress 20
sleep 3

# ------------------------------------------------------------ 1. PostgreSQL restart
T_PG_DOWN=$(now)
pg_stop "$T/pg"
sleep 1
h_http GET /ping
PING_DOWN=$H_STATUS
h_http GET /healthz
HEALTHZ_DOWN="$H_STATUS $(h_header Retry-After)"
sleep 1
pg_start "$T/pg" wfm
T_PG_UP=$(now)
echo "# PostgreSQL stopped at +$(awk -v a="$T_PG_DOWN" -v b="$T_START" 'BEGIN { printf "%.1f", a - b }')s, up again $(awk -v a="$T_PG_UP" -v b="$T_PG_DOWN" 'BEGIN { printf "%.1f", a - b }')s later"
recovered() {
	[ -n "$(db_200_after "$T_PG_UP")" ]
}
wait_for 15 recovered || true
sleep 6

# ------------------------------------------------------------ 2. SIGKILL a worker
pgrep -P "$WFM_PID" | sort >"$T/workers.before"
victim=$(head -n 1 "$T/workers.before")
T_KILL=$(now)
kill -KILL "$victim"
replaced() {
	pgrep -P "$WFM_PID" | sort >"$T/workers.after"
	[ "$(wc -l <"$T/workers.after")" -eq 3 ] && ! grep -qx "$victim" "$T/workers.after"
}
if wait_for 10 replaced; then
	t_pass "SIGKILL: the supervisor replaced worker $victim"
else
	t_fail "SIGKILL: the supervisor replaced worker $victim" \
	    "workers now: $(tr '\n' ' ' <"$T/workers.after")"
fi
sleep 3

# ------------------------------------------------------------ 3. SIGHUP
pgrep -P "$WFM_PID" | sort >"$T/workers.before"
T_HUP=$(now)
kill -HUP "$WFM_PID"
all_new() {
	pgrep -P "$WFM_PID" | sort >"$T/workers.after"
	[ "$(wc -l <"$T/workers.after")" -eq 3 ] &&
	    [ -z "$(comm -12 "$T/workers.before" "$T/workers.after")" ]
}
if wait_for 15 all_new; then
	t_pass "SIGHUP: every worker was replaced"
else
	t_fail "SIGHUP: every worker was replaced" \
	    "before: $(tr '\n' ' ' <"$T/workers.before")" \
	    "after: $(tr '\n' ' ' <"$T/workers.after")"
fi
T_HUP_DONE=$(now)
sleep 3

# ------------------------------------------------------------ 4. SIGTERM
# With every worker busy: a session locks the versions table for 3 s
# (below statement_timeout), so publishes and multi-gets wait in the
# workers and further requests queue on the socket; SIGTERM comes while
# they wait.  The daemon must answer all of them before it exits.
psql -X -q -v ON_ERROR_STOP=1 >"$T/lock.out" 2>&1 <<'EOF' &
BEGIN;
LOCK TABLE versions IN ACCESS EXCLUSIVE MODE;
SELECT pg_sleep(3);
COMMIT;
EOF
lock_pid=$!
h_bg_register "$lock_pid"
waiting() {
	[ "$(psql -X -Atc "SELECT count(*) FROM pg_stat_activity
	    WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()")" -ge 3 ]
}
if wait_for 5 waiting; then
	t_pass "SIGTERM comes with every worker waiting on the lock"
else
	t_fail "SIGTERM comes with every worker waiting on the lock" \
	    "$(psql -X -Atc "SELECT pid, state, wait_event_type, wait_event, left(query, 60)
	    FROM pg_stat_activity WHERE datname = current_database()" 2>&1)" \
	    "$(cat "$T/lock.out")"
fi
sleep 0.3
T_TERM=$(now)
rc=0
wfm_stop "$T/wfm" 20 || rc=$?
T_EXIT=$(now)
t_is "$rc" 0 "SIGTERM under load: the daemon exits with status 0"
wait "$lock_pid" || true
sleep 2
touch "$STOP"
for p in "${CLIENT_PIDS[@]}"; do
	wait "$p" || true
done
T_END=$(now)

# ------------------------------------------------------------ analysis
all_records >"$T/all.log"
total=$(wc -l <"$T/all.log")
ok200=$(awk '$3 == 200' "$T/all.log" | wc -l)
echo "# $total requests, $ok200 answered 200, in $(awk -v a="$T_END" -v b="$T_START" 'BEGIN { printf "%.0f", a - b }')s"
awk '{ k[$1 " " $3]++ } END { for (x in k) print "#   " x ": " k[x] }' "$T/all.log" | sort
t_ok "at least 300 requests were sent ($total)" test "$total" -ge 300

# Requests nginx had handed to the daemon that got no answer (the worker
# closed or reset the connection), from nginx's error log, by time.
drops_between() {
	awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b' "$T/drops.ts" | wc -l
}
: >"$T/drops.ts"
grep -E 'Connection reset by peer|prematurely closed' \
    "$T/nginx/logs/workflow-manager-api.error.log" 2>/dev/null |
    while read -r d t _; do
	    date -d "$d $t" +%s
    done >"$T/drops.ts" || true

# Every record is classified; what fits no window is unexpected.
classify() {
	awk -v pgd="$T_PG_DOWN" -v pgu="$T_PG_UP" -v kill="$T_KILL" \
	    -v hup="$T_HUP" -v hupd="$T_HUP_DONE" -v term="$T_TERM" '
	{
		kind = $1; st = $3; s = $4; e = $5; rc = $6; body = $7; ra = $8
		if (rc != 0 || st == "000" || body != "ok") { print "broken", $0; next }
		if (st == 200) { print "ok", $0; next }
		if (e >= pgd && s <= pgu + 5) {
			if (st == 503 && ra == "ra") print "outage", $0
			else print "unexpected", $0
			next
		}
		if (e >= kill - 0.5 && s <= kill + 2 && st ~ /^50[234]$/) {
			print "kill", $0; next
		}
		if (e >= hup - 0.5 && s <= hupd + 1) { print "reload", $0; next }
		if (e >= term - 0.5 && st ~ /^50[234]$/) { print "shutdown", $0; next }
		print "unexpected", $0
	}' "$T/all.log"
}
classify >"$T/classified.log"
count() {
	awk -v c="$1" '$1 == c' "$T/classified.log" | wc -l
}
show() {
	awk -v c="$1" '$1 == c && n++ < 8 { print "    " $0 }' "$T/classified.log"
}

broken=$(count broken)
if [ "$broken" -eq 0 ]; then
	t_pass "every answer was complete and well formed (200 naming the request, or a JSON error)"
else
	t_fail "every answer was complete and well formed" "$broken broken:" "$(show broken)"
fi
unexpected=$(count unexpected)
if [ "$unexpected" -eq 0 ]; then
	t_pass "no failure outside the fault windows"
else
	t_fail "no failure outside the fault windows" "$unexpected unexpected:" "$(show unexpected)"
fi

# 1. the outage
outage=$(count outage)
t_ok "the outage was seen by clients ($outage answers 503 with Retry-After)" test "$outage" -gt 0
slow=$(awk -v lim="$STATEMENT_TIMEOUT" '$1 == "outage" && ($6 - $5) * 1000 > lim + 1000' \
    "$T/classified.log" | wc -l)
t_is "$slow" 0 "every 503 came within statement_timeout (+1 s)"
t_is "$PING_DOWN" 200 "database down: /ping is 200"
t_like "$HEALTHZ_DOWN" '^503 [0-9]+$' "database down: /healthz is 503 with Retry-After"
first=$(db_200_after "$T_PG_UP")
if [ -n "$first" ]; then
	rec=$(awk -v a="$first" -v b="$T_PG_UP" 'BEGIN { printf "%.2f", a - b }')
	t_ok "recovery: first database 200 ${rec}s after pg_ctl start returned (< 5 s)" \
	    awk -v r="$rec" 'BEGIN { exit !(r < 5) }'
else
	t_fail "recovery: a database route answered 200 after the restart"
fi
last503=$(awk -v u="$T_PG_UP" '$1 == "outage" && $6 > u { print $6 }' "$T/classified.log" |
    sort -n | tail -n 1)
if [ -n "$last503" ]; then
	late=$(awk -v a="$last503" -v b="$T_PG_UP" 'BEGIN { printf "%.2f", a - b }')
else
	late=0
fi
t_ok "every worker reconnected: last 503 ${late}s after pg_ctl start returned (< 5 s)" \
    awk -v r="$late" 'BEGIN { exit !(r < 5) }'
t_ok "the publisher token is in no log" \
    sh -c "! grep -qF -- '$TOKEN' '$WFM_LOG' '$T/nginx/logs/'*.log"

# 2. the kill
killed=$(count kill)
t_ok "SIGKILL cost at most one request ($killed)" test "$killed" -le 1
if grep -q "killed by signal 9" "$WFM_LOG"; then
	t_pass "the supervisor logged the killed worker"
else
	t_fail "the supervisor logged the killed worker"
fi

# 3. the reload
d=$(drops_between "$(awk -v t="$T_HUP" 'BEGIN { printf "%d", t - 1 }')" \
    "$(awk -v t="$T_HUP_DONE" 'BEGIN { printf "%d", t + 2 }')")
t_is "$d" 0 "SIGHUP: no request was dropped by a retiring worker (nginx error log)"
reload=$(count reload)
if [ "$reload" -eq 0 ]; then
	t_pass "SIGHUP failed no request"
else
	t_fail "SIGHUP failed no request" "$(show reload)"
fi
served=$(awk -v a="$T_HUP" -v b="$T_HUP_DONE" '$3 == 200 && $4 >= a && $5 <= b + 1' "$T/all.log" | wc -l)
t_ok "requests were served during the reload ($served)" test "$served" -gt 0

# 4. the stop
shutdown=$(count shutdown)
echo "# after SIGTERM: $shutdown JSON 5xx answers (nginx, daemon gone)"
d=$(drops_between "$(awk -v t="$T_TERM" 'BEGIN { printf "%d", t - 1 }')" 99999999999)
t_is "$d" 0 "SIGTERM: no request handed to the daemon was dropped (nginx error log)"
drained=$(awk -v t="$T_TERM" -v x="$T_EXIT" '$3 == 200 && $4 < t && $5 > t' "$T/all.log" | wc -l)
echo "# requests in flight at SIGTERM that completed with 200: $drained"

# ------------------------------------------------------------ the database
awk '$3 == 200 && $1 == "checkin" { print $2 }' "$T/all.log" | sort -u >"$T/checkins.ok"
awk '$3 == 200 && $1 == "publish" { print $2 }' "$T/all.log" | sort -u >"$T/publishes.ok"
nc=$(wc -l <"$T/checkins.ok")
np=$(wc -l <"$T/publishes.ok")
psql -X -q -v ON_ERROR_STOP=1 >"$T/psql.out" 2>&1 <<EOF || t_fail "loading the acknowledged ids into PostgreSQL" "$(cat "$T/psql.out")"
CREATE TABLE fault_checkins (id uuid);
CREATE TABLE fault_publishes (v text);
\copy fault_checkins FROM '$T/checkins.ok'
\copy fault_publishes FROM '$T/publishes.ok'
EOF
missing_c=$(psql -X -Atc "SELECT count(*) FROM fault_checkins f WHERE NOT EXISTS
    (SELECT 1 FROM clusters c WHERE c.cluster_id = f.id)
    OR NOT EXISTS (SELECT 1 FROM clusters_checkins k WHERE k.cluster_id = f.id)")
missing_p=$(psql -X -Atc "SELECT count(*) FROM fault_publishes f WHERE NOT EXISTS
    (SELECT 1 FROM versions v WHERE v.component_name = 'faultcomp'
     AND v.train = 'stable' AND v.version = f.v)")
t_ok "check-ins acknowledged with 200: $nc (at least 50)" test "$nc" -ge 50
t_is "$missing_c" 0 "every check-in answered 200 is stored ($nc)"
t_ok "publishes acknowledged with 200: $np (at least 20)" test "$np" -ge 20
t_is "$missing_p" 0 "every publish answered 200 is stored ($np)"

# ------------------------------------------------------------ 5. crash loop
# Workers that die as soon as they start (here: killed in a loop) are
# replaced at most respawn_burst times per respawn_interval; then the
# supervisor logs it and waits, and the pool comes back afterwards.
printf 'respawn_burst = 4\nrespawn_interval = 5\n' >>"$CONF"
wfm_start "$T/wfm2" "$CONF"
WFM2=$WFM_PID
: >"$T/seen.pids"
end=$((SECONDS + 4))
while [ "$SECONDS" -lt "$end" ]; do
	for p in $(pgrep -P "$WFM2"); do
		echo "$p" >>"$T/seen.pids"
		kill -KILL "$p" 2>/dev/null || true
	done
	sleep 0.05
done
spawned=$(sort -u "$T/seen.pids" | wc -l)
t_ok "crash loop: $spawned workers started in 4 s (3 + burst 4, a few more at most)" \
    test "$spawned" -le 10
if grep -q 'workers died in the last' "$T/wfm2/wfm.log"; then
	t_pass "crash loop: the supervisor logged that it is waiting"
else
	t_fail "crash loop: the supervisor logged that it is waiting"
fi
pool_back() {
	[ "$(pgrep -P "$WFM2" | wc -l)" -eq 3 ] && h_http GET /v3/clusters/count &&
	    [ "$H_STATUS" = 200 ]
}
t_ok "crash loop: the pool is back after respawn_interval" wait_for 15 pool_back
rc=0
wfm_stop "$T/wfm2" 20 || rc=$?
t_is "$rc" 0 "crash loop: the daemon still exits with status 0"

t_done
