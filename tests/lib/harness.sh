# shellcheck shell=bash disable=SC2034 # globals (WFM_PID, H_BODY, ...) are for callers
# tests/lib/harness.sh: shared shell harness for the tests and the scripts.
#
# Source it from bash:  . "$top_srcdir/tests/lib/harness.sh"
#
# It starts private instances of everything the service needs, each under
# a directory of its own (from mktemp -d, or var/ for script/server):
#   PostgreSQL   pg_start / pg_stop / pg_restart (Unix socket only)
#   TLS          tls_make (a local CA and a localhost certificate)
#   nginx        nginx_start / nginx_stop (the production site file,
#                rendered for a loopback port)
#   the daemon   wfm_write_conf / wfm_start / wfm_stop
# and remembers all of it, so that h_init's trap stops every process it
# started and removes the temporary directories, whatever happens.  Nothing
# here uses a fixed port or a fixed /tmp path, so tests can run in parallel.
#
# Running as root: PostgreSQL's commands run as the `postgres' user
# (runuser), the daemon drops to nobody:nogroup (see wfm_write_conf) and
# nginx runs its workers as nobody:nogroup, so it can reach the socket.
#
# Test output: t_ok, t_is, t_like, t_pass, t_fail print TAP-like lines
# ("ok 3 - description") and count; they return 0 even when the check
# fails, so a test under `set -e' goes on.  t_done prints the summary in
# Check's format, "100%: Checks: N, Failures: F, Errors: 0", and returns 1
# when a check failed.
#
# Environment it reads (all optional):
#   top_srcdir, top_builddir   set by automake; default: this file's tree
#   WFM_BIN                    the daemon (default $top_builddir/workflow-manager-api)
#   PG_BINDIR                  PostgreSQL server binaries (default: pg_bindir)
#   HARNESS_PG_DURABLE=1       keep fsync on (script/server)
#   HARNESS_KEEP=1             keep the temporary directory at exit
#   HARNESS_NGINX_RATE, HARNESS_NGINX_BURST, HARNESS_NGINX_CONN
#                              override the site's write-route limits
#                              (e.g. 1000r/s, 2000, 1000) for load tests
#
# Every function returns non-zero on failure and says why on stderr; none
# of them exits the shell itself.

# ------------------------------------------------------------------ setup

HARNESS_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HARNESS_SRCDIR=$(cd "${top_srcdir:-$HARNESS_LIB_DIR/../..}" && pwd)
HARNESS_BUILDDIR=$(cd "${top_builddir:-$HARNESS_SRCDIR}" && pwd)
WFM_BIN=${WFM_BIN:-$HARNESS_BUILDDIR/workflow-manager-api}
HARNESS_SITE=${HARNESS_SITE:-$HARNESS_SRCDIR/etc/nginx/workflow-manager-api.conf}

# runuser lives in /usr/sbin, which a non-login root PATH may lack.
_H_RUNUSER=$(command -v runuser 2>/dev/null || echo /usr/sbin/runuser)

# What was started, for the exit trap.
_H_PG_DIRS=()
_H_NGINX_DIRS=()
_H_WFM_DIRS=()
_H_TMPDIRS=()
_H_BG_PIDS=()
_H_IS_TEST=0

# Test counters.
_T_N=0
_T_FAIL=0
_T_DONE=0

# h_note MESSAGE...: a diagnostic line ("# ...") on stderr.
h_note() {
	printf '# %s\n' "$*" >&2
}

# h_is_root: true when running as root.
h_is_root() {
	[ "$(id -u)" -eq 0 ]
}

# h_as_pg CMD...: runs CMD as the PostgreSQL server user: `postgres' via
# runuser when root, else the current user.  Runs from / so that a
# private current directory does not bother the postgres user.
h_as_pg() {
	if h_is_root; then
		(cd / && "$_H_RUNUSER" -u postgres -- "$@")
	else
		"$@"
	fi
}

# h_reachable USER PATH: true when USER may open PATH (traverse every
# parent, read the file or search the directory).  Always true when not
# root, since everything then runs as the current user.
h_reachable() {
	local user=$1 path=$2
	h_is_root || return 0
	if [ -d "$path" ]; then
		(cd / && "$_H_RUNUSER" -u "$user" -- test -x "$path" -a -r "$path")
	else
		(cd / && "$_H_RUNUSER" -u "$user" -- test -r "$path")
	fi 2>/dev/null
}

# h_public_path SRC DIR: prints a path to SRC (file or directory) that the
# unprivileged daemon user can read: SRC itself when it can, otherwise a
# copy made under DIR (e.g. a checkout under /root, mode 0700).
h_public_path() {
	local src=$1 dir=$2 dst
	if h_reachable nobody "$src"; then
		printf '%s\n' "$src"
		return 0
	fi
	dst=$dir/public/$(basename "$src")
	mkdir -p "$dir/public" || return 1
	rm -rf "$dst"
	cp -R "$src" "$dst" || return 1
	chmod -R a+rX "$dir/public"
	printf '%s\n' "$dst"
}

