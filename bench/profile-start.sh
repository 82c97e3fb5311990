#!/bin/bash
# Where the time of one `run --rm busybox true` goes: a profiling aid, not a benchmark of record (bench/run-start.sh
# and bench/run-bridge.sh are those).
#
#   bash bench/profile-start.sh [-n RUNS] [--network none|bridge] [--strace] [--keep] [--berthd PATH]
#
# Starts a private berthd (own data root, exec root, socket, bridge and subnet) with --log-level debug, times RUNS
# runs with `berth` and with the docker CLI (when installed) against it, and prints medians. With --strace it then
# traces one run of each: the daemon's process spawns (execve/exit, with timestamps relative to the CLI's start) and
# the CLI's requests, and prints the daemon's debug timing lines for that run. Uses out/ as built: run
# scripts/build.sh first (--berthd runs another daemon binary, e.g. a copy of an older build, for before/after).
# Everything it made is removed on exit (--keep leaves the temp dir for reading).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

runs=20 net=none trace=0 keep=0 berthd=out/berthd
while [ $# -gt 0 ]; do
    case "$1" in
        -n) runs=$2; shift ;;
        --network) net=$2; shift ;;
        --strace) trace=1 ;;
        --keep) keep=1 ;;
        --berthd) berthd=$2; shift ;;
        *) die "usage: bench/profile-start.sh [-n RUNS] [--network none|bridge] [--strace] [--keep] [--berthd PATH]" ;;
    esac
    shift
done
[ "$(id -u)" -eq 0 ] || die "run as root"
[ -x "$berthd" ] && [ -x out/berth ] || die "out/berthd and out/berth missing: bash scripts/build.sh"

T=$(mktemp -d /tmp/bp-XXXXXX)
tag=$(printf '%04x' $((RANDOM % 65536)))
BB=bp$tag BNET=10.251.$((RANDOM % 250)).1/24
DOCKER_CLI=$(command -v docker || true)
BERTHD_PID=""

cleanup() {
    set +e
    if [ -n "$BERTHD_PID" ]; then
        out/berth -H "unix://$T/s.sock" ps -aq | xargs -r out/berth -H "unix://$T/s.sock" rm -f >/dev/null 2>&1
        kill -TERM "$BERTHD_PID" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$BERTHD_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$BERTHD_PID" 2>/dev/null
    fi
    iptables -w -D FORWARD -j "BERTH-$BB" 2>/dev/null
    iptables -w -t nat -D PREROUTING -m addrtype --dst-type LOCAL -j "BERTH-$BB" 2>/dev/null
    iptables -w -t nat -D OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j "BERTH-$BB" 2>/dev/null
    iptables -w -t nat -D POSTROUTING -j "BERTH-$BB-POST" 2>/dev/null
    for tc in "filter BERTH-$BB" "nat BERTH-$BB" "nat BERTH-$BB-POST"; do
        set -- $tc; iptables -w -t "$1" -F "$2" 2>/dev/null; iptables -w -t "$1" -X "$2" 2>/dev/null
    done
    ip link del "$BB" 2>/dev/null
    awk -v p="$T/" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null
    if [ $keep -eq 1 ]; then log "kept $T"; else rm -rf --one-file-system "$T"; fi
}
trap cleanup EXIT

mkdir -p "$T/cfg"
setsid "$berthd" --data-root "$T/d" --exec-root "$T/r" -H "unix://$T/s.sock" --bridge "$BB" --bip "$BNET" --log-level debug \
    </dev/null >"$T/berthd.log" 2>&1 &
BERTHD_PID=$!
for _ in $(seq 1 200); do
    [ "$(curl -s --max-time 1 --unix-socket "$T/s.sock" http://localhost/_ping 2>/dev/null)" = OK ] && break
    kill -0 "$BERTHD_PID" 2>/dev/null || { tail "$T/berthd.log"; die "berthd died"; }
    sleep 0.05
done

netargs=()
[ "$net" = none ] && netargs=(--network none)
b() { out/berth -H "unix://$T/s.sock" run --rm "${netargs[@]}" busybox true; }
d() { DOCKER_HOST="unix://$T/s.sock" DOCKER_CONFIG="$T/cfg" "$DOCKER_CLI" run --rm "${netargs[@]}" busybox true; }
engines=(b)
[ -n "$DOCKER_CLI" ] && engines+=(d)

