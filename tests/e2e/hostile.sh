#!/usr/bin/env bash
# tests/e2e/hostile.sh: hostile and malformed requests through nginx over
# TLS, against the real daemon and a throw-away PostgreSQL.
#
# An automake test (TESTS).  Stores a little data the normal way (two
# releases, a check-in, a doctor report), fingerprints every table, then
# sends well over 100 malformed requests: invalid UTF-8, NUL bytes, deep
# nesting, huge numbers, overlong strings and paths, duplicate keys,
# wrong JSON types, SQL and path metacharacters, bad media types and
# lengths, forged credentials, raw protocol abuse.  Each must get a 4xx
# answer with the JSON error body {"code":<status>,"message":"..."} in
# UTF-8, within 10 s.  Afterwards /ping and the normal reads still work,
# no stored row changed, no worker died, and no secret (publisher token,
# doctor password, database password) shows in an answer or a log.
# Exit 77 (skip) when a tool is missing, unless REQUIRE_PG=1 (then 99).
set -euo pipefail
export LC_ALL=C

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir

# shellcheck source=tests/lib/harness.sh
. "$top_srcdir/tests/lib/harness.sh"

h_require nginx curl jq openssl ss pgrep psql python3 || exit $?

h_init e2e-hostile test

# ------------------------------------------------------------ start
pg_start "$T/pg" wfm
tls_make "$T/tls"
SOCK=$T/fcgi.sock
CONF=$T/wfm.conf
TOKEN=$(openssl rand -hex 32)
DOCTOR_PASS=doctor-$(openssl rand -hex 12)
DB_PASS=dbpass-$(openssl rand -hex 12)
wfm_write_conf "$CONF" "$SOCK" "$T"
{
	echo "publish_token = $(printf '%s\n' "$TOKEN" | "$WFM_BIN" hash-token) components=deis-* trains=stable"
	echo "doctor_user = support"
	echo "doctor_password = $DOCTOR_PASS"
	# Trust authentication ignores it; it must still never be shown.
	echo "database = \"$(pg_conninfo | tr -d '\n') password=$DB_PASS\""
} >>"$CONF"
wfm_start "$T/wfm" "$CONF"
PORT=$(free_port)
nginx_start "$T/nginx" "$PORT" "$SOCK" "$T/tls"
WFM_LOG=$T/wfm/wfm.log
API=https://localhost:$PORT
echo "# daemon pid $WFM_PID, nginx on $API/"

# ------------------------------------------------------------ data
CID=5d7b5e48-4c2b-4f25-9b5e-0f4b7f3a9c11
RID=0b3c1f7e-2a5d-4e8f-9c6b-7d1e2f3a4b5c
h_http POST /v3/versions/stable/deis-router/v2.3.0 -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' \
    --data-binary '{"version":{"released":"2016-08-01T00:00:00Z","data":{"description":"router","fixes":"- x","image":"quay.io/deis/router:v2.3.0"}}}'
t_is "$H_STATUS" 200 "setup: publish deis-router v2.3.0"
h_http POST /v3/versions/stable/deis-router/v2.4.0 -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' \
    --data-binary '{"version":{"released":"2016-09-01T00:00:00Z"}}'
t_is "$H_STATUS" 200 "setup: publish deis-router v2.4.0"
h_http POST /v3/clusters -H 'Content-Type: application/json' \
    --data-binary "{\"id\":\"$CID\",\"components\":[{\"component\":{\"name\":\"deis-router\"},\"version\":{\"version\":\"v2.3.0\"}}]}"
t_is "$H_STATUS" 200 "setup: a check-in"
h_http POST "/v3/doctor/$RID" -H 'Content-Type: application/json' \
    --data-binary "{\"workflow\":{\"id\":\"$CID\",\"components\":[]},\"nodes\":[{\"data\":{\"kind\":\"Node\"}}],\"namespaces\":[{\"name\":\"deis\",\"pods\":[{\"data\":{\"n\":1}}]}]}"
t_is "$H_STATUS" 200 "setup: a doctor report"

# Every table, fingerprinted (order-independent).
fingerprint() {
	psql -X -Atc "SELECT
	    (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM versions t) ||
	    (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM clusters t) ||
	    (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM clusters_checkins t) ||
	    (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM cluster_stats t) ||
	    (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM doctors t) ||
	    (SELECT count(*) FROM versions) || '/' || (SELECT count(*) FROM clusters_checkins)"
}
BEFORE=$(fingerprint)
pgrep -P "$WFM_PID" | sort >"$T/workers.before"