# h_tmpdir [NAME]: creates a fresh directory with mktemp -d (mode 0755, so
# that postgres and nobody can traverse it), prints its path.  Uses
# $TMPDIR unless root's users cannot reach it, then /tmp.  The caller
# removes it, or registers it with h_cleanup_dir (h_init does both).
h_tmpdir() {
	local base=${TMPDIR:-/tmp} d
	if h_is_root && ! h_reachable postgres "$base"; then
		base=/tmp
	fi
	d=$(mktemp -d "$base/wfm-${1:-test}.XXXXXX") || return 1
	chmod 755 "$d"
	printf '%s\n' "$d"
}

# h_cleanup_dir DIR: removes DIR at exit (unless HARNESS_KEEP=1).
h_cleanup_dir() {
	_H_TMPDIRS+=("$1")
}

# h_bg_register PID: kills PID (TERM) at exit if it still runs.
h_bg_register() {
	_H_BG_PIDS+=("$1")
}

# h_init [NAME] [test|script]: the trap helper.  Creates the temporary
# directory $T (unless NAME is "-": then $T is left alone), and installs
# traps so that on any exit every PostgreSQL, nginx and daemon started
# through this file is stopped, background pids registered with
# h_bg_register are killed and the temporary directories are removed.
# On failure (non-zero status, or a failed check) it first prints the
# tails of the logs.  With mode "test" (the default) an early exit
# before t_done is reported as a Check error line.
h_init() {
	local name=${1:-test} mode=${2:-test}
	[ "$mode" = test ] && _H_IS_TEST=1
	if [ "$name" != - ]; then
		T=$(h_tmpdir "$name") || return 1
		h_cleanup_dir "$T"
		export T
	fi
	trap _h_on_exit EXIT
	trap '_h_on_signal 130' INT
	trap '_h_on_signal 143' TERM
	trap '_h_on_signal 129' HUP
}

_H_SIGNALLED=0
_h_on_signal() {
	trap - INT TERM HUP
	_H_SIGNALLED=1
	h_note "interrupted, stopping"
	exit "$1"
}

# h_log_tails: prints the last lines of every log of what was started.
h_log_tails() {
	local d f
	for d in "${_H_WFM_DIRS[@]}"; do
		[ -f "$d/wfm.log" ] && _h_tail "$d/wfm.log" 60
	done
	for d in "${_H_NGINX_DIRS[@]}"; do
		for f in "$d/logs/error.log" "$d/logs/workflow-manager-api.error.log" \
		    "$d/logs/nginx.out"; do
			[ -s "$f" ] && _h_tail "$f" 30
		done
	done
	for d in "${_H_PG_DIRS[@]}"; do
		[ -f "$d/pg.log" ] && _h_tail "$d/pg.log" 30
	done
	return 0
}

_h_tail() {
	printf '#\n# ---- last %s lines of %s\n' "$2" "$1"
	tail -n "$2" "$1" | sed 's/^/#   /'
}

# h_stop_all: stops everything that was started (daemon, nginx, background
# pids, PostgreSQL), in that order.  Safe to call more than once.
h_stop_all() {
	local d p
	for d in "${_H_WFM_DIRS[@]}"; do
		_h_pid_alive "$(_h_pidfile "$d/wfm.pid")" && wfm_stop "$d" 15 >/dev/null 2>&1
	done
	for d in "${_H_NGINX_DIRS[@]}"; do
		nginx_stop "$d" >/dev/null 2>&1
	done
	for p in "${_H_BG_PIDS[@]}"; do
		if _h_pid_alive "$p"; then
			kill -TERM "$p" 2>/dev/null
			wait "$p" 2>/dev/null
		fi
	done
	for d in "${_H_PG_DIRS[@]}"; do
		pg_stop "$d" >/dev/null 2>&1
	done
	return 0
}

_h_on_exit() {
	local rc=$? d
	set +e
	trap - EXIT INT TERM HUP
	if [ "$_H_IS_TEST" -eq 1 ] && [ "$_T_DONE" -eq 0 ]; then
		# Died before t_done: count it as one error, like a crashed
		# Check test.
		printf 'not ok %d - test script ended early with status %d\n' \
		    $((_T_N + 1)) "$rc"
		_t_summary 1
		[ "$rc" -eq 0 ] && rc=1
	fi
	# Log tails on failure (not when stopped by a signal: that is how
	# script/server ends).
	if { [ "$rc" -ne 0 ] && [ "$_H_SIGNALLED" -eq 0 ]; } || [ "$_T_FAIL" -ne 0 ]; then
		h_log_tails
	fi
	h_stop_all
	if [ "${HARNESS_KEEP:-0}" = 1 ]; then
		[ "${#_H_TMPDIRS[@]}" -gt 0 ] && h_note "kept ${_H_TMPDIRS[*]}"
	else
		for d in "${_H_TMPDIRS[@]}"; do
			rm -rf "$d"
		done
	fi
	exit "$rc"
}

