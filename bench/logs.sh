#!/bin/bash
# Logging throughput: a container printing 200 MB to stdout, run to exit, then `logs` of it, Berth against a
# private Docker daemon side by side.
#
#   bash bench/logs.sh [-m MB] [-n ROUNDS] [--no-peers]
#
# Each round runs `run -d … busybox sh -c 'yes <99-char line> | head -c SIZE'` + `wait` (time to exit), then
# `logs` of it to /dev/null (time to stream the log back), on each engine in turn. Lines are 100 bytes, so 200 MB is
# 2 million lines. Berth keeps the whole log (--log-opt max-size above the size; its default rotation would keep
# only the last 100 MB), Docker's json-file never rotates unless told. Prints medians and Berth/Docker ratios and
# writes JSON to bench/results/. The private dockerd has its own data root, exec root and socket, no bridge and no
# iptables; the system's /var/run/docker.sock is never used. Everything is stopped and removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

mb=200 rounds=3 peers=1
while [ $# -gt 0 ]; do
    case "$1" in
        -m) mb=$2; shift ;;
        -n) rounds=$2; shift ;;
        --no-peers) peers=0 ;;
        *) die "usage: bench/logs.sh [-m MB] [-n ROUNDS] [--no-peers]" ;;
    esac
    shift
done
[ "$(id -u)" -eq 0 ] || die "run as root (containers need it)"
bash scripts/build.sh

T=$(mktemp -d /tmp/berth-logbench-XXXXXX)
DOCKER_CLI=$(command -v docker || true)
BERTHD_PID="" DOCKERD_PID=""
bytes=$((mb * 1000 * 1000))

cleanup() {
    set +e
    [ -n "$BERTHD_PID" ] && { berth ps -aq 2>/dev/null | xargs -r timeout 120 out/berth -H "unix://$T/berth.sock" rm -f >/dev/null 2>&1; stop_pid "$BERTHD_PID"; }
    [ -n "$DOCKERD_PID" ] && { docker_peer ps -aq 2>/dev/null | xargs -r timeout 120 env DOCKER_HOST="unix://$T/docker.sock" DOCKER_CONFIG="$T/docker-config" "$DOCKER_CLI" rm -f >/dev/null 2>&1; stop_pid "$DOCKERD_PID"; }
    awk -v p="$T/" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf --one-file-system "$T"
}
trap cleanup EXIT

stop_pid() {
    kill -TERM "$1" 2>/dev/null || return 0
    for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
}

wait_sock() { # socket, pid, log
    for _ in $(seq 1 200); do
        [ "$(curl -s --max-time 1 --unix-socket "$1" http://localhost/_ping 2>/dev/null)" = "OK" ] && return 0
        kill -0 "$2" 2>/dev/null || { tail -n 20 "$3" >&2; return 1; }
        sleep 0.05
    done
    tail -n 20 "$3" >&2
    return 1
}

berth() { out/berth -H "unix://$T/berth.sock" "$@"; }
berth_docker_cli() { DOCKER_HOST="unix://$T/berth.sock" DOCKER_CONFIG="$T/docker-config" "$DOCKER_CLI" "$@"; }
docker_peer() { DOCKER_HOST="unix://$T/docker.sock" DOCKER_CONFIG="$T/docker-config" "$DOCKER_CLI" "$@"; }
now_ms() { date +%s%3N; }

mkdir -p "$T/berth-data" "$T/berth-run" "$T/docker-config"
log "starting berthd on $T/berth.sock"
setsid out/berthd --data-root "$T/berth-data" --exec-root "$T/berth-run" -H "unix://$T/berth.sock" </dev/null >"$T/berthd.log" 2>&1 &
BERTHD_PID=$!
wait_sock "$T/berth.sock" "$BERTHD_PID" "$T/berthd.log" || die "berthd did not answer /_ping"
engines=(berth)
[ -n "$DOCKER_CLI" ] && engines=(berth_docker_cli)

