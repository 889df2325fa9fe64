#!/usr/bin/env bash
# tests/fuzz/run.sh: builds the libFuzzer targets and runs each for a while.
#
#   tests/fuzz/run.sh                 configure and build _build-fuzz
#                                     (CC=clang --enable-fuzzing), then
#                                     run every target FUZZ_SECONDS
#   tests/fuzz/run.sh --run BUILDDIR  only run the targets built in
#                                     BUILDDIR (what `make fuzz' does)
#
# Environment:
#   FUZZ_SECONDS   seconds per target (default 30: the CI run)
#   FUZZ_TARGETS   space-separated subset, e.g. "fuzz_json fuzz_time"
#   FUZZ_BUILDDIR  build tree for the first form (default $top_srcdir/_build-fuzz)
#   FUZZ_ARGS      extra libFuzzer flags for every target
#
# Each target starts from its seed corpus tests/fuzz/corpus/<target>/
# (read only: every file there is run first, so crash reproducers kept
# there stay covered) plus the inputs it found before in
# BUILDDIR/fuzz-corpus/<target>/, where new ones go; a dictionary
# tests/fuzz/dict/<target>.dict is used when present.  A crash, a leak,
# a sanitizer report, a timeout (10 s per input) or a broken invariant
# saves the input as BUILDDIR/fuzz-artifacts/<target>-crash-<sha1> and
# fails the target; reproduce with
#   BUILDDIR/tests/fuzz/<target> BUILDDIR/fuzz-artifacts/<target>-crash-...
# and add the input to the seed corpus once fixed.
#
# Prints one "ok"/"not ok" line per target with libFuzzer's figures
# (runs, seconds, coverage, corpus size) and a Check-style summary,
# "100%: Checks: N, Failures: F, Errors: E"; exits 1 when a target failed
# (or the build did).  Logs: BUILDDIR/fuzz-logs/<target>.log.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "${top_srcdir:-$HERE/../..}" && pwd)
SECONDS_EACH=${FUZZ_SECONDS:-30}
ALL_TARGETS="fuzz_checkin fuzz_config fuzz_crypto fuzz_doctor fuzz_filter
	fuzz_json fuzz_model fuzz_request
	fuzz_semver fuzz_time fuzz_uuid"
TARGETS=${FUZZ_TARGETS:-$ALL_TARGETS}

note() {
	printf '# %s\n' "$*" >&2
}

summary() {
	local n=$1 f=$2 e=$3 pct=100
	if [ "$f" -gt 0 ] || [ "$e" -gt 0 ]; then
		pct=$(((n - f - e) * 100 / n))
	fi
	printf '%d%%: Checks: %d, Failures: %d, Errors: %d\n' "$pct" "$n" "$f" "$e"
}

# The largest input libFuzzer makes for a target.
max_len() {
	case $1 in
	fuzz_json | fuzz_model | fuzz_request | fuzz_checkin | fuzz_doctor) echo 8192 ;;
	fuzz_config) echo 4096 ;;
	*) echo 512 ;;
	esac
}

# ------------------------------------------------------------------ build

# A tree configured in place cannot host a VPATH build ("source
# directory already configured"): build from a clean copy of its
# source files then (git's tracked and untracked, not ignored, files).
source_for_build() {
	local bf=$1 copy
	if [ ! -f "$SRC/config.status" ]; then
		printf '%s\n' "$SRC"
		return 0
	fi
	copy=$bf/src-copy
	note "$SRC is configured in place; building from a copy in $copy"
	if ! command -v git >/dev/null 2>&1 || ! git -C "$SRC" rev-parse >/dev/null 2>&1; then
		note "cannot copy the source without git; run 'make distclean' in $SRC"
		return 1
	fi
	mkdir -p "$copy" || return 1
	(cd "$SRC" && git ls-files -co --exclude-standard -z |
	    xargs -0 cp --parents -p -t "$copy") || return 1
	(cd "$copy" && autoreconf -fi >/dev/null 2>&1) || {
		note "autoreconf failed in $copy"
		return 1
	}
	printf '%s\n' "$copy"
}

