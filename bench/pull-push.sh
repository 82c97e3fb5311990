#!/bin/bash
# Pull and push of a ~100 MB, three-layer image from and to a loopback registry: Berth against Docker and Podman from
# Debian when they are installed.
#
#   bash bench/pull-push.sh [-n ROUNDS] [--install-peers] [--no-peers]
#
# The registry is `berth registry serve` on 127.0.0.1 (plain HTTP, as every engine allows for loopback). The image is
# made once (busybox plus 40 + 30 + 30 MB of half-random, half-compressible data), saved with `berth save` and
# copied by skopeo into the source registry with gzip layers, as a registry usually holds them. Each round, for each
# engine (interleaved, so machine load hits all alike): remove the image, time `pull`, then time `push` to a fresh,
# empty registry (nothing to skip or mount). Medians and Berth/peer ratios go to stdout and bench/results/.
#
# Every daemon here is our own: a private berthd and, if Debian's docker.io is installed, a private dockerd (own data
# root, exec root, socket, no bridge, no iptables). The system's /var/run/docker.sock is never used. Podman runs with
# its own --root/--runroot. All of it is stopped and removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

rounds=3 install_peers=0 peers=1
while [ $# -gt 0 ]; do
    case "$1" in
        -n) rounds=$2; shift ;;
        --install-peers) install_peers=1 ;;
        --no-peers) peers=0 ;;
        *) die "usage: bench/pull-push.sh [-n ROUNDS] [--install-peers] [--no-peers]" ;;
    esac
    shift
done
[ "$(id -u)" -eq 0 ] || die "run as root (image layers keep owners)"
[ "$rounds" -ge 1 ] 2>/dev/null || die "-n needs a number >= 1"
[ $install_peers -eq 1 ] && apt_ensure docker.io podman
command -v skopeo >/dev/null || apt_ensure skopeo
bash scripts/build.sh

T=$(mktemp -d /tmp/berth-pp-XXXXXX)
DOCKER_CLI=$(command -v docker || true)
BERTHD_PID="" DOCKERD_PID="" SRC_PID="" DST_PID=""
PODMAN=(/usr/bin/podman --root "$T/podman/root" --runroot "$T/podman/run" --storage-driver overlay
    --cgroup-manager cgroupfs --events-backend file --tmpdir "$T/podman/tmp")

stop_pid() {
    kill -TERM "$1" 2>/dev/null || return 0
    for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
    set +e
    [ -n "$DST_PID" ] && stop_pid "$DST_PID"
    [ -n "$SRC_PID" ] && stop_pid "$SRC_PID"
    [ -n "$BERTHD_PID" ] && stop_pid "$BERTHD_PID"
    [ -n "$DOCKERD_PID" ] && stop_pid "$DOCKERD_PID"
    [ -d "$T/podman" ] && timeout 60 "${PODMAN[@]}" rmi -af >/dev/null 2>&1
    awk -v p="$T/" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf --one-file-system "$T"
}
trap cleanup EXIT

wait_sock() { # socket, pid, log
    for _ in $(seq 1 200); do
        [ "$(curl -s --max-time 1 --unix-socket "$1" http://localhost/_ping 2>/dev/null)" = "OK" ] && return 0
        kill -0 "$2" 2>/dev/null || { tail -n 20 "$3" >&2; return 1; }
        sleep 0.05
    done
    tail -n 20 "$3" >&2
    return 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start_registry() { # root, port -> pid in REG_PID
    out/berth registry serve --addr "127.0.0.1:$2" --root "$1" >"$1.log" 2>&1 &
    REG_PID=$!
    for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$2/v2/" && return 0; sleep 0.05; done
    die "berth registry serve did not answer on $2"
}

berth() { out/berth -H "unix://$T/berth.sock" "$@"; }
docker_peer() { DOCKER_HOST="unix://$T/docker.sock" DOCKER_CONFIG="$T/docker-config" "$DOCKER_CLI" "$@"; }
podman_peer() { "${PODMAN[@]}" "$@"; }

mkdir -p "$T/berth-data" "$T/berth-run" "$T/docker-config" "$T/samples"
log "starting berthd on $T/berth.sock"
setsid out/berthd --data-root "$T/berth-data" --exec-root "$T/berth-run" -H "unix://$T/berth.sock" </dev/null >"$T/berthd.log" 2>&1 &
BERTHD_PID=$!
wait_sock "$T/berth.sock" "$BERTHD_PID" "$T/berthd.log" || die "berthd did not answer /_ping"

SRC_PORT=$(free_port)
start_registry "$T/src-registry" "$SRC_PORT"
SRC_PID=$REG_PID
IMAGE="127.0.0.1:$SRC_PORT/bench/big:1"

# --- the image ---------------------------------------------------------------------------------------------------
log "making the image (3 layers, ~100 MB)"
data_cmd() { # MB: half random, half compressible (base64 of random)
    echo "mkdir -p /data && dd if=/dev/urandom of=/data/r-\$\$ bs=1048576 count=$(($1 / 2)) 2>/dev/null && dd if=/dev/urandom bs=1048576 count=$(($1 * 3 / 8)) 2>/dev/null | base64 > /data/t-\$\$"
}
berth run --name pp-l1 busybox sh -c "$(data_cmd 40)" >/dev/null
berth commit pp-l1 bench/l1 >/dev/null
berth run --name pp-l2 bench/l1 sh -c "$(data_cmd 30)" >/dev/null
berth commit pp-l2 bench/l2 >/dev/null
berth run --name pp-l3 bench/l2 sh -c "$(data_cmd 30)" >/dev/null
berth commit -c 'CMD ["sh"]' pp-l3 bench/big:1 >/dev/null
berth rm pp-l1 pp-l2 pp-l3 >/dev/null
berth save -o "$T/big.tar" bench/big:1
skopeo copy -q --dest-compress --dest-tls-verify=false "docker-archive:$T/big.tar" "docker://$IMAGE"
rm -f "$T/big.tar"
berth rmi bench/big:1 bench/l2 bench/l1 >/dev/null
[ -z "$(berth images -q)" ] || [ "$(berth images -q)" = "$(berth images -q busybox)" ] || die "berth kept images after rmi: $(berth images)"
log "source image $IMAGE: $(du -sh "$T/src-registry/blobs" | cut -f1) in the registry"

# --- peers -------------------------------------------------------------------------------------------------------
engines=(berth)
if [ $peers -eq 1 ] && [ -x /usr/sbin/dockerd ] && [ -n "$DOCKER_CLI" ]; then
    log "starting a private dockerd on $T/docker.sock"
    mkdir -p "$T/docker-data" "$T/docker-exec"
    setsid /usr/sbin/dockerd --data-root "$T/docker-data" --exec-root "$T/docker-exec" -H "unix://$T/docker.sock" \
        --pidfile "$T/docker.pid" --bridge none --iptables=false --ip6tables=false </dev/null >"$T/dockerd.log" 2>&1 &
    DOCKERD_PID=$!
    if wait_sock "$T/docker.sock" "$DOCKERD_PID" "$T/dockerd.log"; then engines+=(docker_peer); else log "private dockerd did not come up"; fi
fi
if [ $peers -eq 1 ] && [ -x /usr/bin/podman ]; then
    mkdir -p "$T/podman/tmp"
    printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]\n' >"$T/podman/containers.conf"
    export CONTAINERS_CONF="$T/podman/containers.conf"
    engines+=(podman_peer)
