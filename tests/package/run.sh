#!/usr/bin/env bash
# tests/package/run.sh: the Debian package, end to end, on this machine.
#
#   bash tests/package/run.sh        (as root; run by script/test when
#                                     WFM_TEST_PACKAGE=1, and by .ci/run)
#
# It installs and purges packages and starts the system's PostgreSQL
# cluster, so it is meant for disposable machines (CI) and developers who
# accept that.  Steps:
#   1. builds the package from a clean copy of the tree
#      (dpkg-buildpackage -us -uc -b, DEB_BUILD_OPTIONS="nocheck parallel=2":
#      the unit tests run in script/test's own phases), runs lintian (no
#      error, no warning), lints the man pages and checks that every
#      configuration key of src/conf.c is documented;
#   2. makes a "previous version" (0.9.0-1, the same package without its
#      newest migration) and installs it with apt, noninteractively, on a
#      machine with PostgreSQL (dbconfig-common creates the role and the
#      database, postinst migrates);
#   3. starts the service as the systemd unit says (systemctl when systemd
#      runs; otherwise the unit's ExecStart as its User/Group with its
#      EnvironmentFile and RuntimeDirectory), upgrades to the built version
#      (the schema must follow) and restarts it;
#   4. runs nginx with the installed site on a loopback port (the snakeoil
#      certificate, verified) and checks /ping, /healthz, /metrics, a
#      publish and a latest read over TLS, and a reload (SIGHUP);
#   5. re-runs the maintainer scripts (dpkg-reconfigure, apt reinstall),
#      then changes dbconfig-common's answers to the Unix socket with peer
#      authentication and to a database "elsewhere" (127.0.0.1 over TCP/IP,
#      with a password), checking the service each time;
#   6. removes and purges the package (with dbconfig-common's consent to
#      drop the database) and checks that nothing of it is left: no
#      process of its user, no files, no database, no role.
# Output: TAP-like lines and a Check-style summary,
# "100%: Checks: N, Failures: F, Errors: 0" (tests/lib/harness.sh).
#
# Environment: WFM_PKG_KEEP_BUILD=DIR keeps the built packages in DIR.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
top_srcdir=$ROOT
export top_srcdir
# shellcheck source=tests/lib/harness.sh
. "$ROOT/tests/lib/harness.sh"

PKG=workflow-manager-api
SVC_USER=workflow-manager-api
DBNAME=workflow_manager
UNIT=/lib/systemd/system/$PKG.service
CONF=/etc/$PKG/$PKG.conf
DBENV=/etc/$PKG/database.env
SITE=/etc/nginx/sites-available/$PKG
SNAKEOIL=/etc/ssl/certs/ssl-cert-snakeoil.pem
OLD_VERSION=0.9.0-1
export DEBIAN_FRONTEND=noninteractive
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

if ! h_is_root; then
	h_note "tests/package/run.sh installs packages: run it as root"
	exit 77
fi
if ! command -v dpkg >/dev/null 2>&1; then
	h_note "not a Debian system: skipping"
	exit 77
fi

"$ROOT/script/bootstrap" debhelper dpkg-dev lintian mandoc dbconfig-pgsql \
    libfcgi-bin >/dev/null || {
	h_note "script/bootstrap failed"
	exit 1
}

h_init package
trap 'pkg_on_exit' EXIT

# What this script changed, for the exit trap.
PG_STARTED=""
PG_CREATED=""
SVC_PID=""
NGINX_DIR=""
ENABLED_LINK=""
INSTALLED_BY_US=0