build() {
	local bf=$1 src
	if ! command -v clang >/dev/null 2>&1; then
		note "clang not found (Debian: clang libclang-rt-14-dev; script/bootstrap installs them)"
		return 1
	fi
	mkdir -p "$bf" || return 1
	src=$(source_for_build "$bf") || return 1
	if [ ! -x "$src/configure" ]; then
		(cd "$src" && autoreconf -fi) || return 1
	fi
	(
		cd "$bf" || exit 1
		if [ ! -f Makefile ] || ! grep -q -- '--enable-fuzzing' config.status 2>/dev/null; then
			"$src/configure" CC=clang --enable-fuzzing >configure.out 2>&1 || {
				tail -n 30 configure.out >&2
				exit 1
			}
		fi
		make -j2 >make.out 2>&1 || {
			tail -n 40 make.out >&2
			exit 1
		}
	)
}

# ------------------------------------------------------------------ run

# run_target BUILDDIR TARGET: one libFuzzer run; prints the TAP line.
# Returns 0 (passed) or 1.
run_target() {
	local bf=$1 t=$2 n=$3 bin log seeds work dict rc runs secs cov ft units
	local -a args
	bin=$bf/tests/fuzz/$t
	log=$bf/fuzz-logs/$t.log
	seeds=$SRC/tests/fuzz/corpus/$t
	work=$bf/fuzz-corpus/$t
	dict=$SRC/tests/fuzz/dict/$t.dict
	if [ ! -x "$bin" ]; then
		printf 'not ok %d - %s: not built (%s)\n' "$n" "$t" "$bin"
		return 1
	fi
	mkdir -p "$work" "$bf/fuzz-artifacts" "$bf/fuzz-logs"
	args=(-max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048
	    -max_len="$(max_len "$t")" -print_final_stats=1
	    -artifact_prefix="$bf/fuzz-artifacts/$t-")
	[ -f "$dict" ] && args+=(-dict="$dict")
	# The request target's daemon code logs to stderr: keep it out of
	# the log (libFuzzer and the sanitizers still report there).
	[ "$t" = fuzz_request ] && args+=(-close_fd_mask=2)
	# shellcheck disable=SC2206 # FUZZ_ARGS is a list of flags
	[ -n "${FUZZ_ARGS:-}" ] && args+=(${FUZZ_ARGS})
	[ -d "$seeds" ] || seeds=
	rc=0
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=0} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	    nice -n 10 "$bin" "${args[@]}" "$work" ${seeds:+"$seeds"} >"$log" 2>&1 || rc=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	secs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$log" | tail -n 1)
	units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -n 1)
	ft=${cov:-no coverage line}
	if [ "$rc" -eq 0 ] && [ -n "$runs" ]; then
		printf 'ok %d - %s: %s runs in %s s (%s executed units), %s\n' \
		    "$n" "$t" "$runs" "$secs" "${units:-?}" "$ft"
		return 0
	fi
	printf 'not ok %d - %s: libFuzzer exited with status %d after %s runs\n' \
	    "$n" "$t" "$rc" "${units:-${runs:-?}}"
	grep -E 'ERROR: |SUMMARY: |invariant failed|Test unit written to|^artifact_prefix' "$log" |
	    head -n 12 | sed 's/^/#   /'
	note "full log: $log"
	return 1
}

run_all() {
	local bf=$1 t n=0 failed=0
	bf=$(cd "$bf" && pwd)
	echo "# fuzzing each target for ${SECONDS_EACH}s in $bf"
	for t in $TARGETS; do
		n=$((n + 1))
		run_target "$bf" "$t" "$n" || failed=$((failed + 1))
	done
	printf '1..%d\n' "$n"
	summary "$n" "$failed" 0
	[ "$failed" -eq 0 ]
}

case ${1:-} in
--run)
	[ -n "${2:-}" ] || {
		echo "usage: $0 [--run BUILDDIR]" >&2
		exit 2
	}
	run_all "$2"
	exit $?
	;;
"") ;;
*)
	echo "usage: $0 [--run BUILDDIR]" >&2
	exit 2
	;;
esac

BF=${FUZZ_BUILDDIR:-$SRC/_build-fuzz}
if ! build "$BF"; then
	echo "not ok 1 - build the fuzz targets (CC=clang --enable-fuzzing in $BF)"
	summary 1 0 1
	exit 1
fi
run_all "$BF"