# ------------------------------------------------------------ the checks
# bad WANT DESC METHOD PATH [CURL-ARGS...]: one hostile request.  WANT is
# an extended regex for the status (e.g. '^400$', '^4[0-9][0-9]$').
# Passes when the status matches, the answer is JSON {"code":<status>,
# "message":<non-empty string>} in UTF-8 with Content-Type
# application/json, and it came within 10 s.
NBAD=0
: >"$T/answers"
bad() {
	local want=$1 desc=$2 method=$3 path=$4 status ctype code msg why=
	shift 4
	NBAD=$((NBAD + 1))
	: >"$T/b.body"
	status=$(curl -sS --max-time 10 --cacert "$HARNESS_CA" -X "$method" \
	    -D "$T/b.hdr" -o "$T/b.body" -w '%{http_code}' "$@" \
	    "$API$path" 2>"$T/b.err") || true
	status=${status:-000}
	ctype=$(h_header Content-Type "$T/b.hdr")
	cat "$T/b.body" >>"$T/answers"
	if ! printf '%s\n' "$status" | grep -Eq -- "$want"; then
		why="status $status, expected $want"
	elif [[ $ctype != application/json* ]]; then
		why="Content-Type '$ctype'"
	elif ! python3 -c 'import sys; sys.stdin.buffer.read().decode("utf-8", "strict")' \
	    <"$T/b.body" 2>/dev/null; then
		why="body is not UTF-8"
	else
		code=$(jq -r '.code' "$T/b.body" 2>/dev/null || true)
		msg=$(jq -r '.message | strings' "$T/b.body" 2>/dev/null || true)
		if [ "$code" != "$status" ] || [ -z "$msg" ] ||
		    [ "$(jq -r 'keys | join(",")' "$T/b.body" 2>/dev/null)" != code,message ]; then
			why="body '$(head -c 300 "$T/b.body")'"
		fi
	fi
	if [ -z "$why" ]; then
		t_pass "$desc: $status"
	else
		t_fail "$desc" "$why" "$(head -c 300 "$T/b.err")"
	fi
}

JSON=(-H 'Content-Type: application/json')
AUTH=(-H "Authorization: Bearer $TOKEN")
PUB=/v3/versions/stable/deis-router/v9.9.9
body() {
	printf '%s' "$1" >"$T/req.json"
	printf '%s\n' "@$T/req.json"
}
# rawbody FORMAT: a body with printf escapes (\377, \000) in FORMAT.
rawbody() {
	# shellcheck disable=SC2059 # the escapes are the point
	printf "$1" >"$T/req.json"
	printf '%s\n' "@$T/req.json"
}
V='{"released":"2016-10-01T00:00:00Z"}'

# --- broken JSON ------------------------------------------------------
for b in '' ' ' '{' '}' '[' '{"id":' '{"id":"x"' '{"id":"x",}' "{'id':'x'}" \
    '{id:"x"}' '{"id":"x"} {}' '{"id":"x"} x' '{"a":NaN}' '{"a":Infinity}' \
    '{"a":-}' '{"a":01}' '{"a":1.}' '{"a":.5}' '{"a":tru}' '{"a":"\x"}' \
    '{"a":"\u12"}' '/* c */ {}' '{"a":1}//c' '"\ud800"' '["\udc00"]'; do
	bad '^400$' "check-in with broken JSON '$b'" POST /v3/clusters "${JSON[@]}" \
	    --data-binary "$(body "$b")"
done
bad '^400$' "check-in with a UTF-8 byte order mark" POST /v3/clusters "${JSON[@]}" \
    --data-binary "$(rawbody '\357\273\277{"id":"'$CID'"}')"

# --- invalid UTF-8 and NUL bytes ---------------------------------------
for seq in '\377' '\300\200' '\355\240\200' '\364\220\200\200' '\303' '\200' \
    '\340\200\257' '\370\210\200\200\200'; do
	bad '^400$' "check-in with invalid UTF-8 ($seq) in a string" POST /v3/clusters \
	    "${JSON[@]}" --data-binary "$(rawbody '{"id":"'$CID'","components":[{"component":{"name":"x'"$seq"'"}}]}')"
done
bad '^400$' "invalid UTF-8 in a key" POST /v3/versions/latest "${JSON[@]}" \
    --data-binary "$(rawbody '{"d\377ta":[]}')"
