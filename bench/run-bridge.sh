#!/bin/bash
# Container start latency on the default bridge: `run --rm busybox true`, Berth against a private Docker, side by side.
#
#   bash bench/run-bridge.sh [-n RUNS] [--no-build]
#
# Both daemons are our own, each with its own bridge and subnet (never docker0, never berth0): berthd with
# --bridge/--bip, dockerd with -b on a bridge this script creates. Runs are interleaved (one of each engine per
# round) and the medians compared; the issue's target is Berth <= 0.25x Docker. Berth on --network none is timed
# too, so the cost of the bridge itself is visible. On exit both daemons stop and every bridge, veth and iptables
# rule and chain they added is removed (Docker's chains only if they did not exist before the run).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

runs=30 build=1
while [ $# -gt 0 ]; do
    case "$1" in
        -n) runs=$2; shift ;;
        --no-build) build=0 ;;
        *) die "usage: bench/run-bridge.sh [-n RUNS] [--no-build]" ;;
    esac
    shift
done
[ "$(id -u)" -eq 0 ] || die "run as root"
[ "$runs" -ge 3 ] 2>/dev/null || die "-n needs a number >= 3"
[ $build -eq 1 ] && bash scripts/build.sh

T=$(mktemp -d /tmp/berth-bb-XXXXXX)
tag=$(printf '%04x' $((RANDOM % 65536)))
BB=bb$tag DB=db$tag                                 # berthd's and dockerd's bridges
BNET=10.252.$((RANDOM % 250)).1/24 DNET=10.253.$((RANDOM % 250)).1/24
DOCKER_CLI=$(command -v docker || true)
BERTHD_PID="" DOCKERD_PID=""
iptables-save >"$T/iptables.before"

cleanup() {
    set +e
    [ -n "$BERTHD_PID" ] && { out/berth -H "unix://$T/b.sock" ps -aq | xargs -r out/berth -H "unix://$T/b.sock" rm -f >/dev/null 2>&1; stop_pid "$BERTHD_PID"; }
    [ -n "$DOCKERD_PID" ] && { dk ps -aq | xargs -r env DOCKER_HOST="unix://$T/d.sock" "$DOCKER_CLI" rm -f >/dev/null 2>&1; stop_pid "$DOCKERD_PID"; }
    # Berth's chains are tagged with its bridge name.
    iptables -w -D FORWARD -j "BERTH-$BB" 2>/dev/null
    iptables -w -t nat -D PREROUTING -m addrtype --dst-type LOCAL -j "BERTH-$BB" 2>/dev/null
    iptables -w -t nat -D OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j "BERTH-$BB" 2>/dev/null
    iptables -w -t nat -D POSTROUTING -j "BERTH-$BB-POST" 2>/dev/null
    for tc in "filter BERTH-$BB" "nat BERTH-$BB" "nat BERTH-$BB-POST"; do set -- $tc; iptables -w -t "$1" -F "$2" 2>/dev/null; iptables -w -t "$1" -X "$2" 2>/dev/null; done
    # Docker's rules (naming DOCKER, its bridge or its subnet) that were not there before go, then the chains it created.
    for table in filter nat; do
        dsub=${DNET%.*}.0/24
        iptables-save -t $table | grep '^-A' | grep -e DOCKER -e "$DB" -e "$dsub" | grep -Fvx -f <(grep '^-A' "$T/iptables.before") | sed 's/^-A /-D /' |
            while read -r rule; do eval "iptables -w -t $table $rule" 2>/dev/null; done
        iptables-save -t $table | grep '^:DOCKER' | cut -d' ' -f1 | tr -d : | while read -r chain; do
            grep -q "^:$chain " "$T/iptables.before" || { iptables -w -t $table -F "$chain"; iptables -w -t $table -X "$chain"; } 2>/dev/null
        done
    done
    ip link del "$BB" 2>/dev/null; ip link del "$DB" 2>/dev/null
    awk -v p="$T/" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf --one-file-system "$T"
}
trap cleanup EXIT