pkg_on_exit() {
	local rc=$? f
	set +e
	if [ "$rc" -ne 0 ] || [ "$_T_FAIL" -ne 0 ]; then
		for f in "$T/service.log" "$T/nginx/logs/error.log" \
		    "$T/nginx/logs/workflow-manager-api.error.log"; do
			[ -s "$f" ] && _h_tail "$f" 30
		done
	fi
	svc_stop >/dev/null 2>&1
	[ -n "$NGINX_DIR" ] && nginx_stop "$NGINX_DIR" >/dev/null 2>&1
	[ -n "$ENABLED_LINK" ] && rm -f "$ENABLED_LINK"
	if [ "$INSTALLED_BY_US" = 1 ] && dpkg -s "$PKG" >/dev/null 2>&1; then
		h_note "purging $PKG left installed by a failed run"
		echo "$PKG $PKG/purge boolean true" | debconf-set-selections
		apt-get purge -y -q "$PKG" >"$T/cleanup-purge.log" 2>&1
		rm -f /var/tmp/"$PKG.$DBNAME".*
	fi
	if [ -n "$PG_CREATED" ]; then
		# shellcheck disable=SC2086 # "VERSION NAME"
		pg_dropcluster --stop $PG_CREATED >/dev/null 2>&1
	elif [ -n "$PG_STARTED" ]; then
		# shellcheck disable=SC2086
		pg_ctlcluster $PG_STARTED stop >/dev/null 2>&1
	fi
	(exit "$rc")
	_h_on_exit
}

# ------------------------------------------------------------ helpers

# run LOG CMD...: runs CMD with its output in LOG; on failure shows the
# end of LOG.
run() {
	local log=$1 rc=0
	shift
	"$@" >"$log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		h_note "$* failed with status $rc; end of $log:"
		tail -n 40 "$log" | sed 's/^/#   /' >&2
	fi
	return "$rc"
}

apt_install() {
	apt-get install -y -q -o Dpkg::Options::=--force-confdef \
	    -o Dpkg::Options::=--force-confold "$@"
}

# pg_admin SQL [DB]: one statement as the postgres superuser, -At output.
pg_admin() {
	(cd / && runuser -u postgres -- psql -X -q -At -v ON_ERROR_STOP=1 \
	    -d "${2:-postgres}" -c "$1")
}

schema_version() {
	pg_admin "SELECT coalesce(max(version), 0) FROM schema_migrations" "$DBNAME" 2>/dev/null
}

# stat_of FILE: "user:group mode".
stat_of() {
	stat -c '%U:%G %a' "$1" 2>/dev/null
}

# unit_values KEY: the values of KEY= in the installed unit, one a line.
unit_values() {
	sed -n "s/^$1=//p" "$UNIT"
}

have_systemd() {
	[ -d /run/systemd/system ]
}