bad '^400$' "invalid UTF-8 in a doctor report" POST "/v3/doctor/$RID" "${JSON[@]}" \
    --data-binary "$(rawbody '{"nodes":[{"data":"\377"}]}')"
bad '^400$' "a raw NUL byte in the body" POST /v3/clusters "${JSON[@]}" \
    --data-binary "$(rawbody '{"id":"'$CID'\000"}')"
bad '^400$' "a NUL byte between values" POST /v3/versions/latest "${JSON[@]}" \
    --data-binary "$(rawbody '{"data":[]}\000')"
bad '^400$' "an escaped NUL (\\u0000) in the id" POST /v3/clusters "${JSON[@]}" \
    --data-binary "$(body '{"id":"\u0000'$CID'"}')"
bad '^400$' "an escaped NUL in a publish" POST "$PUB" "${JSON[@]}" "${AUTH[@]}" \
    --data-binary "$(body '{"version":{"released":"2016-10-01T00:00:00Z","data":{"image":"a\u0000b"}}}')"
bad '^400$' "control characters in a string" POST /v3/clusters "${JSON[@]}" \
    --data-binary "$(rawbody '{"id":"'$CID'\001\n"}')"

# --- nesting and sizes -------------------------------------------------
deep() {
	python3 -c "import sys; n=int(sys.argv[1]); sys.stdout.write(sys.argv[2] + '['*n + ']'*n + sys.argv[3])" "$@" >"$T/req.json"
	printf '%s\n' "@$T/req.json"
}
bad '^413$' "10,000 nested arrays as a check-in" POST /v3/clusters "${JSON[@]}" \
    --data-binary "$(deep 10000 '' '')"
bad '^413$' "10,000 nested arrays inside components" POST /v3/clusters "${JSON[@]}" \
    --data-binary "$(deep 10000 '{"id":"'$CID'","components":' '}')"
bad '^413$' "10,000 nested arrays in a multi-get" POST /v3/versions/latest "${JSON[@]}" \
    --data-binary "$(deep 10000 '{"data":' '}')"
bad '^413$' "10,000 nested arrays in a doctor report" POST "/v3/doctor/$RID" "${JSON[@]}" \
    --data-binary "$(deep 10000 '{"nodes":[{"data":' '}]}')"
bad '^413$' "10,000 nested arrays in a publish" POST "$PUB" "${JSON[@]}" "${AUTH[@]}" \
    --data-binary "$(deep 10000 '{"version":{"released":"2016-10-01T00:00:00Z","data":' '}}')"
bad '^413$' "65 nested objects (over json_max_depth)" POST /v3/versions/latest "${JSON[@]}" \
    --data-binary "$(python3 -c "print('{\"a\":'*65 + '1' + '}'*65)" >"$T/req.json"; echo "@$T/req.json")"
python3 -c "print('{\"data\":[' + ','.join(['0']*100001) + ']}')" >"$T/many.json"
bad '^413$' "100,001 values in one body (over json_max_elements)" POST /v3/versions/latest \
    "${JSON[@]}" --data-binary "@$T/many.json"
python3 -c "
import json
print(json.dumps({'data': [{'component': {'name': 'c%d' % i}, 'version': {'train': 'stable'}} for i in range(257)]}))" >"$T/pairs.json"
bad '^413$' "257 pairs in a multi-get (over max_latest_pairs)" POST /v3/versions/latest \
    "${JSON[@]}" --data-binary "@$T/pairs.json"
head -c 1100000 /dev/zero | tr '\0' ' ' >"$T/big.json"
bad '^413$' "a 1.1 MB check-in (over max_body)" POST /v3/clusters "${JSON[@]}" \
    --data-binary "@$T/big.json"
bad '^413$' "a 1.1 MB multi-get" POST /v3/versions/latest "${JSON[@]}" --data-binary "@$T/big.json"
bad '^413$' "a 1.1 MB publish" POST "$PUB" "${JSON[@]}" "${AUTH[@]}" --data-binary "@$T/big.json"
head -c 4300000 /dev/zero | tr '\0' ' ' >"$T/huge.json"
bad '^413$' "a 4.3 MB doctor report (over doctor_max_body)" POST "/v3/doctor/$RID" \
    "${JSON[@]}" --data-binary "@$T/huge.json"
bad '^413$' "a Content-Length over the limit" POST /v3/clusters "${JSON[@]}" \
    -H 'Content-Length: 99999999' --data-binary '{}'