# ------------------------------------------------------------------ helpers

# wait_for TIMEOUT CMD...: runs CMD every 0.1 s until it succeeds (returns
# 0) or TIMEOUT seconds (an integer) have passed (returns 1).
wait_for() {
	local timeout=$1 i=0
	shift
	while [ "$i" -lt $((timeout * 10)) ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	"$@"
}

# _h_pid_alive PID: true when the process exists and is not a zombie.
_h_pid_alive() {
	local pid=$1 st
	[ -n "$pid" ] || return 1
	st=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null) || return 1
	st=${st%% *}
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

_h_pidfile() {
	[ -f "$1" ] && head -n 1 "$1"
}

# _h_wait_exit PID TIMEOUT: waits until PID is gone (or a zombie).
_h_wait_exit() {
	local pid=$1 i=0
	while [ "$i" -lt $(($2 * 10)) ]; do
		_h_pid_alive "$pid" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	! _h_pid_alive "$pid"
}

# free_port: prints a random free TCP port in 20000-45000 (no listener on
# any address, checked with ss -ltn).
free_port() {
	local i p
	for i in $(seq 1 200); do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
		if [ -z "$(ss -Htln "sport = :$p" 2>/dev/null)" ]; then
			printf '%s\n' "$p"
			return 0
		fi
		: "$i"
	done
	h_note "free_port: no free port found"
	return 1
}

# ------------------------------------------------------------------ PostgreSQL

# pg_bindir: prints the directory of the PostgreSQL server programs
# (initdb, pg_ctl, postgres): $PG_BINDIR, else `pg_config --bindir', else
# the newest /usr/lib/postgresql/*/bin (Debian keeps them off PATH).
# Fails when no initdb is found.
pg_bindir() {
	local d
	if [ -n "${PG_BINDIR:-}" ] && [ -x "$PG_BINDIR/initdb" ]; then
		printf '%s\n' "$PG_BINDIR"
		return 0
	fi
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null)
		if [ -n "$d" ] && [ -x "$d/initdb" ]; then
			printf '%s\n' "$d"
			return 0
		fi
	fi
	for d in $(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin \
	    2>/dev/null | sort -t/ -k5,5rn); do
		if [ -x "$d/initdb" ]; then
			printf '%s\n' "$d"
			return 0
		fi
	done
	return 1
}