stop_pid() {
    kill -TERM "$1" 2>/dev/null || return 0
    for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
}
wait_sock() {
    for _ in $(seq 1 200); do
        [ "$(curl -s --max-time 1 --unix-socket "$1" http://localhost/_ping 2>/dev/null)" = "OK" ] && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}
bk() { DOCKER_HOST="unix://$T/b.sock" DOCKER_CONFIG="$T/cfg" "$DOCKER_CLI" "$@"; }
dk() { DOCKER_HOST="unix://$T/d.sock" DOCKER_CONFIG="$T/cfg" "$DOCKER_CLI" "$@"; }
berth() { out/berth -H "unix://$T/b.sock" "$@"; }

mkdir -p "$T/cfg" "$T/samples"
log "berthd with bridge $BB ($BNET)"
setsid out/berthd --data-root "$T/bd" --exec-root "$T/br" -H "unix://$T/b.sock" --bridge "$BB" --bip "$BNET" </dev/null >"$T/berthd.log" 2>&1 &
BERTHD_PID=$!
wait_sock "$T/b.sock" "$BERTHD_PID" || { tail "$T/berthd.log"; die "berthd did not start"; }

engines=(berth)
[ -n "$DOCKER_CLI" ] && engines+=(bk)
if [ -x /usr/sbin/dockerd ] && [ -n "$DOCKER_CLI" ]; then
    log "dockerd with bridge $DB ($DNET)"
    ip link add "$DB" type bridge && ip addr add "$DNET" dev "$DB" && ip link set "$DB" up
    setsid /usr/sbin/dockerd --data-root "$T/dd" --exec-root "$T/de" -H "unix://$T/d.sock" --pidfile "$T/d.pid" \
        -b "$DB" --ip6tables=false </dev/null >"$T/dockerd.log" 2>&1 &
    DOCKERD_PID=$!
    if wait_sock "$T/d.sock" "$DOCKERD_PID"; then
        mkdir -p "$T/rootfs/bin" && cp /bin/busybox "$T/rootfs/bin/" && chroot "$T/rootfs" /bin/busybox --install -s /bin
        tar -C "$T/rootfs" -cf - . | dk import - busybox:latest >/dev/null && engines+=(dk)
    else
        log "dockerd did not start: $(tail -n 2 "$T/dockerd.log")"
    fi
fi

run_once() { # engine, network
    "$1" run --rm --network "$2" busybox true >/dev/null 2>>"$T/$1.err"
}
for e in "${engines[@]}"; do for _ in 1 2 3; do run_once "$e" bridge || die "$e run failed: $(tail -n 3 "$T/$e.err")"; done; done

log "timing $runs interleaved rounds of: ${engines[*]} (bridge) and berth (none)"
for ((i = 0; i < runs; i++)); do
    for e in "${engines[@]}" berth-none; do
        if [ "$e" = berth-none ]; then cmd=(run_once berth none); else cmd=(run_once "$e" bridge); fi
        s=$EPOCHREALTIME
        "${cmd[@]}" && { end=$EPOCHREALTIME; echo $(( ${end/./} - ${s/./} )) >>"$T/samples/$e"; }
    done
done

median() { sort -n "$1" | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f", m / 1000 }'; }
printf '\n%-28s %10s\n' "run --rm busybox true" "median ms"
for e in berth berth-none bk dk; do
    [ -f "$T/samples/$e" ] || continue
    case $e in berth) label="berth CLI, bridge" ;; berth-none) label="berth CLI, --network none" ;; bk) label="docker CLI -> berthd, bridge" ;; dk) label="docker CLI -> dockerd, bridge" ;; esac
    printf '%-28s %10s\n' "$label" "$(median "$T/samples/$e")"
done
if [ -f "$T/samples/dk" ]; then
    awk -v b="$(median "$T/samples/bk")" -v d="$(median "$T/samples/dk")" 'BEGIN { printf "\nberthd/dockerd with the same docker CLI: %.2fx (target <= 0.25x)\n", b / d }'
fi
