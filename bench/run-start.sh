#!/bin/bash
# Container start latency and memory, Berth against Docker and Podman from Debian when they are installed.
#
#   bash bench/run-start.sh [-n RUNS] [--install-peers] [--no-peers]
#
# Times `run --rm --network none busybox true` RUNS times per engine, interleaved (one run of each engine per
# round, so drift in machine load hits all engines alike), then prints medians and Berth/peer ratios and writes
# them as JSON to bench/results/. Also reads each daemon's RSS idle and with 20 running `sleep` containers, and
# the memory each container costs including its monitor (conmon or containerd-shim).
#
# Every daemon here is our own: a private berthd, and a private dockerd (own data root, exec root, socket,
# no bridge, no iptables) started only if Debian's docker.io is installed. The system's /var/run/docker.sock
# is never used. Podman runs with its own --root/--runroot. All of it is stopped and removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

runs=30 install_peers=0 peers=1
while [ $# -gt 0 ]; do
    case "$1" in
        -n) runs=$2; shift ;;
        --install-peers) install_peers=1 ;;
        --no-peers) peers=0 ;;
        *) die "usage: bench/run-start.sh [-n RUNS] [--install-peers] [--no-peers]" ;;
    esac
    shift
done
[ "$(id -u)" -eq 0 ] || die "run as root (containers need it)"
[ "$runs" -ge 3 ] 2>/dev/null || die "-n needs a number >= 3"

if [ $install_peers -eq 1 ]; then
    apt_ensure docker.io podman   # apt_ensure blocks service starts: no system dockerd appears
fi
bash scripts/build.sh

T=$(mktemp -d /tmp/berth-bench-XXXXXX)
DOCKER_CLI=$(command -v docker || true)
BERTHD_PID="" DOCKERD_PID=""
PODMAN=(/usr/bin/podman --root "$T/podman/root" --runroot "$T/podman/run" --storage-driver overlay
    --cgroup-manager cgroupfs --events-backend file --tmpdir "$T/podman/tmp")

cleanup() {
    set +e
    [ -n "$BERTHD_PID" ] && { out/berth -H "unix://$T/berth.sock" ps -aq 2>/dev/null | xargs -r timeout 60 out/berth -H "unix://$T/berth.sock" rm -f >/dev/null 2>&1; stop_pid "$BERTHD_PID"; }
    [ -n "$DOCKERD_PID" ] && { docker_peer ps -aq 2>/dev/null | xargs -r timeout 60 env DOCKER_HOST="unix://$T/docker.sock" DOCKER_CONFIG="$T/docker-config" "$DOCKER_CLI" rm -f >/dev/null 2>&1; stop_pid "$DOCKERD_PID"; }
    [ -d "$T/podman" ] && timeout 60 "${PODMAN[@]}" rm -af >/dev/null 2>&1
    # Whatever is still mounted under our root goes, deepest first; then the directory, never crossing a mount.
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
podman_peer() { "${PODMAN[@]}" "$@"; }

# --- engines ---------------------------------------------------------------------------------------------------
mkdir -p "$T/berth-data" "$T/berth-run" "$T/docker-config" "$T/samples"
log "starting berthd on $T/berth.sock"
setsid out/berthd --data-root "$T/berth-data" --exec-root "$T/berth-run" -H "unix://$T/berth.sock" \
    </dev/null >"$T/berthd.log" 2>&1 &
BERTHD_PID=$!
wait_sock "$T/berth.sock" "$BERTHD_PID" "$T/berthd.log" || die "berthd did not answer /_ping"
[ -n "$(berth images -q busybox)" ] || die "berthd has no busybox image"

engines=(berth)
[ -n "$DOCKER_CLI" ] && engines+=(berth_docker_cli)

busybox_tar() { # a busybox root filesystem as a tar stream, for engines that cannot make one themselves
    if [ ! -f "$T/busybox.tar" ]; then
        mkdir -p "$T/busybox-rootfs/bin"
        cp /bin/busybox "$T/busybox-rootfs/bin/busybox"
        chroot "$T/busybox-rootfs" /bin/busybox --install -s /bin
        tar -C "$T/busybox-rootfs" -cf "$T/busybox.tar" .
    fi
    cat "$T/busybox.tar"
}

if [ $peers -eq 1 ] && [ -x /usr/sbin/dockerd ] && [ -n "$DOCKER_CLI" ]; then
    log "starting a private dockerd on $T/docker.sock"
    mkdir -p "$T/docker-data" "$T/docker-exec"
    setsid /usr/sbin/dockerd --data-root "$T/docker-data" --exec-root "$T/docker-exec" -H "unix://$T/docker.sock" \
        --pidfile "$T/docker.pid" --bridge none --iptables=false --ip6tables=false \
        </dev/null >"$T/dockerd.log" 2>&1 &
    DOCKERD_PID=$!
    if wait_sock "$T/docker.sock" "$DOCKERD_PID" "$T/dockerd.log" && busybox_tar | docker_peer import - busybox:latest >/dev/null; then
        engines+=(docker_peer)
    else
        log "private dockerd did not come up; benchmarking without Docker"
    fi
elif [ $peers -eq 1 ]; then
    log "no Debian dockerd (docker.io): Docker not compared (--install-peers installs it)"
fi

if [ $peers -eq 1 ] && [ -x /usr/bin/podman ]; then
    mkdir -p "$T/podman/tmp"
    # Podman asks for RLIMIT_NOFILE 1048576 and a large RLIMIT_NPROC by default, which these machines refuse
    # (no CAP_SYS_RESOURCE; see DESIGN pitfalls). Even the current hard limits were refused here; these pass.
    printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]\n' >"$T/podman/containers.conf"
    export CONTAINERS_CONF="$T/podman/containers.conf"
    if busybox_tar | podman_peer import - busybox:latest >/dev/null 2>"$T/podman.log"; then
        engines+=(podman_peer)
    else
        log "podman import failed ($(tail -n 1 "$T/podman.log")); benchmarking without Podman"
    fi
