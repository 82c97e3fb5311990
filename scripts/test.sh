#!/bin/bash
# The whole test suite, as CI runs it: packages, AOT publish, a Debug build of the solution, the unit tests and
# the integration tests (root; RootFact tests skip without root unless CI=true). Ends with one line
# "N passed, N failed, N skipped" summed over both suites and exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

start=$SECONDS
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ "$(id -u)" -eq 0 ]; then
    berth_deps
else
    log "not root: skipping package checks; privileged tests will skip"
fi

bash scripts/build.sh || die "scripts/build.sh failed"
log "building the solution (Debug)"
dotnet build Berth.slnx -c Debug --nologo -v quiet -clp:ErrorsOnly || die "dotnet build failed"

results=out/test-results
rm -rf "$results" && mkdir -p "$results"

# Each suite gets a wall-clock cap and a hang detector, so a stuck test fails the run instead of eating CI's time.
run_suite() { # name, project, cap
    log "running $1 tests ($2)"
    timeout -k 30 "$3" dotnet test "$2" -c Debug --no-build \
        --logger "console;verbosity=normal" --logger "trx;LogFileName=$1.trx" --results-directory "$results" \
        --blame-hang-timeout 5m --blame-hang-dump-type none
}

declare -A rc
run_suite unit tests/Berth.Tests 10m; rc[unit]=$?
run_suite integration tests/Berth.Integration.Tests 20m; rc[integration]=$?

attr() { sed -n "s/.*[[:space:]]$1=\"\([0-9]*\)\".*/\1/p" <<<"$2"; }

passed=0 failed=0 skipped=0 bad=0
for suite in unit integration; do
    trx="$results/$suite.trx"
    counters=$(grep -o '<Counters [^>]*>' "$trx" 2>/dev/null | head -n 1)
    if [ -z "$counters" ]; then
        log "$suite: no test results (dotnet test exited ${rc[$suite]}; crashed, timed out or did not build)"
        failed=$((failed + 1)); bad=1; continue
    fi
    t=$(attr total "$counters"); p=$(attr passed "$counters"); f=$(attr failed "$counters")
    e=$(attr error "$counters"); to=$(attr timeout "$counters"); ab=$(attr aborted "$counters")
    f=$(( ${f:-0} + ${e:-0} + ${to:-0} + ${ab:-0} ))
    s=$(( ${t:-0} - ${p:-0} - f ))
    log "$suite: ${p:-0} passed, $f failed, $s skipped (dotnet test exit ${rc[$suite]})"
    passed=$((passed + ${p:-0})); failed=$((failed + f)); skipped=$((skipped + s))
    [ "${rc[$suite]}" -eq 0 ] || bad=1
done

log "test run took $((SECONDS - start)) s; results in $results/"
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ] && [ $bad -eq 0 ]