# pg_start DIR [DBNAME]: starts a private PostgreSQL whose data is in
# DIR/data, listening only on the Unix socket DIR/.s.PGSQL.5432 (mode
# 0777; no TCP), logging to DIR/pg.log.  Runs initdb first when DIR/data
# does not exist (-A trust -U postgres -E UTF8 --locale=C.UTF-8, and
# --no-sync plus fsync=off unless HARNESS_PG_DURABLE=1).  When root, DIR
# belongs to postgres and every server command runs as postgres.  Creates
# database DBNAME (default wfm) when missing.  Exports PGHOST=DIR,
# PGUSER=postgres, PGDATABASE=DBNAME, unsets the other PG* variables (and
# the original service's WORKFLOW_MANAGER_API_DB* ones) and puts the
# server binaries first on PATH.  Sets HARNESS_PG_DIR.
pg_start() {
	local dir=$1 db=${2:-${PGDATABASE:-wfm}} bindir fsync nosync='' v d
	bindir=$(pg_bindir) || {
		h_note "pg_start: PostgreSQL server binaries (initdb) not found"
		return 1
	}
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd)
	if [ "${#dir}" -gt 90 ]; then
		h_note "pg_start: $dir is too long for a Unix socket path"
		return 1
	fi
	chmod 755 "$dir"
	if h_is_root; then
		chown postgres:postgres "$dir" || return 1
		[ -d "$dir/data" ] && chown -R postgres:postgres "$dir/data"
		if ! h_reachable postgres "$dir"; then
			d=$dir
			while [ "$d" != / ]; do
				d=$(dirname "$d")
				h_reachable postgres "$d" || break
			done
			h_note "pg_start: the postgres user cannot reach $dir ($d is not searchable)"
			return 1
		fi
	fi
	if [ "${HARNESS_PG_DURABLE:-0}" = 1 ]; then
		fsync=
	else
		fsync="-c fsync=off"
		nosync=--no-sync
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		# shellcheck disable=SC2086 # $nosync is one word or none
		if ! h_as_pg "$bindir/initdb" -D "$dir/data" -A trust -U postgres \
		    -E UTF8 --locale=C.UTF-8 $nosync >"$dir/initdb.log" 2>&1; then
			h_note "pg_start: initdb failed:"
			sed 's/^/#   /' "$dir/initdb.log" >&2
			return 1
		fi
	fi
	_h_register _H_PG_DIRS "$dir"
	if ! h_as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w -t 60 \
	    -o "-k '$dir' -c listen_addresses='' -c unix_socket_permissions=0777 $fsync" \
	    start >/dev/null; then
		h_note "pg_start: pg_ctl start failed"
		[ -f "$dir/pg.log" ] && tail -n 20 "$dir/pg.log" | sed 's/^/#   /' >&2
		return 1
	fi
	for v in PGPORT PGHOSTADDR PGSERVICE PGSERVICEFILE PGPASSWORD \
	    PGPASSFILE PGOPTIONS PGSSLMODE PGREQUIRESSL PGCONNECT_TIMEOUT \
	    PGTARGETSESSIONATTRS PGAPPNAME PGSYSCONFDIR PGTZ PGDATESTYLE \
	    PGCLIENTENCODING PGDATA PGCLUSTER \
	    WORKFLOW_MANAGER_API_DBUSER WORKFLOW_MANAGER_API_DBPASS \
	    WORKFLOW_MANAGER_API_DBURL WORKFLOW_MANAGER_API_DBNAME \
	    DBUSER DBPASS DBURL DBNAME; do
		unset "$v"
	done
	export PGHOST=$dir PGUSER=postgres PGDATABASE=$db
	case ":$PATH:" in
	*":$bindir:"*) ;;
	*) PATH=$bindir:$PATH ;;
	esac
	export PATH
	HARNESS_PG_DIR=$dir
	if [ "$(psql -X -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
		createdb "$db" || {
			h_note "pg_start: createdb $db failed"
			return 1
		}
	fi
}

# pg_stop DIR: stops the PostgreSQL of DIR (fast mode: connections are
# cut), if it runs.
pg_stop() {
	local dir=$1 bindir
	bindir=$(pg_bindir) || return 1
	[ -f "$dir/data/postmaster.pid" ] || return 0
	h_as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
}

# pg_restart [DIR]: stops and starts it again (default $HARNESS_PG_DIR),
# keeping the data.
pg_restart() {
	local dir=${1:-$HARNESS_PG_DIR}
	pg_stop "$dir" && pg_start "$dir" "${PGDATABASE:-wfm}"
}

# pg_conninfo: a libpq conninfo for the database of the last pg_start.
pg_conninfo() {
	printf 'host=%s dbname=%s user=postgres\n' "$PGHOST" "$PGDATABASE"
}

# ------------------------------------------------------------------ TLS

# tls_make DIR: a local certificate authority DIR/ca.pem (key ca.key) and
# a server certificate DIR/server.pem (key server.key) for localhost,
# subjectAltName DNS:localhost, IP:127.0.0.1, IP:::1, signed by it (EC
# P-256).  Idempotent: an existing pair that verifies is kept.  Clients
# use `curl --cacert DIR/ca.pem https://localhost:PORT/'.
tls_make() {
	local dir=$1
	mkdir -p "$dir" || return 1
	if [ -s "$dir/ca.pem" ] && [ -s "$dir/ca.key" ] && [ -s "$dir/server.pem" ] &&
	    [ -s "$dir/server.key" ] &&
	    openssl verify -CAfile "$dir/ca.pem" "$dir/server.pem" >/dev/null 2>&1 &&
	    openssl x509 -checkend 86400 -noout -in "$dir/server.pem" >/dev/null 2>&1; then
		return 0
	fi
	(
		set -e
		umask 077
		cd "$dir"
		openssl ecparam -name prime256v1 -genkey -noout -out ca.key
		openssl req -x509 -new -key ca.key -sha256 -days 3650 \
		    -subj "/CN=workflow-manager-api test CA $(hostname 2>/dev/null || echo local)" \
		    -addext "basicConstraints=critical,CA:TRUE" \
		    -addext "keyUsage=critical,keyCertSign,cRLSign" \
		    -out ca.pem
		openssl ecparam -name prime256v1 -genkey -noout -out server.key
		openssl req -new -key server.key -subj "/CN=localhost" -out server.csr
		cat >server.ext <<-'EOF'
		basicConstraints = critical,CA:FALSE
		keyUsage = critical,digitalSignature,keyEncipherment
		extendedKeyUsage = serverAuth
		subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
		EOF
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
		    -CAcreateserial -days 825 -sha256 -extfile server.ext \
		    -out server.pem 2>/dev/null
		rm -f server.csr server.ext ca.srl
		chmod 644 ca.pem server.pem
		openssl verify -CAfile ca.pem server.pem >/dev/null
	) || {
		h_note "tls_make: openssl failed in $dir"
		return 1
	}
}