if [ $peers -eq 1 ] && [ -x /usr/sbin/dockerd ] && [ -n "$DOCKER_CLI" ]; then
    log "starting a private dockerd on $T/docker.sock"
    setsid /usr/sbin/dockerd --data-root "$T/docker-data" --exec-root "$T/docker-exec" -H "unix://$T/docker.sock" \
        --pidfile "$T/docker.pid" --bridge none --iptables=false --ip6tables=false </dev/null >"$T/dockerd.log" 2>&1 &
    DOCKERD_PID=$!
    mkdir -p "$T/busybox-rootfs/bin"
    cp /bin/busybox "$T/busybox-rootfs/bin/busybox"
    chroot "$T/busybox-rootfs" /bin/busybox --install -s /bin
    if wait_sock "$T/docker.sock" "$DOCKERD_PID" "$T/dockerd.log" && tar -C "$T/busybox-rootfs" -c . | docker_peer import - busybox:latest >/dev/null; then
        engines+=(docker_peer)
    else
        log "private dockerd did not come up; benchmarking without Docker"
    fi
else
    log "no Debian dockerd (docker.io) or docker CLI: Docker not compared"
fi

line=$(printf '%099d' 0)
: >"$T/samples"
for r in $(seq 1 "$rounds"); do
    for e in "${engines[@]}"; do
        name="logbench-$r"
        opts=(--network none --name "$name")
        [ "$e" != docker_peer ] && opts+=(--log-opt "max-size=$((mb * 2))m")
        start=$(now_ms)
        "$e" run -d "${opts[@]}" busybox sh -c "yes $line | head -c $bytes" >/dev/null
        code=$("$e" wait "$name")
        ran=$(( $(now_ms) - start ))
        start=$(now_ms)
        got=$("$e" logs "$name" 2>&1 | wc -c)
        read_ms=$(( $(now_ms) - start ))
        [ "$code" = 0 ] && [ "$got" -eq "$bytes" ] || log "$e round $r: exit $code, logs returned $got of $bytes bytes"
        echo "$e $ran $read_ms $got" >>"$T/samples"
        log "$e round $r: run to exit $ran ms, logs $read_ms ms ($got bytes)"
        "$e" rm -f "$name" >/dev/null
    done
done

mkdir -p bench/results
out="bench/results/logs-$(date -u +%Y%m%dT%H%M%SZ).json"
python3 - "$T/samples" "$out" "$mb" <<'PY'
import json, os, platform, statistics, sys
samples, out, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = [l.split() for l in open(samples) if l.strip()]
engines = {}
for e, ran, read, got in rows:
    d = engines.setdefault(e, {"run_ms": [], "logs_ms": [], "bytes": []})
    d["run_ms"].append(int(ran)); d["logs_ms"].append(int(read)); d["bytes"].append(int(got))
result = {"benchmark": f"container printing {mb} MB to stdout (100-byte lines): run to exit, then logs", "cores": os.cpu_count(),
          "kernel": platform.release(), "engines": {}, "ratios": {}}
for e, d in engines.items():
    result["engines"][e] = {"run_median_ms": statistics.median(d["run_ms"]), "logs_median_ms": statistics.median(d["logs_ms"]), **d}
berth = next((e for e in engines if e.startswith("berth")), None)
if berth and "docker_peer" in engines:
    b, p = result["engines"][berth], result["engines"]["docker_peer"]
    result["ratios"] = {"run": round(b["run_median_ms"] / p["run_median_ms"], 4), "logs": round(b["logs_median_ms"] / p["logs_median_ms"], 4)}
json.dump(result, open(out, "w"), indent=2)
print(f"{'engine':<18}{'run→exit ms':>12}{'logs ms':>10}")
for e, r in result["engines"].items():
    print(f"{e:<18}{r['run_median_ms']:>12}{r['logs_median_ms']:>10}")
for k, v in result["ratios"].items():
    print(f"berth/docker {k}: {v} (targets: run ≤ 0.1, logs ≤ 0.05)")
print(f"written to {out}")
PY