# --- huge numbers and overlong strings ---------------------------------
n400=$(printf '9%.0s' $(seq 1 400))
bad '^400$' "a 400-digit number as the id" POST /v3/clusters "${JSON[@]}" \
    --data-binary "$(body "{\"id\":$n400}")"
bad '^400$' "1e999999 as a component name" POST /v3/versions/latest "${JSON[@]}" \
    --data-binary "$(body '{"data":[{"component":{"name":1e999999},"version":{"train":"stable"}}]}')"
bad '^400$' "-1e-999999 as released" POST "$PUB" "${JSON[@]}" "${AUTH[@]}" \
    --data-binary "$(body '{"version":{"released":-1e-999999}}')"
bad '^400$' "a 400-digit number as train" POST /v3/versions/latest "${JSON[@]}" \
    --data-binary "$(body "{\"data\":[{\"component\":{\"name\":\"deis-router\"},\"version\":{\"train\":$n400}}]}")"
long=$(head -c 200000 /dev/zero | tr '\0' 'a')
bad '^422$' "a 200,000-character id" POST /v3/clusters "${JSON[@]}" \
    --data-binary "$(body "{\"id\":\"$long\"}")"
bad '^422$' "a 200,000-character released" POST "$PUB" "${JSON[@]}" "${AUTH[@]}" \
    --data-binary "$(body "{\"version\":{\"released\":\"$long\"}}")"
bad '^422$' "a 33-character version in the path" POST \
    "/v3/versions/stable/deis-router/v$(printf '1%.0s' $(seq 1 32))" "${JSON[@]}" "${AUTH[@]}" \
    --data-binary "$(body "{\"version\":$V}")"
bad '^(403|422)$' "a 25-character train in the path" POST \
    "/v3/versions/$(printf 's%.0s' $(seq 1 25))/deis-router/v1" "${JSON[@]}" \
    -H "Authorization: Bearer $TOKEN" --data-binary "$(body "{\"version\":$V}")"
bad '^(400|422)$' "released in year 10000" POST "$PUB" "${JSON[@]}" "${AUTH[@]}" \
    --data-binary "$(body '{"version":{"released":"10000-01-01T00:00:00Z"}}')"
bad '^422$' "released on February 30" POST "$PUB" "${JSON[@]}" "${AUTH[@]}" \
    --data-binary "$(body '{"version":{"released":"2016-02-30T00:00:00Z"}}')"
bad '^414$' "a 3,000-byte path (over max_path)" GET "/v3/clusters/$(head -c 3000 /dev/zero | tr '\0' 'a')"
# nginx's header limits, in HTTP/1.1 (in HTTP/2 nginx ends the whole
# connection with GOAWAY instead: no answer to give a JSON body to).
bad '^414$' "a 10,000-byte URI (over nginx's header buffers)" GET "/ping?$(head -c 10000 /dev/zero | tr '\0' 'a')" \
    --http1.1
bad '^400$' "a 10,000-byte header" GET /ping -H "X-Big: $(head -c 10000 /dev/zero | tr '\0' 'a')" \
    --http1.1
# shellcheck disable=SC2046 # one -H and one header per word
bad '^400$' "50 headers of 1,000 bytes" GET /ping --http1.1 $(for i in $(seq 1 50); do
	printf -- "-H X-H$i:%s " "$(head -c 1000 /dev/zero | tr '\0' 'b')"
done)

# --- duplicate keys and wrong types ------------------------------------
bad '^400$' "a duplicate id" POST /v3/clusters "${JSON[@]}" \
    --data-binary "$(body "{\"id\":\"$CID\",\"id\":\"$RID\"}")"
bad '^400$' "the id twice, in different case" POST /v3/clusters "${JSON[@]}" \
    --data-binary "$(body "{\"id\":\"$CID\",\"ID\":\"$RID\"}")"
bad '^400$' "a duplicate key deep inside" POST /v3/versions/latest "${JSON[@]}" \
    --data-binary "$(body '{"data":[{"component":{"name":"a","name":"b"},"version":{}}]}')"
bad '^400$' "a duplicate released" POST "$PUB" "${JSON[@]}" "${AUTH[@]}" \
    --data-binary "$(body '{"version":{"released":"2016-10-01T00:00:00Z","released":"2017-10-01T00:00:00Z"}}')"
bad '^400$' "a duplicate key in a doctor report" POST "/v3/doctor/$RID" "${JSON[@]}" \
    --data-binary "$(body '{"nodes":[],"nodes":[]}')"