# ------------------------------------------------------------------ nginx

# nginx_render DIR PORT SOCKET TLSDIR: writes DIR/site.conf, the
# production site file with the test substitutions documented at its top
# (loopback port, certificate, socket, log directory), and DIR/nginx.conf
# around it.
nginx_render() {
	local dir=$1 port=$2 sock=$3 tls=$4 v6 tok
	mkdir -p "$dir/logs" "$dir/tmp" || return 1
	chmod 755 "$dir"
	if grep -qi '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null; then
		v6="s|listen \[::\]:443 |listen [::1]:$port |"
	else
		v6='/listen \[::\]:443 /d'
	fi
	sed -e "s|listen 443 |listen 127.0.0.1:$port |" \
	    -e "$v6" \
	    -e "s|/etc/ssl/certs/ssl-cert-snakeoil.pem|$tls/server.pem|" \
	    -e "s|/etc/ssl/private/ssl-cert-snakeoil.key|$tls/server.key|" \
	    -e "s|unix:/run/workflow-manager-api/fcgi.sock|unix:$sock|g" \
	    -e "s|/var/log/nginx/|$dir/logs/|g" \
	    -e "s|rate=10r/s|rate=${HARNESS_NGINX_RATE:-10r/s}|" \
	    -e "s|burst=20 |burst=${HARNESS_NGINX_BURST:-20} |g" \
	    -e "s|limit_conn wfm_conn 20;|limit_conn wfm_conn ${HARNESS_NGINX_CONN:-20};|g" \
	    "$HARNESS_SITE" >"$dir/site.conf" || return 1
	for tok in 'listen 443 ' 'listen \[::\]:443 ' 'ssl-cert-snakeoil' \
	    '/run/workflow-manager-api/' '/var/log/nginx/'; do
		if grep -q -- "$tok" "$dir/site.conf"; then
			h_note "nginx_render: '$tok' left in the rendered site file; update the harness"
			return 1
		fi
	done
	if ! grep -q "listen 127.0.0.1:$port " "$dir/site.conf"; then
		h_note "nginx_render: no 'listen 443 ' line in $HARNESS_SITE"
		return 1
	fi
	cp /etc/nginx/fastcgi_params "$dir/fastcgi_params" || return 1
	{
		if h_is_root; then
			echo "user nobody nogroup;"
		fi
		cat <<-EOF
		worker_processes 2;
		daemon off;
		pid $dir/nginx.pid;
		error_log $dir/logs/error.log notice;
		events {
		    worker_connections 512;
		}
		http {
		    default_type application/octet-stream;
		    access_log $dir/logs/access.log;
		    client_body_temp_path $dir/tmp/client_body;
		    fastcgi_temp_path $dir/tmp/fastcgi;
		    proxy_temp_path $dir/tmp/proxy;
		    uwsgi_temp_path $dir/tmp/uwsgi;
		    scgi_temp_path $dir/tmp/scgi;
		    include $dir/site.conf;
		}
		EOF
	} >"$dir/nginx.conf"
}

# nginx_test DIR: nginx -t of a rendered DIR/nginx.conf.
nginx_test() {
	local dir=$1
	nginx -t -q -p "$dir/" -c "$dir/nginx.conf" -e "$dir/logs/error.log"
}

# _h_https_up PORT CA: true when https://localhost:PORT/ answers anything
# over a verified TLS connection.
_h_https_up() {
	local code
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
	    --cacert "$2" "https://localhost:$1/ping" 2>/dev/null)
	[ -n "$code" ] && [ "$code" != 000 ]
}