elif [ $peers -eq 1 ]; then
    log "no Debian podman: Podman not compared (--install-peers installs it)"
fi

# --- start latency ---------------------------------------------------------------------------------------------
run_once() { "$1" run --rm --network none busybox true >/dev/null 2>>"$T/$1.err"; }

for e in "${engines[@]}"; do
    for _ in 1 2 3; do
        run_once "$e" || { [ "$e" = berth ] && die "berth run failed: $(tail -n 3 "$T/$e.err")"; }
    done
done

log "timing $runs interleaved rounds of: ${engines[*]}"
for ((i = 0; i < runs; i++)); do
    for e in "${engines[@]}"; do
        s=$EPOCHREALTIME
        if run_once "$e"; then
            end=$EPOCHREALTIME
            echo $(( ${end/./} - ${s/./} )) >>"$T/samples/$e"   # microseconds
        else
            echo fail >>"$T/samples/$e"
        fi
    done
done

hyperfine_json=""
if command -v hyperfine >/dev/null; then
    log "cross-checking with hyperfine"
    hf=()
    for e in "${engines[@]}"; do
        case $e in
            berth) hf+=("out/berth -H unix://$T/berth.sock run --rm --network none busybox true") ;;
            berth_docker_cli) hf+=("env DOCKER_HOST=unix://$T/berth.sock DOCKER_CONFIG=$T/docker-config $DOCKER_CLI run --rm --network none busybox true") ;;
            docker_peer) hf+=("env DOCKER_HOST=unix://$T/docker.sock DOCKER_CONFIG=$T/docker-config $DOCKER_CLI run --rm --network none busybox true") ;;
            podman_peer) hf+=("${PODMAN[*]} run --rm --network none busybox true") ;;
        esac
    done
    hyperfine -N --warmup 2 --runs "$runs" --export-json "$T/hyperfine.json" "${hf[@]}" >/dev/null 2>&1 && hyperfine_json="$T/hyperfine.json"
fi

# --- memory ----------------------------------------------------------------------------------------------------
kb() { local v; v=$(awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null); echo "${v:-0}"; }
pss() { local v; v=$(awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null); echo "${v:-0}"; }

daemon_pids() {
    case $1 in
        berth) echo "$BERTHD_PID" ;;
        docker_peer) echo "$DOCKERD_PID"; pgrep -P "$DOCKERD_PID" containerd || true ;;   # its private containerd
        *) ;;
    esac
}
sum_kb() { local f=$1 t=0 p; shift; for p in "$@"; do t=$((t + $($f "$p"))); done; echo $t; }