for b in '[]' '"x"' '1' 'true' "{\"id\":[\"$CID\"]}" "{\"id\":{}}" "{\"id\":\"$CID\",\"components\":\"x\"}" \
    "{\"id\":\"$CID\",\"components\":[1]}" "{\"id\":\"$CID\",\"components\":[{\"component\":\"x\"}]}" \
    "{\"id\":\"$CID\",\"components\":[{\"version\":{\"data\":[]}}]}"; do
	bad '^400$' "check-in with a wrong type: $b" POST /v3/clusters "${JSON[@]}" \
	    --data-binary "$(body "$b")"
done
for b in '[]' '{"data":{}}' '{"data":"x"}' '{"data":[1]}' '{"data":[{"component":[]}]}'; do
	bad '^400$' "multi-get with a wrong type: $b" POST /v3/versions/latest "${JSON[@]}" \
	    --data-binary "$(body "$b")"
done
for b in '{"data":[null]}' '{"data":[{}]}' '{"data":[{"component":{"name":"x"}}]}' \
    '{"data":[{"component":{},"version":{}}]}'; do
	bad '^422$' "multi-get with a missing field: $b" POST /v3/versions/latest "${JSON[@]}" \
	    --data-binary "$(body "$b")"
done
for b in '{"version":"x"}' '{"version":{"released":1}}' '{"component":[],"version":{}}' \
    '{"version":{"data":"x","released":"2016-10-01T00:00:00Z"}}'; do
	bad '^400$' "publish with a wrong type: $b" POST "$PUB" "${JSON[@]}" "${AUTH[@]}" \
	    --data-binary "$(body "$b")"
done
for b in '{}' '{"version":{}}' '{"version":{"released":""}}' '{"version":{"released":"yesterday"}}'; do
	bad '^422$' "publish without a valid released: $b" POST "$PUB" "${JSON[@]}" "${AUTH[@]}" \
	    --data-binary "$(body "$b")"
done
bad '^400$' "publish whose body names another component" POST "$PUB" "${JSON[@]}" "${AUTH[@]}" \
    --data-binary "$(body "{\"component\":{\"name\":\"deis-builder\"},\"version\":$V}")"
bad '^400$' "doctor report with a wrong type" POST "/v3/doctor/$RID" "${JSON[@]}" \
    --data-binary "$(body '{"namespaces":{}}')"
bad '^422$' "doctor report with a nameless namespace" POST "/v3/doctor/$RID" "${JSON[@]}" \
    --data-binary "$(body '{"namespaces":[{"pods":[]}]}')"

# --- SQL and path metacharacters ---------------------------------------
for id in "' OR '1'='1" "x'; DROP TABLE clusters; --" '"; SELECT pg_sleep(10); --' \
    "$CID'--" "$CID; DELETE FROM versions" '\\x00' '../../etc/passwd' '%00' "{$CID"; do
	bad '^422$' "check-in with id $id" POST /v3/clusters "${JSON[@]}" \
	    --data-binary "$(jq -cn --arg id "$id" '{id: $id}')"
done
for p in "/v3/clusters/'%20OR%201=1--" "/v3/clusters/$CID'%3B%20DROP%20TABLE%20clusters" \
    '/v3/clusters/..%2F..%2Fetc%2Fpasswd' '/v3/clusters/%2e%2e' "/v3/clusters/$CID%00" \
    "/v3/versions/stable/deis-router'%20OR%20'1'='1/latest" \
    "/v3/versions/stable/x%27%3B%20DROP%20TABLE%20versions%3B--/v1" \
    '/v3/versions/..%2F..%2F/deis-router/latest' '/v3/versions/stable/deis-router/%C0%AF' \
    '/../../../etc/passwd' '/v3/../../etc/passwd' '/etc/passwd' '/v3/clusters/count/..%5C..%5C' \
    '/%00' '/ping%00' '/ping%0d%0aSet-Cookie:%20x=1' '/v3/%ff%fe' '/.git/config' \
    '/v3/doctor/..%2F..%2F' '/v3/clusters/%252e%252e'; do
	bad '^4[0-9][0-9]$' "GET $p" GET "$p"