# nginx_start DIR PORT SOCKET [TLSDIR]: renders the site (nginx_render;
# TLSDIR defaults to DIR/tls and gets a tls_make pair when it has none),
# checks it with nginx -t and starts `nginx -p DIR -c DIR/nginx.conf' in
# the foreground of a background job (pid in DIR/harness-nginx.pid); logs
# go to DIR/logs.  Waits until https://localhost:PORT answers with a
# verified certificate.  Exports HARNESS_NGINX_PORT and HARNESS_CA (the CA
# to give curl).
nginx_start() {
	local dir=$1 port=$2 sock=$3 tls=${4:-$1/tls} pid
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd)
	[ -s "$tls/server.pem" ] || tls_make "$tls" || return 1
	tls=$(cd "$tls" && pwd)
	nginx_render "$dir" "$port" "$sock" "$tls" || return 1
	if ! nginx_test "$dir" 2>"$dir/logs/nginx-t.out"; then
		h_note "nginx_start: nginx -t failed:"
		sed 's/^/#   /' "$dir/logs/nginx-t.out" >&2
		return 1
	fi
	nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/logs/error.log" \
	    </dev/null >>"$dir/logs/nginx.out" 2>&1 &
	pid=$!
	echo "$pid" >"$dir/harness-nginx.pid"
	_h_register _H_NGINX_DIRS "$dir"
	export HARNESS_NGINX_PORT=$port HARNESS_CA=$tls/ca.pem
	if ! wait_for 15 _h_https_up "$port" "$tls/ca.pem"; then
		h_note "nginx_start: nginx does not answer on port $port"
		_h_pid_alive "$pid" || h_note "nginx_start: nginx exited"
		[ -f "$dir/logs/error.log" ] && tail -n 20 "$dir/logs/error.log" | sed 's/^/#   /' >&2
		return 1
	fi
}

# nginx_stop DIR: stops that nginx (SIGQUIT: finish requests; SIGKILL
# after 10 s).
nginx_stop() {
	local dir=$1 pid
	pid=$(_h_pidfile "$dir/harness-nginx.pid") || return 0
	[ -n "$pid" ] || return 0
	if _h_pid_alive "$pid"; then
		kill -QUIT "$pid" 2>/dev/null
		if ! _h_wait_exit "$pid" 10; then
			h_note "nginx_stop: nginx $pid did not stop, killing it"
			pkill -KILL -P "$pid" 2>/dev/null
			kill -KILL "$pid" 2>/dev/null
		fi
	fi
	wait "$pid" 2>/dev/null
	rm -f "$dir/harness-nginx.pid"
	return 0
}

# ------------------------------------------------------------------ daemon

# wfm_write_conf FILE SOCKET [WORKDIR]: writes a daemon configuration for
# the database of the last pg_start: listen = unix:SOCKET, 2 workers,
# migrations (applied at start) and OpenAPI file of the source tree (copied under WORKDIR,
# default dirname FILE, when nobody could not read them), log to stderr,
# shutdown_timeout 10.  When root: user and group nobody/nogroup,
# socket_owner nobody:nogroup, socket_mode 0660 (nginx's workers run as
# nobody too).  Append more "key = value" lines to FILE as needed.
wfm_write_conf() {
	local file=$1 sock=$2 work=${3:-$(dirname "$1")} mig api
	mig=$(h_public_path "$HARNESS_SRCDIR/db/migrations" "$work") || return 1
	api=$(h_public_path "$HARNESS_SRCDIR/docs/openapi.json" "$work") || return 1
	{
		echo "# written by tests/lib/harness.sh"
		echo "listen = unix:$sock"
		echo "socket_mode = 0660"
		if h_is_root; then
			echo "socket_owner = nobody:nogroup"
			echo "user = nobody"
			echo "group = nogroup"
		fi
		echo "workers = 2"
		echo "database = \"$(pg_conninfo)\""
		echo "migrations_dir = $mig"
		echo "migrate_on_start = on"
		echo "openapi_file = $api"
		echo "shutdown_timeout = 10"
		echo "log = stderr"
		echo "log_level = info"
		echo "access_log = on"
	} >"$file" || return 1
	chmod 644 "$file"
}

# _h_conf_listen CONF: the value of the last listen line of CONF.
_h_conf_listen() {
	sed -n 's/^[[:space:]]*listen[[:space:]]*=[[:space:]]*"\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' \
	    "$1" | tail -n 1
}

# _h_fcgi_ping SOCKET: one GET /ping straight to the FastCGI socket with
# cgi-fcgi (libfcgi-bin); true when something came back.
_h_fcgi_ping() {
	local out
	out=$(env -i REQUEST_METHOD=GET DOCUMENT_URI=/ping REQUEST_URI=/ping \
	    SCRIPT_NAME=/ping QUERY_STRING= SERVER_PROTOCOL=HTTP/1.1 \
	    REQUEST_ID=harness-ping REMOTE_ADDR=127.0.0.1 \
	    timeout 5 cgi-fcgi -bind -connect "$1" 2>/dev/null) || return 1
	[ -n "$out" ] && ! printf '%s\n' "$out" | grep -q '^Status: 5'
}

