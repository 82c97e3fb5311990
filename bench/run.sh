#!/bin/bash
# Every benchmark of the issues, Berth against Docker and Podman from Debian, side by side in one run.
#
#   sudo bash bench/run.sh [--quick] [-n ROUNDS] [--only LIST] [--no-peers] [--no-install] [--docker-cli] [-m LOG_MB]
#
# Installs what is missing (docker.io, podman, docker-registry, skopeo, python3-matplotlib; no service is started),
# builds out/ with scripts/build.sh if it is missing, starts a private berthd, a private dockerd and a private Podman
# (bench/lib.sh), loads the same offline busybox (`berth save`) into each, and runs, interleaved round by round:
#   start     run --rm --network none busybox true                   (issue 2, target <= 0.25x)
#   bridge    run --rm busybox true on each engine's default bridge  (issue 4, target <= 0.25x)
#   memory    20 concurrent run -d; daemon RSS/PSS idle and per running container incl. its monitor (issue 2, 9)
#   build     a ~10-step Dockerfile, fresh and cached                (issue 6, targets <= 0.5x)
#   logs      200 MB to stdout, run to exit, then `logs`             (issue 7, targets <= 0.1x and <= 0.05x)
#   pullpush  pull and push of a ~100 MB image, loopback registry    (issue 3, target <= 0.5x)
#   listing   ps -a, images, inspect with 100 containers, 50 images  (issue 9)
# --only takes a comma-separated subset of those names. --quick takes few rounds (a smoke run, not a measurement).
# --docker-cli also drives berthd with the docker CLI (engine "berth-dcli"), to separate client from daemon.
# Prints a table of medians and Berth/peer ratios; writes bench/results/<UTC timestamp>.json and .png.
# Benchmarks are never part of the test suite: scripts/test.sh does not run them.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/cases.sh

quick=0 rounds="" only="start,bridge,memory,build,logs,pullpush,listing" peers=1 install=1 log_mb=200
usage="usage: bench/run.sh [--quick] [-n ROUNDS] [--only start,bridge,memory,build,logs,pullpush,listing] [--no-peers] [--no-install] [--docker-cli] [-m LOG_MB]"
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1 ;;
        -n) rounds=${2:-}; shift ;;
        --only) only=${2:-}; shift ;;
        --no-peers) peers=0 ;;
        --no-install) install=0 ;;
        --docker-cli) export BENCH_DOCKER_CLI_TOO=1 ;;
        -m) log_mb=${2:-}; shift ;;
        -h|--help) echo "$usage"; exit 0 ;;
        *) die "$usage" ;;
    esac
    shift
done
[ -z "$rounds" ] || [ "$rounds" -ge 1 ] 2>/dev/null || die "-n needs a number >= 1"
[ "$log_mb" -ge 1 ] 2>/dev/null || die "-m needs a number of MB >= 1"
for c in ${only//,/ }; do
    case $c in start|bridge|memory|build|logs|pullpush|listing) ;; *) die "unknown benchmark '$c'; $usage" ;; esac
done

# Rounds per case: full, quick. -n overrides all of them.
declare -A full=([start]=20 [bridge]=20 [memory]=3 [build]=5 [logs]=3 [pullpush]=3 [listing]=10)
declare -A fast=([start]=5 [bridge]=5 [memory]=1 [build]=2 [logs]=1 [pullpush]=1 [listing]=3)
rounds_of() { if [ -n "$rounds" ]; then echo "$rounds"; elif [ $quick -eq 1 ]; then echo "${fast[$1]}"; else echo "${full[$1]}"; fi; }

BENCH_LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
bench_setup "$peers" "$install"
log "engines: ${ENGINES[*]}; load average $BENCH_LOAD_START; $(nproc) cores"
for c in start bridge memory build logs pullpush listing; do
    [[ ",$only," == *",$c,"* ]] || continue
    n=$(rounds_of "$c")
    log "$c: $n round(s)"
    case $c in
        memory) case_concurrent "$n" ;;
        logs) case_logs "$n" "$log_mb" ;;
        *) "case_$c" "$n" ;;
    esac
done
for e in "${ENGINES[@]}"; do
    [ -s "$T/$e.err" ] && log "$e stderr (last line): $(grep -v -i -e deprecated -e buildkit -e '^ *$' "$T/$e.err" | tail -n 1)"
done
bench_report "$quick"