done
bad '^422$' "age filter with SQL" GET "/v3/clusters/age?created_after=%27%20OR%201%3D1--"
bad '^400$' "age filter with a NUL" GET "/v3/clusters/age?checked_in_after=7d%00"
bad '^400$' "a bad %-escape in the query" GET "/v3/clusters/age?created_after=%zz"
bad '^400$' "a %00 in the query" GET "/v3/clusters/count?x=%00"
bad '^400$' "too many query parameters" GET "/v3/clusters/count?$(seq -s '&' 1 40 | sed 's/\([0-9]*\)/p\1=1/g')"
bad '^400$' "a forged cursor" GET "/v3/clusters/age?limit=1&cursor=AAAA%27%3B--"
bad '^422$' "limit with SQL" GET "/v3/clusters/age?limit=1%3BDROP"
bad '^422$' "checkins without bounds" GET "/v3/clusters/checkins?created_after=x"
bad '^401$' "publish with SQL in the path and no token" POST \
    "/v3/versions/stable/x%27%3B%20DROP%20TABLE%20versions%3B--/v1" "${JSON[@]}" \
    --data-binary "$(body "{\"version\":$V}")"
bad '^4[0-9][0-9]$' "publish with a / in the component (%2F)" POST "/v3/versions/stable/deis-router%2F..%2Fx/v1" \
    "${JSON[@]}" "${AUTH[@]}" --data-binary "$(body "{\"version\":$V}")"
bad '^422$' "publish with a control character in the version" POST "/v3/versions/stable/deis-router/v1%01" \
    "${JSON[@]}" "${AUTH[@]}" --data-binary "$(body "{\"version\":$V}")"
bad '^422$' "doctor report for a non-UUID" POST "/v3/doctor/x'%3B--" "${JSON[@]}" \
    --data-binary '{}'

# --- media types, methods, lengths ------------------------------------
bad '^415$' "text/plain body" POST /v3/clusters -H 'Content-Type: text/plain' \
    --data-binary "{\"id\":\"$CID\"}"
bad '^415$' "form body" POST /v3/versions/latest --data-binary 'data=1'
bad '^415$' "no Content-Type" POST /v3/clusters -H 'Content-Type:' --data-binary "{\"id\":\"$CID\"}"
bad '^400$' "an unparsable Content-Type" POST /v3/clusters -H 'Content-Type: application/json; charset' \
    --data-binary "{\"id\":\"$CID\"}"
bad '^(400|415)$' "a Content-Type with a NUL-like escape" POST /v3/clusters \
    -H 'Content-Type: application/json%00' --data-binary "{\"id\":\"$CID\"}"
bad '^400$' "a negative Content-Length" POST /v3/clusters "${JSON[@]}" -H 'Content-Length: -1' \
    --data-binary '{}'
bad '^400$' "a non-numeric Content-Length" POST /v3/clusters "${JSON[@]}" -H 'Content-Length: 1x' \
    --data-binary '{}'
for m in PUT DELETE PATCH OPTIONS TRACE PROPFIND; do
	bad '^405$' "$m /v3/clusters" "$m" /v3/clusters
done
bad '^405$' "DELETE a release" DELETE /v3/versions/stable/deis-router/v2.3.0 "${AUTH[@]}"

# --- credentials -------------------------------------------------------
bad '^401$' "publish without a token" POST "$PUB" "${JSON[@]}" --data-binary "$(body "{\"version\":$V}")"
WRONG=${TOKEN%?}$([ "${TOKEN: -1}" = 0 ] && echo 1 || echo 0)
bad '^401$' "publish with a wrong token" POST "$PUB" "${JSON[@]}" -H "Authorization: Bearer $WRONG" \
    --data-binary "$(body "{\"version\":$V}")"
bad '^401$' "publish with the token as Basic" POST "$PUB" "${JSON[@]}" \
    -H "Authorization: Basic $(printf 'x:%s' "$TOKEN" | base64 -w0)" --data-binary "$(body "{\"version\":$V}")"
bad '^401$' "publish with a 6,000-byte token" POST "$PUB" "${JSON[@]}" \
    -H "Authorization: Bearer $(head -c 6000 /dev/zero | tr '\0' 'x')" --data-binary "$(body "{\"version\":$V}")"
bad '^401$' "publish with two tokens" POST "$PUB" "${JSON[@]}" -H "Authorization: Bearer $TOKEN $TOKEN" \
    --data-binary "$(body "{\"version\":$V}")"
bad '^403$' "publish outside the token's scope" POST /v3/versions/beta/deis-router/v1 "${JSON[@]}" \
    "${AUTH[@]}" --data-binary "$(body "{\"version\":$V}")"