mem_json="$T/memory.json"
echo "{" >"$mem_json"
first=1
for e in berth docker_peer podman_peer; do
    [[ " ${engines[*]} " == *" $e "* ]] || continue
    sleep 1
    mapfile -t dp < <(daemon_pids "$e")
    idle=$(sum_kb kb "${dp[@]}")
    ids=()
    for _ in $(seq 1 20); do ids+=("$("$e" run -d --network none busybox sleep 1000 2>>"$T/$e.err" || true)"); done
    sleep 2
    busy=$(sum_kb kb "${dp[@]}")
    per_rss=0 per_pss=0 counted=0
    for id in "${ids[@]}"; do
        [ -n "$id" ] || continue
        pid=$("$e" inspect -f '{{.State.Pid}}' "$id" 2>/dev/null || echo 0)
        [ "${pid:-0}" -gt 0 ] 2>/dev/null || continue
        mon=$(awk '{ print $4 }' "/proc/$pid/stat" 2>/dev/null || echo 0)   # the container's parent: its monitor
        per_rss=$((per_rss + $(kb "$pid") + $(kb "$mon")))
        per_pss=$((per_pss + $(pss "$pid") + $(pss "$mon")))
        counted=$((counted + 1))
    done
    "$e" rm -f "${ids[@]}" >/dev/null 2>&1 || true
    [ $first -eq 1 ] || echo "," >>"$mem_json"
    first=0
    printf '"%s": {"daemon_rss_idle_kb": %s, "daemon_rss_20_running_kb": %s, "containers_measured": %s, "per_container_rss_kb": %s, "per_container_pss_kb": %s}\n' \
        "$e" "$idle" "$busy" "$counted" "$( [ $counted -gt 0 ] && echo $((per_rss / counted)) || echo null)" \
        "$( [ $counted -gt 0 ] && echo $((per_pss / counted)) || echo null)" >>"$mem_json"
done
echo "}" >>"$mem_json"

for e in "${engines[@]}"; do
    [ -s "$T/$e.err" ] && log "$e reported errors; last: $(tail -n 1 "$T/$e.err")"
done

# --- report ----------------------------------------------------------------------------------------------------
mkdir -p bench/results
out="bench/results/run-start-$(date -u +%Y%m%dT%H%M%SZ).json"
python3 - "$T/samples" "$mem_json" "$out" "$runs" "${hyperfine_json:-}" "${engines[@]}" <<'PY'
import json, os, platform, statistics, sys
samples_dir, mem_path, out, runs, hf_path, *engines = sys.argv[1:]
result = {"benchmark": "run --rm --network none busybox true", "runs": int(runs), "cores": os.cpu_count(),
          "kernel": platform.release(), "engines": {}, "ratios": {}, "memory": json.load(open(mem_path))}
for e in engines:
    raw = open(os.path.join(samples_dir, e)).read().split()
    ok = sorted(int(x) / 1000 for x in raw if x != "fail")
    if not ok:
        result["engines"][e] = {"failures": len(raw)}
        continue
    result["engines"][e] = {"median_ms": round(statistics.median(ok), 2), "min_ms": round(ok[0], 2),
                            "p90_ms": round(ok[min(len(ok) - 1, int(len(ok) * 0.9))], 2),
                            "failures": len(raw) - len(ok), "samples_ms": [round(x, 2) for x in ok]}
base = result["engines"].get("berth", {}).get("median_ms")
for e in engines:
    m = result["engines"][e].get("median_ms")
    if e != "berth" and base and m:
        result["ratios"][f"berth/{e}"] = round(base / m, 3)
if hf_path:
    hf = json.load(open(hf_path))
    result["hyperfine_median_ms"] = {e: round(r["median"] * 1000, 2) for e, r in zip(engines, hf["results"])}
json.dump(result, open(out, "w"), indent=2)
print(f"{'engine':<18}{'median ms':>10}{'p90 ms':>9}{'min ms':>9}{'fail':>6}")
for e, r in result["engines"].items():
    print(f"{e:<18}{r.get('median_ms', '-'):>10}{r.get('p90_ms', '-'):>9}{r.get('min_ms', '-'):>9}{r['failures']:>6}")
for k, v in result["ratios"].items():
    print(f"{k}: {v} (below 1 means Berth is faster)")
for e, m in result["memory"].items():
    print(f"{e}: daemon RSS idle {m['daemon_rss_idle_kb']} kB, with 20 running {m['daemon_rss_20_running_kb']} kB; "
          f"per container (with monitor) RSS {m['per_container_rss_kb']} kB, PSS {m['per_container_pss_kb']} kB")
print(f"written to {out}")
PY