fi

pull_cmd() { case $1 in podman_peer) podman_peer pull -q --tls-verify=false "$2" ;; *) "$1" pull -q "$2" ;; esac; }
push_cmd() { case $1 in podman_peer) podman_peer push -q --tls-verify=false "$2" ;; *) "$1" push -q "$2" ;; esac; }
timed() { # file, command...: appends microseconds (or "fail")
    local f=$1 s e; shift
    s=$EPOCHREALTIME
    if "$@" >/dev/null 2>>"$T/errors"; then e=$EPOCHREALTIME; echo $(( ${e/./} - ${s/./} )) >>"$f"; else echo fail >>"$f"; fi
}

log "timing $rounds interleaved rounds of: ${engines[*]}"
for ((i = 0; i < rounds; i++)); do
    for e in "${engines[@]}"; do
        if [ -n "$("$e" images -q "$IMAGE" 2>/dev/null)" ]; then "$e" rmi -f "$IMAGE" >/dev/null 2>>"$T/errors" || die "$e rmi failed: $(tail -n 1 "$T/errors")"; fi
        [ "$e" = docker_peer ] && docker_peer image prune -af >/dev/null 2>&1
        [ -z "$("$e" images -q "$IMAGE" 2>/dev/null)" ] || die "$e still has $IMAGE after rmi: the pull would not be measured"
        timed "$T/samples/$e.pull" pull_cmd "$e" "$IMAGE"
        [ "$e" = berth ] && berth images "$IMAGE" >>"$T/berth-images.log"
        port=$(free_port)
        start_registry "$T/dst-$e-$i" "$port"
        DST_PID=$REG_PID
        target="127.0.0.1:$port/bench/pushed:1"
        "$e" tag "$IMAGE" "$target" >/dev/null 2>>"$T/errors" || true
        timed "$T/samples/$e.push" push_cmd "$e" "$target"
        "$e" rmi "$target" >/dev/null 2>&1 || true
        stop_pid "$DST_PID"
        DST_PID=""
        rm -rf "$T/dst-$e-$i"
    done
done
[ -s "$T/errors" ] && log "errors (last lines): $(tail -n 3 "$T/errors")"
[ -s "$T/berth-images.log" ] && log "berth after each pull: $(grep -c bench/big "$T/berth-images.log") images listed"

mkdir -p bench/results
out="bench/results/pull-push-$(date -u +%Y%m%dT%H%M%SZ).json"
python3 - "$T/samples" "$out" "$rounds" "${engines[@]}" <<'PY'
import json, os, statistics, sys
samples, out, rounds, *engines = sys.argv[1:]
result = {"benchmark": "pull and push of a 3-layer ~100 MB image, loopback registry", "rounds": int(rounds), "cores": os.cpu_count(), "engines": {}, "ratios": {}}
for e in engines:
    r = {}
    for op in ("pull", "push"):
        raw = open(os.path.join(samples, f"{e}.{op}")).read().split()
        ok = sorted(int(x) / 1e6 for x in raw if x != "fail")
        r[op] = {"median_s": round(statistics.median(ok), 3) if ok else None, "samples_s": [round(x, 3) for x in ok], "failures": len(raw) - len(ok)}
    result["engines"][e] = r
for e in engines:
    if e == "berth":
        continue
    for op in ("pull", "push"):
        b, p = result["engines"]["berth"][op]["median_s"], result["engines"][e][op]["median_s"]
        if b and p:
            result["ratios"][f"berth/{e} {op}"] = round(b / p, 3)
json.dump(result, open(out, "w"), indent=2)
print(f"{'engine':<14}{'pull s':>9}{'push s':>9}{'fail':>6}")
for e, r in result["engines"].items():
    print(f"{e:<14}{str(r['pull']['median_s']):>9}{str(r['push']['median_s']):>9}{r['pull']['failures'] + r['push']['failures']:>6}")
for k, v in result["ratios"].items():
    print(f"{k}: {v} (target <= 0.5)")
print(f"written to {out}")
PY