# _h_wfm_ready PID SOCKET: socket present (or TCP port listening) and a
# /ping answered (through nginx when one runs, else with cgi-fcgi).
_h_wfm_ready() {
	local pid=$1 listen=$2 code
	_h_pid_alive "$pid" || return 2
	case $listen in
	unix:*)
		[ -S "${listen#unix:}" ] || return 1
		;;
	*)
		[ -n "$(ss -Htln "sport = :${listen##*:}" 2>/dev/null)" ] || return 1
		;;
	esac
	if [ -n "${HARNESS_NGINX_PORT:-}" ] && [ -n "${HARNESS_CA:-}" ]; then
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
		    --cacert "$HARNESS_CA" "https://localhost:$HARNESS_NGINX_PORT/ping")
		[ "$code" = 200 ]
	elif command -v cgi-fcgi >/dev/null 2>&1 && [ "${listen#unix:}" != "$listen" ]; then
		_h_fcgi_ping "${listen#unix:}"
	fi
}

# wfm_start DIR CONF [ARGS...]: checks CONF with -t, then starts the
# daemon (`$WFM_BIN -c CONF ARGS...') in the background, stdout and
# stderr appended to DIR/wfm.log, pid in DIR/wfm.pid and $WFM_PID.  Waits
# (20 s) until its socket exists and /ping answers (through nginx when
# nginx_start ran, else straight to the socket with cgi-fcgi).
wfm_start() {
	local dir=$1 conf=$2 listen pid i rc
	shift 2
	mkdir -p "$dir" || return 1
	if [ ! -x "$WFM_BIN" ]; then
		h_note "wfm_start: $WFM_BIN not found (build it first)"
		return 1
	fi
	if ! "$WFM_BIN" -t -c "$conf" >"$dir/wfm-t.out" 2>&1; then
		h_note "wfm_start: $WFM_BIN -t -c $conf failed:"
		sed 's/^/#   /' "$dir/wfm-t.out" >&2
		return 1
	fi
	listen=$(_h_conf_listen "$conf")
	listen=${listen:-unix:/run/workflow-manager-api/fcgi.sock}
	"$WFM_BIN" -c "$conf" "$@" </dev/null >>"$dir/wfm.log" 2>&1 &
	pid=$!
	WFM_PID=$pid
	echo "$pid" >"$dir/wfm.pid"
	_h_register _H_WFM_DIRS "$dir"
	i=0
	while [ "$i" -lt 200 ]; do
		rc=0
		_h_wfm_ready "$pid" "$listen" || rc=$?
		[ "$rc" -eq 0 ] && return 0
		if [ "$rc" -eq 2 ]; then
			h_note "wfm_start: the daemon exited during start-up:"
			wait "$pid" 2>/dev/null
			tail -n 30 "$dir/wfm.log" | sed 's/^/#   /' >&2
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	h_note "wfm_start: the daemon is not ready after 20 s ($listen)"
	return 1
}

# wfm_stop DIR [TIMEOUT]: sends SIGTERM to the daemon of DIR, waits up to
# TIMEOUT seconds (default 20) for it to exit (then SIGKILL, with its
# workers), reports and returns its exit status (also in
# $WFM_EXIT_STATUS; 137 when it had to be killed).
wfm_stop() {
	local dir=$1 timeout=${2:-20} pid kids rc=0
	pid=$(_h_pidfile "$dir/wfm.pid") || return 0
	[ -n "$pid" ] || return 0
	if _h_pid_alive "$pid"; then
		kids=$(pgrep -P "$pid" 2>/dev/null | tr '\n' ' ')
		kill -TERM "$pid" 2>/dev/null
		if ! _h_wait_exit "$pid" "$timeout"; then
			h_note "wfm_stop: the daemon ($pid) did not exit within ${timeout}s, killing it"
			kill -KILL "$pid" 2>/dev/null
			# shellcheck disable=SC2086 # list of pids
			[ -n "$kids" ] && kill -KILL $kids 2>/dev/null
			wait "$pid" 2>/dev/null
			rm -f "$dir/wfm.pid"
			WFM_EXIT_STATUS=137
			return 137
		fi
	fi
	wait "$pid" 2>/dev/null || rc=$?
	# 127: not our child (already reaped); nothing to report.
	rm -f "$dir/wfm.pid"
	WFM_EXIT_STATUS=$rc
	h_note "workflow-manager-api ($pid) exited with status $rc"
	return "$rc"
}

_h_register() {
	local -n _arr=$1
	local x
	for x in "${_arr[@]}"; do
		[ "$x" = "$2" ] && return 0
	done
	_arr+=("$2")
}

# ------------------------------------------------------------------ HTTP