# svc_env_run CMD...: CMD in the environment the unit gives its commands:
# a clean environment plus the EnvironmentFile, as User/Group/
# SupplementaryGroups, NoNewPrivileges, UMask, from /.  Each program
# exec()s the next, so CMD keeps the process id of the caller's subshell.
svc_env_run() {
	local user group supp umask envfile groups
	user=$(unit_values User)
	group=$(unit_values Group)
	supp=$(unit_values SupplementaryGroups | tr ' ' ',')
	umask=$(unit_values UMask)
	envfile=$(unit_values EnvironmentFile)
	envfile=${envfile#-}
	if [ -n "$supp" ]; then
		groups=--groups=$supp
	else
		groups=--clear-groups
	fi
	# shellcheck disable=SC2016 # expanded by the inner shells
	cd / && exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
	    bash -c 'set -a; [ ! -f "$1" ] || . "$1"; set +a; shift; exec "$@"' \
	    bash "$envfile" \
	    setpriv --reuid="$user" --regid="$group" "$groups" --no-new-privs \
	    -- sh -c 'umask "$1"; shift; exec "$@"' sh "${umask:-0022}" "$@"
}

# svc_start: starts the service as the unit does.
svc_start() {
	local rt mode cmd i
	if have_systemd; then
		systemctl start "$PKG" || return 1
		SVC_PID=$(systemctl show -p MainPID --value "$PKG")
		wait_for 20 test -S /run/$PKG/fcgi.sock
		return
	fi
	rt=/run/$(unit_values RuntimeDirectory)
	mode=$(unit_values RuntimeDirectoryMode)
	install -d -m "${mode:-0755}" -o "$(unit_values User)" \
	    -g "$(unit_values Group)" "$rt" || return 1
	while IFS= read -r cmd; do
		# shellcheck disable=SC2086 # the unit's command line
		(svc_env_run ${cmd#-}) >>"$T/service.log" 2>&1 || {
			h_note "ExecStartPre failed: $cmd"
			tail -n 20 "$T/service.log" | sed 's/^/#   /' >&2
			return 1
		}
	done < <(unit_values ExecStartPre)
	cmd=$(unit_values ExecStart)
	# shellcheck disable=SC2086
	(svc_env_run $cmd) </dev/null >>"$T/service.log" 2>&1 &
	SVC_PID=$!
	h_bg_register "$SVC_PID"
	for i in $(seq 1 200); do
		[ -S "$rt/fcgi.sock" ] && return 0
		_h_pid_alive "$SVC_PID" || break
		sleep 0.1
		: "$i"
	done
	h_note "the service did not create its socket; end of its log:"
	tail -n 20 "$T/service.log" | sed 's/^/#   /' >&2
	return 1
}

# svc_stop: stops it as systemd would (KillMode=mixed: SIGTERM to the main
# process, which drains the workers) and removes the RuntimeDirectory.
# Returns the exit status of the main process.
svc_stop() {
	local rc=0 timeout
	if have_systemd; then
		systemctl stop "$PKG"
		return
	fi
	[ -n "$SVC_PID" ] || return 0
	timeout=$(unit_values TimeoutStopSec)
	if _h_pid_alive "$SVC_PID"; then
		kill -TERM "$SVC_PID"
		if ! _h_wait_exit "$SVC_PID" "${timeout:-30}"; then
			pkill -KILL -u "$SVC_USER"
			rc=137
		fi
	fi
	wait "$SVC_PID" 2>/dev/null || rc=$?
	SVC_PID=""
	rm -rf "/run/$PKG"
	return "$rc"
}

# svc_reload: the unit's ExecReload lines, with $MAINPID.
svc_reload() {
	local cmd
	if have_systemd; then
		systemctl reload "$PKG"
		return
	fi
	while IFS= read -r cmd; do
		cmd=${cmd//\$MAINPID/$SVC_PID}
		# shellcheck disable=SC2086
		(svc_env_run $cmd) >>"$T/service.log" 2>&1 || return 1
	done < <(unit_values ExecReload)
}

# https PATH [CURL-ARGS...]: through the test nginx, verifying the
# snakeoil certificate for its own name.  Sets H_STATUS and H_BODY.
https() {
	local path=$1
	shift
	H_STATUS=$(curl -sS --max-time 20 --cacert "$SNAKEOIL" \
	    --resolve "$CERT_NAME:$HTTPS_PORT:127.0.0.1" \
	    -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@" \
	    "https://$CERT_NAME:$HTTPS_PORT$path" 2>"$T/curl.err") || true
	H_STATUS=${H_STATUS:-000}
	H_BODY=$(cat "$T/body" 2>/dev/null)
	# shellcheck disable=SC2034 # read by h_header
	H_HDRS=$T/headers
	if [ "$H_STATUS" = 000 ] && [ -z "${HTTPS_QUIET:-}" ]; then
		sed 's/^/#   curl: /' "$T/curl.err" >&2
	fi
}

healthz_ok() {
	https /healthz
	[ "$H_STATUS" = 200 ] && printf '%s' "$H_BODY" | grep -q '"status":"ok"'
}

# ------------------------------------------------------------ 1. build

BUILD=$T/build
SRC=$BUILD/src
mkdir -p "$SRC"
# A clean copy: the files git knows of (tracked or new, not ignored),
# else everything but build products; never the benchmark's work tree.
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$ROOT" && git ls-files -co --exclude-standard -z |
	    while IFS= read -r -d '' f; do
		case $f in
		bench/_build/*) continue ;;
		esac
		[ -e "$f" ] && printf '%s\0' "$f"
	    done | tar --null -T - -cf -) | tar -xf - -C "$SRC"
else
	tar -C "$ROOT" --exclude=.git --exclude='./_build*' --exclude=./var \
	    --exclude=./bench/_build -cf - . | tar -xf - -C "$SRC"
fi
VERSION=$(dpkg-parsechangelog -l "$SRC/debian/changelog" -S Version)
ARCH=$(dpkg --print-architecture)
DEB=$BUILD/${PKG}_${VERSION}_$ARCH.deb
DBGSYM=$BUILD/${PKG}-dbgsym_${VERSION}_$ARCH.deb
CHANGES=$BUILD/${PKG}_${VERSION}_$ARCH.changes

start=$SECONDS
t_ok "dpkg-buildpackage -us -uc -b builds $VERSION" \
    run "$T/build.log" env -C "$SRC" DEB_BUILD_OPTIONS="nocheck parallel=2" \
    dpkg-buildpackage -us -uc -b
h_note "build: $((SECONDS - start)) s"
t_ok "it made ${DEB##*/}" test -s "$DEB"
t_ok "and the debug symbols package ${DBGSYM##*/}" test -s "$DBGSYM"
if [ ! -s "$DEB" ]; then
	t_done
	exit 1
fi
if [ -n "${WFM_PKG_KEEP_BUILD:-}" ]; then
	mkdir -p "$WFM_PKG_KEEP_BUILD" && cp "$BUILD"/*.deb "$BUILD"/*.changes \
	    "$WFM_PKG_KEEP_BUILD"/
fi

lintian --fail-on error,warning --display-level '>=info' "$CHANGES" \
    >"$T/lintian.out" 2>&1
lint_rc=$?
sed -e '/running with root privileges/d' -e 's/^/# lintian: /' "$T/lintian.out"
t_is "$(grep -cE '^[EW]: ' "$T/lintian.out")" 0 "lintian: no errors, no warnings"
t_is "$lint_rc" 0 "lintian --fail-on error,warning exits 0"

t_ok "man pages: mandoc -Tlint shows no warning" \
    mandoc -Tlint -W warning "$ROOT/man/workflow-manager-api.8" \
    "$ROOT/man/workflow-manager-api.conf.5"
missing=""
nkeys=0
while IFS= read -r key; do
	nkeys=$((nkeys + 1))
	grep -q "^\.It Cm $key\( \|$\)" "$ROOT/man/workflow-manager-api.conf.5" ||
	    missing="$missing conf.5:$key"
	grep -Eq "^#?$key =( |\$)" "$ROOT/etc/workflow-manager-api.conf" ||
	    missing="$missing etc:$key"
	grep -q "\`$key\`" "$ROOT/docs/operations.md" ||
	    missing="$missing operations.md:$key"
done < <(sed -n 's/^[[:space:]]*K("\([a-z_]*\)".*/\1/p' "$ROOT/src/conf.c")
t_ok "src/conf.c's key table read ($nkeys keys)" test "$nkeys" -ge 30
t_is "$missing" "" "every key of src/conf.c is in the man page, the shipped file and the guide"

contents=$(dpkg-deb -c "$DEB" | awk '{ print $1, $6 }')
for f in ./usr/sbin/$PKG ./lib/systemd/system/$PKG.service \
    ./etc/nginx/sites-available/$PKG ./usr/share/man/man8/$PKG.8.gz \
    ./usr/share/man/man5/$PKG.conf.5.gz \
    ./usr/share/doc/$PKG/operations.md.gz ./usr/share/doc/$PKG/api.md.gz \
    ./usr/share/$PKG/openapi.json ./usr/share/$PKG/migrations/0001_original_schema.sql; do
	t_like "$contents" " $f\$" "the package has $f"
done
t_like "$contents" "^-rw-r----- \./etc/$PKG/$PKG\.conf$" \
    "the configuration is shipped mode 0640"
t_like "$(dpkg-deb -f "$DEB" Depends)" 'dbconfig-pgsql' "it depends on dbconfig-pgsql"

# ------------------------------------------------------------ 2. PostgreSQL

read -r pgver pgname pgport pgstatus _ < <(pg_lsclusters -h 2>/dev/null | head -n 1)
if [ -z "${pgver:-}" ]; then
	pgver=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -n 1)
	run "$T/pg.log" pg_createcluster "$pgver" main || { t_done; exit 1; }
	PG_CREATED="$pgver main"
	read -r pgver pgname pgport pgstatus _ < <(pg_lsclusters -h | head -n 1)
fi
if [ "$pgstatus" != online ]; then
	run "$T/pg.log" pg_ctlcluster "$pgver" "$pgname" start || { t_done; exit 1; }
	[ -n "$PG_CREATED" ] || PG_STARTED="$pgver $pgname"
fi
t_is "$pgport" 5432 "PostgreSQL cluster $pgver/$pgname runs on the default port"

# Leftovers of an earlier, interrupted run.
if dpkg -s "$PKG" >/dev/null 2>&1; then
	h_note "$PKG is installed already: purging it first"
	pkill -TERM -u "$SVC_USER" 2>/dev/null
	echo "$PKG $PKG/purge boolean true" | debconf-set-selections
	run "$T/pre-purge.log" apt-get purge -y -q "$PKG"
fi
pg_admin "DROP DATABASE IF EXISTS $DBNAME" >/dev/null 2>&1
pg_admin "DROP ROLE IF EXISTS \"$SVC_USER\"" >/dev/null 2>&1

# ------------------------------------------------------------ 3. previous version

# The same package as version $OLD_VERSION, without its newest migration,
# so that the upgrade has a migration to apply.
OLD=$T/old
dpkg-deb -R "$DEB" "$OLD"
sed -i "s/^Version: .*/Version: $OLD_VERSION/" "$OLD/DEBIAN/control"
migs=$(find "$OLD/usr/share/$PKG/migrations" -name '*.sql' | sort)
NMIG=$(printf '%s\n' "$migs" | grep -c .)
NEWEST=$(printf '%s\n' "$migs" | tail -n 1)
NEW_SCHEMA=$((10#$(basename "$NEWEST" | cut -c1-4)))
OLD_SCHEMA=$NEW_SCHEMA
if [ "$NMIG" -gt 1 ]; then
	rm -f "$NEWEST"
	OLD_SCHEMA=$((10#$(basename "$(printf '%s\n' "$migs" | sed -n "$((NMIG - 1))p")" | cut -c1-4)))
fi
(cd "$OLD" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' |
    LC_ALL=C sort -z | xargs -0 md5sum >DEBIAN/md5sums)
OLD_DEB=$BUILD/${PKG}_${OLD_VERSION}_$ARCH.deb
run "$T/old-build.log" dpkg-deb --root-owner-group -b "$OLD" "$OLD_DEB"

INSTALLED_BY_US=1
t_ok "apt-get install ./${OLD_DEB##*/} (noninteractive)" \
    run "$T/install-old.log" apt_install "$OLD_DEB"
sed -n '/Setting up/,$p' "$T/install-old.log" | sed 's/^/# install: /'
t_is "$(dpkg-query -W -f='${Version} ${db:Status-Status}' "$PKG" 2>/dev/null)" \
    "$OLD_VERSION installed" "version $OLD_VERSION is installed"
t_like "$(getent passwd "$SVC_USER")" \
    "^$SVC_USER:x:[0-9]+:[0-9]+:[^:]*:/nonexistent:/usr/sbin/nologin\$" \
    "postinst created the system user (no home, no shell)"
t_ok "the user is a system user" test "$(id -u "$SVC_USER")" -lt 1000
t_is "$(stat_of "$CONF")" "root:$SVC_USER 640" "$CONF is root:$SVC_USER 0640"
t_is "$(stat_of "$DBENV")" "root:$SVC_USER 640" "$DBENV is root:$SVC_USER 0640"
t_ok "$DBENV names the database" grep -q "^WORKFLOW_MANAGER_API_DBNAME=\"$DBNAME\"\$" "$DBENV"
t_is "$(pg_admin "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$DBNAME'")" \
    "$SVC_USER" "dbconfig-common created database $DBNAME owned by role $SVC_USER"
t_is "$(schema_version)" "$OLD_SCHEMA" "postinst migrated the schema to version $OLD_SCHEMA"
if command -v systemd-analyze >/dev/null 2>&1; then
	t_ok "systemd-analyze verify accepts the unit" \
	    run "$T/verify.log" systemd-analyze verify "$UNIT"
	[ ! -s "$T/verify.log" ] || sed 's/^/# verify: /' "$T/verify.log"
fi
t_ok "the nginx site is installed" test -f "$SITE"
t_ok "and not enabled" test ! -e /etc/nginx/sites-enabled/$PKG

t_ok "the service starts as the unit says" svc_start
t_like "$(ps -o user:32=,group:32=,supgrp:64= -p "$SVC_PID" 2>/dev/null)" \
    "^$SVC_USER +www-data +$SVC_USER\$" \
    "it runs as $SVC_USER, group www-data, supplementary group $SVC_USER"
t_is "$(stat_of /run/$PKG)" "$SVC_USER:www-data 750" "/run/$PKG is $SVC_USER:www-data 0750"
t_is "$(stat_of /run/$PKG/fcgi.sock)" "$SVC_USER:www-data 660" "the socket is $SVC_USER:www-data 0660"
five_procs() {
	[ "$(pgrep -c -u "$SVC_USER")" = 5 ]
}
t_ok "supervisor and 4 workers run" wait_for 10 five_procs

# ------------------------------------------------------------ upgrade

t_ok "apt-get install ./${DEB##*/} upgrades $OLD_VERSION to $VERSION" \
    run "$T/install.log" apt_install "$DEB"
sed -n '/Setting up/,$p' "$T/install.log" | sed 's/^/# upgrade: /'
t_is "$(dpkg-query -W -f='${Version} ${db:Status-Status}' "$PKG")" \
    "$VERSION installed" "version $VERSION is installed"
t_is "$(schema_version)" "$NEW_SCHEMA" "the upgrade migrated the schema to version $NEW_SCHEMA"
# systemd restarts the service after an upgrade (dh_installsystemd).
if ! have_systemd; then
	svc_stop
	t_is "$?" 0 "the old service stopped cleanly (status 0)"
	t_ok "the new service starts" svc_start
fi

# ------------------------------------------------------------ 4. nginx, TLS

run "$T/nginx-t.log" bash -c "ln -sf $SITE /etc/nginx/sites-enabled/$PKG && nginx -t"
ENABLED_LINK=/etc/nginx/sites-enabled/$PKG
t_ok "enabled as documented (sites-enabled link), the site passes nginx -t" \
    grep -q 'test is successful' "$T/nginx-t.log"
rm -f "$ENABLED_LINK"
ENABLED_LINK=""

if [ ! -s "$SNAKEOIL" ]; then
	run "$T/snakeoil.log" make-ssl-cert generate-default-snakeoil --force-overwrite
fi
CERT_NAME=$(openssl x509 -in "$SNAKEOIL" -noout -ext subjectAltName 2>/dev/null |
    grep -o 'DNS:[^,]*' | head -n 1 | cut -d: -f2)
if [ -z "$CERT_NAME" ]; then
	CERT_NAME=$(openssl x509 -in "$SNAKEOIL" -noout -subject -nameopt multiline |
	    sed -n 's/^ *commonName *= *//p')
fi
HTTPS_PORT=$(free_port)
NGINX_DIR=$T/nginx
mkdir -p "$NGINX_DIR/logs" "$NGINX_DIR/tmp"
# The installed site, as is but for the port (loopback) and the log files.
sed -e "s|listen 443 |listen 127.0.0.1:$HTTPS_PORT |" -e '/listen \[::\]:443 /d' \
    -e "s|/var/log/nginx/|$NGINX_DIR/logs/|g" "$SITE" >"$NGINX_DIR/site.conf"
cp /etc/nginx/fastcgi_params "$NGINX_DIR/"
cat >"$NGINX_DIR/nginx.conf" <<EOF
user www-data;
worker_processes 1;
daemon off;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/logs/error.log notice;
events {
    worker_connections 64;
}
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $NGINX_DIR/logs/access.log;
    client_body_temp_path $NGINX_DIR/tmp/client_body;
    fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
    proxy_temp_path $NGINX_DIR/tmp/proxy;
    uwsgi_temp_path $NGINX_DIR/tmp/uwsgi;
    scgi_temp_path $NGINX_DIR/tmp/scgi;
    include $NGINX_DIR/site.conf;
}
EOF
nginx -p "$NGINX_DIR/" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/logs/error.log" \
    </dev/null >>"$NGINX_DIR/logs/nginx.out" 2>&1 &
echo "$!" >"$NGINX_DIR/harness-nginx.pid"
h_bg_register "$!"
up() {
	HTTPS_QUIET=1 https /ping
	[ "$H_STATUS" != 000 ]
}
t_ok "nginx (as www-data) serves the site on 127.0.0.1:$HTTPS_PORT as $CERT_NAME" \
    wait_for 15 up

https /ping
t_is "$H_STATUS" 200 "GET /ping through nginx over verified TLS: 200"
t_like "$(h_header X-Request-Id)" '^[0-9a-f]{32}$' "with nginx's X-Request-Id"
https /healthz
t_is "$H_STATUS" 200 "GET /healthz: 200"
t_like "$H_BODY" "\"status\":\"ok\".*\"schema_version\":$NEW_SCHEMA" \
    "/healthz: database reachable, schema version $NEW_SCHEMA"
https /metrics
t_is "$H_STATUS" 200 "GET /metrics from loopback: 200"
t_like "$H_BODY" "workflow_manager_api_workers_configured 4" "/metrics counts the workers"

TOKEN=$(openssl rand -hex 24)
BODY='{"version":{"released":"2017-06-01T00:00:00Z","data":{"description":"package test"}}}'
https /v3/versions/stable/deis-router/v2.13.3 -X POST \
    -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" -d "$BODY"
t_is "$H_STATUS" 403 "publishing before a token is configured: 403"
{
	echo "# added by tests/package/run.sh"
	echo "publish_token = $(printf '%s\n' "$TOKEN" | /usr/sbin/$PKG hash-token) trains=stable"
} >>"$CONF"
t_ok "systemctl reload (ExecReload: -t, then SIGHUP)" svc_reload
sleep 1
t_like "$(cat "$T/service.log" 2>/dev/null)" "reloading $CONF" "the daemon reloaded its configuration"
https /v3/versions/stable/deis-router/v2.13.3 -X POST \
    -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" -d "$BODY"
t_is "$H_STATUS" 200 "publishing with the token after the reload: 200"
https /v3/versions/stable/deis-router/latest
t_is "$H_STATUS" 200 "GET .../stable/deis-router/latest: 200"
t_like "$H_BODY" '"version":"v2\.13\.3"' "latest is the release just published"
https /v3/versions/stable/deis-router/v2.13.4 -X POST \
    -H 'Content-Type: application/json' -H "Authorization: Bearer wrong-token-0123456789" -d "$BODY"
t_is "$H_STATUS" 401 "a wrong token: 401"

# ------------------------------------------------------------ 5. re-runs

t_ok "dpkg-reconfigure $PKG (noninteractive) runs again" \
    run "$T/reconfigure.log" dpkg-reconfigure -f noninteractive "$PKG"
t_ok "apt-get install --reinstall runs the maintainer scripts again" \
    run "$T/reinstall.log" apt_install --reinstall "$DEB"
t_is "$(getent passwd | grep -c "^$SVC_USER:")" 1 "still one $SVC_USER user"
t_is "$(stat_of "$CONF")" "root:$SVC_USER 640" "the configuration keeps root:$SVC_USER 0640"
t_ok "the configuration keeps the local change (publish_token)" grep -q '^publish_token = ' "$CONF"
t_is "$(schema_version)" "$NEW_SCHEMA" "the schema is unchanged"
if ! have_systemd; then
	svc_stop
	svc_start
fi
t_ok "/healthz after the re-runs" wait_for 10 healthz_ok

# Other database connections, the documented way: edit dbconfig-common's
# answers in /etc/dbconfig-common/, then dpkg-reconfigure without
# reinstalling the database (that would empty it).  First the local Unix
# socket with peer ("ident") authentication, then a database elsewhere
# (here 127.0.0.1:5432) over TCP/IP with the role's password, as for a
# remote database.
DBC_CONF=/etc/dbconfig-common/$PKG.conf
DBPASS=$(sed -n "s/^dbc_dbpass='\(.*\)'\$/\1/p" "$DBC_CONF")
# dbc_answers SERVER PORT AUTHMETHOD PASSWORD
dbc_answers() {
	sed -i -e "s/^dbc_dbserver=.*/dbc_dbserver='$1'/" \
	    -e "s/^dbc_dbport=.*/dbc_dbport='$2'/" \
	    -e "s/^dbc_authmethod_user=.*/dbc_authmethod_user='$3'/" \
	    -e "s/^dbc_dbpass=.*/dbc_dbpass='$4'/" "$DBC_CONF"
	echo "$PKG $PKG/dbconfig-reinstall boolean false" | debconf-set-selections
}
reconnect() {
	if have_systemd; then
		systemctl restart "$PKG"
	else
		svc_stop
		svc_start
	fi
}
dbc_answers "" "" ident ""
t_ok "dpkg-reconfigure: Unix socket, peer authentication" \
    run "$T/reconfigure-socket.log" dpkg-reconfigure -f noninteractive "$PKG"
t_is "$(grep -E '^WORKFLOW_MANAGER_API_DB(URL|PASS)=' "$DBENV" | tr '\n' ' ')" \
    'WORKFLOW_MANAGER_API_DBPASS="" WORKFLOW_MANAGER_API_DBURL="" ' \
    "$DBENV: no host (the socket), no password"
reconnect
t_ok "/healthz over the Unix socket" wait_for 10 healthz_ok
t_is "$(pg_admin "SELECT count(*) FROM pg_stat_activity WHERE usename = '$SVC_USER' AND client_addr IS NULL")" \
    4 "the 4 workers are connected over the Unix socket"

dbc_answers 127.0.0.1 5432 password "$DBPASS"
t_ok "dpkg-reconfigure: a database at 127.0.0.1:5432 over TCP/IP, with a password" \
    run "$T/reconfigure-tcp.log" dpkg-reconfigure -f noninteractive "$PKG"
t_is "$(grep -E '^WORKFLOW_MANAGER_API_DB(URL|PASS)=' "$DBENV" | tr '\n' ' ')" \
    "WORKFLOW_MANAGER_API_DBPASS=\"$DBPASS\" WORKFLOW_MANAGER_API_DBURL=\"127.0.0.1:5432\" " \
    "$DBENV: host, port and password"
reconnect
t_ok "/healthz over TCP" wait_for 10 healthz_ok
t_is "$(pg_admin "SELECT count(*) FROM pg_stat_activity WHERE usename = '$SVC_USER' AND client_addr = '127.0.0.1'")" \
    4 "the 4 workers are connected over TCP"
https /v3/versions/stable/deis-router/latest
t_like "$H_BODY" '"version":"v2\.13\.3"' "the data is still there"

# ------------------------------------------------------------ 6. remove, purge

nginx_stop "$NGINX_DIR"
NGINX_DIR=""
svc_stop
t_is "$?" 0 "the service stops cleanly (status 0)"
# The purge question is asked when the package is removed.
echo "$PKG $PKG/purge boolean true" | debconf-set-selections
t_ok "apt-get remove (agreeing to drop the database on purge)" \
    run "$T/remove.log" apt-get remove -y -q "$PKG"
sed -n '/Removing/,$p' "$T/remove.log" | sed 's/^/# remove: /'
t_is "$(dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null)" config-files \
    "after remove, only the configuration is left"
t_ok "the daemon is gone" test ! -e /usr/sbin/$PKG
t_ok "the configuration is kept" test -f "$CONF"
dumps=$(find /var/tmp -maxdepth 1 -name "$PKG.$DBNAME.*" -newer "$T/build.log" 2>/dev/null)
t_like "$dumps" "$PKG\.$DBNAME\." "dbconfig-common kept a dump in /var/tmp before dropping"
# shellcheck disable=SC2086 # file names without blanks
[ -z "$dumps" ] || rm -f $dumps

t_ok "apt-get purge" \
    run "$T/purge.log" apt-get purge -y -q "$PKG"
sed -n '/Purging/,$p' "$T/purge.log" | sed 's/^/# purge: /'
t_like "$(dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null)" '^(not-installed)?$' \
    "the package is purged"
t_is "$(pgrep -u "$SVC_USER" | tr '\n' ' ')" "" "no process of $SVC_USER is left"
left=""
for f in /etc/$PKG /usr/share/$PKG /usr/sbin/$PKG /run/$PKG "$UNIT" "$SITE" \
    /etc/dbconfig-common/$PKG.conf /usr/share/man/man8/$PKG.8.gz \
    /usr/share/doc/$PKG; do
	[ -e "$f" ] && left="$left $f"
done
t_is "$left" "" "no file of the package is left"
t_is "$(pg_admin "SELECT count(*) FROM pg_database WHERE datname = '$DBNAME'")" 0 \
    "the database is dropped"
t_is "$(pg_admin "SELECT count(*) FROM pg_roles WHERE rolname = '$SVC_USER'")" 0 \
    "the database role is dropped"
INSTALLED_BY_US=0

t_done