bad '^401$' "doctor read without credentials" GET "/v3/doctor/$RID"
bad '^401$' "doctor read with a wrong password" GET "/v3/doctor/$RID" -u "support:${DOCTOR_PASS}x"
bad '^401$' "doctor read with the password as user" GET "/v3/doctor/$RID" -u "$DOCTOR_PASS:support"
bad '^401$' "doctor read with broken Basic" GET "/v3/doctor/$RID" -H 'Authorization: Basic %%%'
bad '^401$' "doctor read with empty credentials" GET "/v3/doctor/$RID" -u ':'
bad '^401$' "doctor read with a 5,000-byte Basic" GET "/v3/doctor/$RID" \
    -H "Authorization: Basic $(head -c 3700 /dev/zero | tr '\0' 'a' | base64 -w0)"
bad '^403$' "/metrics from outside loopback (X-Forwarded-For is not trusted)" GET /metrics \
    -H 'X-Forwarded-For: 10.0.0.1' --interface 127.0.0.2

# --- the protocol itself -----------------------------------------------
raw() {
	local desc=$1 req=$2 out status
	NBAD=$((NBAD + 1))
	# shellcheck disable=SC2059 # the escapes are the point
	out=$(printf "$req" | timeout 10 openssl s_client -quiet -verify_quiet \
	    -CAfile "$HARNESS_CA" -connect "127.0.0.1:$PORT" -servername localhost \
	    -alpn http/1.1 2>/dev/null | tr -d '\r' || true)
	status=$(printf '%s\n' "$out" | awk 'NR == 1 { print $2 }')
	# 4xx, or nginx's 501/505 for what HTTP itself does not allow.
	if [[ $status == 4?? || $status == 501 || $status == 505 ]] &&
	    printf '%s\n' "$out" | grep -q "^{\"code\":$status,\"message\":\""; then
		t_pass "$desc: $status"
	else
		t_fail "$desc" "answer: $(printf '%s\n' "$out" | awk 'NR <= 12')"
	fi
}
raw "a lower-case method" 'get /ping HTTP/1.1\r\nHost: localhost\r\n\r\n'
raw "a header without a colon" 'GET /ping HTTP/1.1\r\nHost: localhost\r\nbroken header\r\n\r\n'
raw "a NUL in a header" 'GET /ping HTTP/1.1\r\nHost: localhost\r\nX-A: a\000b\r\n\r\n'
raw "Content-Length and Transfer-Encoding together" 'POST /v3/clusters HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
raw "two Content-Length headers" 'POST /v3/clusters HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}x'
raw "a bad chunk size" 'POST /v3/clusters HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'
raw "an unknown Transfer-Encoding" 'POST /v3/clusters HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n{}'
raw "HTTP/1.1 without Host" 'GET /ping HTTP/1.1\r\n\r\n'
raw "a space in the URI" 'GET /ping x HTTP/1.1\r\nHost: localhost\r\n\r\n'
raw "an unsupported HTTP version" 'GET /ping HTTP/2.0\r\nHost: localhost\r\n\r\n'
raw "an absolute URI for another host" 'GET http://evil.example/ping%%00 HTTP/1.1\r\nHost: localhost\r\n\r\n'
plain=$(curl -s --max-time 10 -o "$T/plain.body" -w '%{http_code}' "http://localhost:$PORT/ping" || true)
NBAD=$((NBAD + 1))
t_is "$plain $(jq -r .code "$T/plain.body" 2>/dev/null)" "400 400" \
    "plain HTTP on the TLS port: a JSON 400"

# --- a flood on a write route ------------------------------------------
# 60 check-ins at once from one address (invalid ones: what gets through
# is a 422 and stores nothing): nginx's limit_req (10/s, burst 20) turns
# the excess into 429 with the JSON body and Retry-After.
printf '{}' >"$T/empty.json"
seq 1 60 | xargs -P 12 -IN% curl -s --max-time 10 --cacert "$HARNESS_CA" \
    -H 'Content-Type: application/json' --data-binary "@$T/empty.json" \
    -o "$T/flood.N%.body" -D "$T/flood.N%.hdr" -w 'N% %{http_code}\n' \
    "$API/v3/clusters" >"$T/flood.codes" 2>/dev/null || true
n429=$(awk '$2 == 429' "$T/flood.codes" | wc -l)
NBAD=$((NBAD + 60))
t_ok "flood: nginx answered 429 to part of 60 simultaneous check-ins ($n429)" test "$n429" -gt 0
t_is "$(awk '$2 != 429 && $2 != 422 { print $2 }' "$T/flood.codes" | sort | uniq -c | tr -s ' ')" "" \
    "flood: every other answer was the daemon's 422"