# h_http METHOD PATH [CURL-ARGS...]: one request to the nginx of the last
# nginx_start (https://localhost:PORT, verified with $HARNESS_CA).  Sets
# H_STATUS (000 when there was no answer), H_BODY (the body text) and
# H_HDRS (a file with the response headers).
h_http() {
	local method=$1 path=$2 dir=${T:-}
	shift 2
	if [ -z "$dir" ]; then
		if [ -z "${_H_HTTP_DIR:-}" ]; then
			_H_HTTP_DIR=$(h_tmpdir http) || return 1
			h_cleanup_dir "$_H_HTTP_DIR"
		fi
		dir=$_H_HTTP_DIR
	fi
	H_HDRS=$dir/.h_http.hdr
	: >"$H_HDRS"
	H_STATUS=$(curl -sS --max-time 30 --cacert "$HARNESS_CA" -X "$method" \
	    -D "$H_HDRS" -o "$dir/.h_http.body" -w '%{http_code}' "$@" \
	    "https://localhost:$HARNESS_NGINX_PORT$path" 2>"$dir/.h_http.err") || true
	H_STATUS=${H_STATUS:-000}
	H_BODY=$(cat "$dir/.h_http.body" 2>/dev/null || true)
	rm -f "$dir/.h_http.body"
}

# h_header NAME [FILE]: the value of response header NAME (any case) in
# FILE (default $H_HDRS, last response), without the CR; empty if absent.
h_header() {
	local file=${2:-$H_HDRS}
	tr -d '\r' <"$file" | awk -v n="$1" '
		BEGIN { n = tolower(n) }
		{ i = index($0, ":"); if (i > 0 && tolower(substr($0, 1, i - 1)) == n) {
			v = substr($0, i + 1); sub(/^[ \t]+/, "", v); print v; exit } }'
}

# ------------------------------------------------------------------ checks

# t_pass DESC / t_fail DESC [DETAIL...]: record one passed / failed check.
t_pass() {
	_T_N=$((_T_N + 1))
	printf 'ok %d - %s\n' "$_T_N" "$1"
}

t_fail() {
	local d
	_T_N=$((_T_N + 1))
	_T_FAIL=$((_T_FAIL + 1))
	printf 'not ok %d - %s\n' "$_T_N" "$1"
	shift
	for d in "$@"; do
		printf '#   %s\n' "$d"
	done
	return 0
}

# t_ok DESC CMD...: passes when CMD succeeds (its output is shown).
t_ok() {
	local desc=$1 rc=0
	shift
	"$@" || rc=$?
	if [ "$rc" -eq 0 ]; then
		t_pass "$desc"
	else
		t_fail "$desc" "command failed with status $rc: $*"
	fi
}

# t_is GOT WANT DESC: passes when GOT equals WANT (strings).
t_is() {
	if [ "$1" = "$2" ]; then
		t_pass "$3"
	else
		t_fail "$3" "got:      '$1'" "expected: '$2'"
	fi
}

# t_like GOT ERE DESC: passes when GOT matches the extended regex ERE.
t_like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		t_pass "$3"
	else
		t_fail "$3" "got:      '$1'" "expected to match: $2"
	fi
}

# t_done: prints the plan and the summary in Check's format and returns 1
# when a check failed.
t_done() {
	_T_DONE=1
	printf '1..%d\n' "$_T_N"
	_t_summary 0
	[ "$_T_FAIL" -eq 0 ]
}

# _t_summary ERRORS: "P%: Checks: N, Failures: F, Errors: E" computed as
# Check does (100 with no failure or error, 0 with no checks, else
# passed * 100 / checks, rounded down).
_t_summary() {
	local e=$1 n f=$_T_FAIL pct
	n=$((_T_N + e))
	if [ "$f" -eq 0 ] && [ "$e" -eq 0 ]; then
		pct=100
	elif [ "$n" -eq 0 ]; then
		pct=0
	else
		pct=$(((n - f - e) * 100 / n))
	fi
	printf '%d%%: Checks: %d, Failures: %d, Errors: %d\n' "$pct" "$n" "$f" "$e"
}

# h_skip_or_fail REASON: exit status for a missing prerequisite: 77
# (automake SKIP), or 99 (hard error) when REQUIRE_PG=1.
# h_require CMD...: what every stack test needs: the commands named, the
# PostgreSQL server programs and the built daemon.  Returns 0, or the
# status the test must exit with (77 skip, 99 hard error).
#   h_require nginx curl jq || exit $?
h_require() {
	local cmd
	for cmd in "$@"; do
		if ! command -v "$cmd" >/dev/null 2>&1; then
			h_skip_or_fail "$cmd not found" || return $?
		fi
	done
	if ! pg_bindir >/dev/null; then
		h_skip_or_fail "PostgreSQL server binaries (initdb) not found" ||
		    return $?
	fi
	if [ ! -x "$WFM_BIN" ]; then
		h_note "$WFM_BIN not built"
		return 99
	fi
	return 0
}

h_skip_or_fail() {
	if [ "${REQUIRE_PG:-0}" = 1 ]; then
		h_note "$1 (REQUIRE_PG=1: failing)"
		return 99
	fi
	h_note "$1: skipping"
	return 77
}