for e in "${engines[@]}"; do for _ in 1 2 3; do $e >/dev/null || die "$e run failed"; done; done
mkdir -p "$T/samples"
for ((i = 0; i < runs; i++)); do
    for e in "${engines[@]}"; do
        s=$EPOCHREALTIME; $e >/dev/null; end=$EPOCHREALTIME
        echo $(( ${end/./} - ${s/./} )) >>"$T/samples/$e"
    done
done
log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for e in "${engines[@]}"; do
    name=$([ "$e" = b ] && echo berth || echo "docker CLI")
    sort -n "$T/samples/$e" | awk -v n="$name" '{ a[NR] = $1 } END { printf "%-12s median %6.1f ms  min %6.1f ms  max %6.1f ms (%d runs)\n", n, a[int((NR + 1) / 2)] / 1000, a[1] / 1000, a[NR] / 1000, NR }'
done
log "berthd RSS: $(awk '/^VmRSS:/ { print $2, $3 }' "/proc/$BERTHD_PID/status")"
# Medians of the daemon's debug timings over all timed runs (warm-ups included): per request and per phase.
python3 - "$T/berthd.log" <<'PY'
import re, statistics, sys
phases, reqs = {}, {}
for line in open(sys.argv[1]):
    m = re.search(r"berthd: (start|exit|remove|teardown) \w+: (.*)= ([\d.]+) ms", line)
    if m:
        for part in m.group(2).split(", "):
            if part.strip():
                k, v = part.strip().rsplit(" ", 1)
                phases.setdefault(f"{m.group(1)}.{k}", []).append(float(v))
        phases.setdefault(f"{m.group(1)}.TOTAL", []).append(float(m.group(3)))
        continue
    m = re.search(r"http: (\w+) (\S+) \d+ in ([\d.]+) ms", line)
    if m:
        path = re.sub(r"/v[\d.]+/", "/", m.group(2))
        path = re.sub(r"[0-9a-f]{64}", "{id}", path)
        reqs.setdefault(f"{m.group(1)} {path}", []).append(float(m.group(3)))
for title, d in (("daemon phases (median ms)", phases), ("requests, handler time (median ms)", reqs)):
    print(title)
    for k, v in d.items():
        print(f"  {k:<40} {statistics.median(v):8.1f}   (n={len(v)})")
PY

if [ $trace -eq 1 ]; then
    command -v strace >/dev/null || die "strace not installed"
    for e in "${engines[@]}"; do
        : >"$T/berthd.log.mark"
        lines=$(wc -l <"$T/berthd.log")
        strace -f -tt -e trace=execve,exit_group -e signal=none -o "$T/daemon-$e.strace" -p "$BERTHD_PID" 2>/dev/null &
        sp=$!
        sleep 0.5
        s=$EPOCHREALTIME
        strace -f -tt -e trace=connect,sendto,write,exit_group -e signal=none -s 80 -o "$T/cli-$e.strace" bash -c "$(declare -f b d); T=$T DOCKER_CLI=$DOCKER_CLI; netargs=(${netargs[*]}); $e" >/dev/null
        end=$EPOCHREALTIME
        sleep 0.3
        kill -INT $sp; wait $sp 2>/dev/null || true
        echo "=== $e: one traced run took $(( (${end/./} - ${s/./}) / 1000 )) ms; t0 = CLI start"
        t0=${s%.*}.${s#*.}
        python3 - "$t0" "$T/daemon-$e.strace" "$T/cli-$e.strace" <<'PY'
import re, sys, datetime
t0 = float(sys.argv[1])
def rel(ts):
    h, m, s = ts.split(":")
    day = datetime.datetime.fromtimestamp(t0).replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    return (day + int(h) * 3600 + int(m) * 60 + float(s) - t0) * 1000
for label, path in (("daemon", sys.argv[2]), ("cli", sys.argv[3])):
    for line in open(path):
        m = re.match(r"(\d+)\s+(\d+:\d+:\d+\.\d+) (.*)", line)
        if not m: continue
        pid, ts, rest = m.groups()
        if label == "cli" and rest.startswith("write(") and "HTTP/1.1" not in rest: continue
        if label == "cli" and rest.startswith("sendto(") and "HTTP/1.1" not in rest: continue
        if "resumed" in rest and "execve" not in rest: continue
        print(f"{rel(ts):8.1f} ms {label:6} {pid:>7} {rest[:150]}")
PY
        tail -n +"$((lines + 1))" "$T/berthd.log" | grep -v '^$' | sed 's/^/    log: /' | head -60
    done
fi