floodbad=
for i in $(awk '$2 == 429 { print $1 }' "$T/flood.codes"); do
	if [ "$(jq -r .code "$T/flood.$i.body" 2>/dev/null)" != 429 ] ||
	    [ -z "$(h_header Retry-After "$T/flood.$i.hdr")" ] ||
	    [[ $(h_header Content-Type "$T/flood.$i.hdr") != application/json* ]]; then
		floodbad="answer $i: $(cat "$T/flood.$i.body")"
	fi
done
t_is "$floodbad" "" "flood: every 429 is JSON {\"code\":429,...} with Retry-After"

# --- transport and process security ------------------------------------
tls() {
	echo | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost \
	    -CAfile "$HARNESS_CA" "$@" >/dev/null 2>&1
}
t_ok "TLS 1.2 with ECDHE and AES-GCM is accepted" tls -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256
t_ok "TLS 1.3 is accepted" tls -tls1_3
if tls -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'; then
	t_fail "TLS 1.1 is refused"
else
	t_pass "TLS 1.1 is refused"
fi
if tls -tls1_2 -cipher 'ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0'; then
	t_fail "a CBC suite outside the intermediate profile is refused"
else
	t_pass "a CBC suite outside the intermediate profile is refused"
fi
bad '^403$' "/healthz from a non-loopback address (127.0.0.2)" GET /healthz --interface 127.0.0.2
if h_is_root; then
	t_is "$(stat -c '%a %U' "$SOCK")" "660 nobody" "the FastCGI socket is 0660 and the daemon's user's"
	if "$_H_RUNUSER" -u daemon -- test -w "$SOCK" 2>/dev/null; then
		t_fail "another unprivileged user cannot connect to the socket"
	else
		t_pass "another unprivileged user cannot connect to the socket"
	fi
	t_is "$(ps -o user= -p "$(pgrep -P "$WFM_PID" | paste -sd, -)" | sort -u | tr -d ' ')" nobody \
	    "the workers run as the unprivileged user"
fi
printf 'publish_token = %s\n' "$TOKEN" >"$T/clear.conf"
if "$WFM_BIN" -t -c "$T/clear.conf" >"$T/clear.out" 2>&1; then
	t_fail "a publish_token given in clear is refused"
else
	t_pass "a publish_token given in clear is refused"
fi
t_ok "... and the refusal does not repeat the token" sh -c "! grep -qF -- '$TOKEN' '$T/clear.out'"

# ------------------------------------------------------------ afterwards
t_ok "at least 100 hostile requests were sent ($NBAD)" test "$NBAD" -ge 100
h_http GET /ping
t_is "$H_STATUS" 200 "after all of it: /ping is 200"
h_http GET /v3/versions/stable/deis-router/latest
t_is "$(printf '%s' "$H_BODY" | jq -r '.version.version' 2>/dev/null)" v2.4.0 \
    "after all of it: the latest release reads as before"
h_http POST /v3/versions/latest "${JSON[@]}" \
    --data-binary '{"data":[{"component":{"name":"deis-router"},"version":{"train":"stable"}}]}'
t_is "$(printf '%s' "$H_BODY" | jq -c '[.data[].version.version]' 2>/dev/null)" '["v2.4.0"]' \
    "after all of it: the multi-get reads as before"
h_http GET "/v3/clusters/$CID"
t_is "$(printf '%s' "$H_BODY" | jq -r '.components[0].version.version' 2>/dev/null)" v2.3.0 \
    "after all of it: the cluster reads as before"
h_http GET "/v3/doctor/$RID" -u "support:$DOCTOR_PASS"
t_is "$(printf '%s' "$H_BODY" | jq -r '.namespaces[0].name' 2>/dev/null)" deis \
    "after all of it: the doctor report reads as before"
t_is "$(fingerprint)" "$BEFORE" "no stored row changed"
pgrep -P "$WFM_PID" | sort >"$T/workers.after"
t_is "$(tr '\n' ' ' <"$T/workers.after")" "$(tr '\n' ' ' <"$T/workers.before")" \
    "no worker died or was replaced"
t_ok "the daemon logged no crash" sh -c "! grep -Eq 'killed by signal|exited with status|internal' '$WFM_LOG'"
for s in "$TOKEN" "$DOCTOR_PASS" "$DB_PASS"; do
	t_ok "a secret (${s:0:6}...) is in no answer and no log" \
	    sh -c "! grep -qF -- '$s' '$T/answers' '$WFM_LOG' '$T/nginx/logs/'*.log"
done

t_done
