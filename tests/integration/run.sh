#!/usr/bin/env bash
# tests/integration/run.sh: runs the integration Check programs against a
# throw-away PostgreSQL.
#
# An automake test (TESTS); the environment comes from AM_TESTS_ENVIRONMENT:
#   top_srcdir, top_builddir  absolute source and build directories
#   INTEG_TESTS               the check programs, relative to top_builddir
#   CK_DEFAULT_TIMEOUT        per-test timeout (default 30 here)
# and optionally:
#   VALGRIND=1                run each program under valgrind (CK_FORK=no)
#   REQUIRE_PG=1              missing PostgreSQL server binaries fail (99)
#                             instead of skipping (77)
#
# Steps: start PostgreSQL (tests/lib/harness.sh: pg_start, Unix socket in
# a mktemp directory, as `postgres' when root), apply db/migrations with
# `workflow-manager-api -c CONF migrate', export PGHOST/PGUSER/PGDATABASE
# and run every program, printing its output (Check's summary lines end up
# in this test's log).  Exit 1 when any program failed.
set -euo pipefail

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
: "${INTEG_TESTS:=}"
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-30}

# shellcheck source=tests/lib/harness.sh
. "$top_srcdir/tests/lib/harness.sh"

if ! pg_bindir >/dev/null; then
	h_skip_or_fail "PostgreSQL server binaries (initdb) not found" || exit $?
fi
if [ "${VALGRIND:-0}" = 1 ] && ! command -v valgrind >/dev/null 2>&1; then
	h_note "VALGRIND=1 but valgrind is not installed"
	exit 99
fi

h_init integ script
pg_start "$T/pg" wfm

# Migrations, as the operator would run them.
conf=$T/migrate.conf
mig=$(h_public_path "$top_srcdir/db/migrations" "$T")
{
	echo "database = \"$(pg_conninfo)\""
	echo "migrations_dir = $mig"
	echo "log = stderr"
	if h_is_root; then
		echo "user = nobody"
		echo "group = nogroup"
	fi
} >"$conf"
chmod 644 "$conf"
echo "# migrate: $WFM_BIN -c $conf migrate"
if ! "$WFM_BIN" -c "$conf" migrate; then
	echo "# FAIL: migrations did not apply"
	exit 1
fi

failed=0
ran=0
for prog in $INTEG_TESTS; do
	path=$top_builddir/$prog
	ran=$((ran + 1))
	echo "# ---- $prog"
	if [ ! -x "$path" ]; then
		echo "# FAIL: $path not built"
		failed=$((failed + 1))
		continue
	fi
	rc=0
	if [ "${VALGRIND:-0}" = 1 ]; then
		CK_FORK=no valgrind -q --leak-check=full \
		    --errors-for-leak-kinds=definite,indirect --error-exitcode=1 \
		    "$path" 2>&1 || rc=$?
	else
		"$path" 2>&1 || rc=$?
	fi
	if [ "$rc" -ne 0 ]; then
		echo "# FAIL: $prog exited with status $rc"
		failed=$((failed + 1))
	else
		echo "# PASS: $prog"
	fi
done

echo "# integration: $ran programs, $failed failed"
[ "$failed" -eq 0 ]
