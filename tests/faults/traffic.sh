#!/usr/bin/env bash
# tests/faults/traffic.sh: one client of the fault test's steady traffic.
#
#   traffic.sh N LOG STOPFILE MAX_REQUESTS MAX_SECONDS
#
# Sends requests one after the other to https://localhost:$PORT (nginx,
# certificate checked with $CA) until STOPFILE exists, MAX_REQUESTS were
# sent or MAX_SECONDS have passed, whichever comes first; never more.
# The mix, in turn: a check-in of a fresh cluster id (POST /v3/clusters),
# a multi-get (POST /v3/versions/latest), a publish of a new release
# (POST /v3/versions/stable/faultcomp/vN.M, with the bearer $TOKEN), a
# second check-in.  Client N writes one line per request to LOG:
#
#   kind id status start end curl_exit body retry_after
#
# status is curl's (000: no answer); start and end are $EPOCHREALTIME;
# body is "ok" when the answer is complete and well formed (a 200 naming
# what was sent, or an error {"code":<status>,"message":"..."}), else
# "bad"; retry_after is "ra" when the answer has a Retry-After header,
# else "-".  Loopback only; every curl call has a 15 s limit.
set -u
export LC_ALL=C

n=$1 log=$2 stop=$3 max=$4 secs=$5
: "${PORT:?}" "${CA:?}" "${TOKEN:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wfm-traffic.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
base=https://localhost:$PORT
deadline=$((SECONDS + secs))
i=0

# one KIND ID METHOD PATH BODY [CURL-ARGS...]
one() {
	local kind=$1 id=$2 method=$3 path=$4 body=$5 start end status rc ok ra
	shift 5
	start=$EPOCHREALTIME
	status=$(curl -sS --max-time 15 --cacert "$CA" -X "$method" \
	    -H 'Content-Type: application/json' --data-binary "$body" \
	    -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' "$@" \
	    "$base$path" 2>"$tmp/err")
	rc=$?
	end=$EPOCHREALTIME
	status=${status:-000}
	ok=bad
	if [ "$rc" -eq 0 ]; then
		if [ "$status" = 200 ]; then
			# Complete: ends with the newline, names what was sent.
			if [ "$(tail -c 1 "$tmp/body" | od -An -c | tr -d ' ')" = '\n' ] &&
			    grep -qF -- "$id" "$tmp/body"; then
				ok=ok
			fi
		elif jq -e --argjson s "$status" \
		    '(.code == $s) and (.message | type == "string")' \
		    "$tmp/body" >/dev/null 2>&1; then
			ok=ok
		fi
	fi
	ra=-
	grep -qi '^retry-after:' "$tmp/hdr" 2>/dev/null && ra=ra
	printf '%s %s %s %s %s %s %s %s\n' "$kind" "$id" "$status" "$start" \
	    "$end" "$rc" "$ok" "$ra" >>"$log"
}

checkin() {
	local id
	id=$(cat /proc/sys/kernel/random/uuid)
	one checkin "$id" POST /v3/clusters \
	    "{\"id\":\"$id\",\"components\":[{\"component\":{\"name\":\"deis-router\"},\"version\":{\"train\":\"stable\",\"version\":\"v2.$n.$i\"}}]}"
}

while [ "$i" -lt "$max" ] && [ "$SECONDS" -lt "$deadline" ] && [ ! -e "$stop" ]; do
	case $((i % 4)) in
	0 | 3)
		checkin
		;;
	1)
		one multiget data POST /v3/versions/latest \
		    '{"data":[{"component":{"name":"faultcomp"},"version":{"train":"stable"}},{"component":{"name":"deis-router"},"version":{"train":"stable"}}]}'
		;;
	2)
		v=v$n.$i
		one publish "$v" POST "/v3/versions/stable/faultcomp/$v" \
		    "{\"component\":{\"name\":\"faultcomp\"},\"version\":{\"train\":\"stable\",\"version\":\"$v\",\"released\":\"2024-01-0$((n % 9 + 1))T00:00:00Z\",\"data\":{\"description\":\"fault test\"}}}" \
		    -H "Authorization: Bearer $TOKEN"
		;;
	esac
	i=$((i + 1))
done
exit 0
