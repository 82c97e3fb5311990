#!/bin/bash
# Image build time, Berth against Docker's classic builder and Podman (buildah) when they are installed.
#
#   bash bench/build.sh [-n ROUNDS] [--install-peers] [--no-peers]
#
# Builds one ~10-step Dockerfile on the offline busybox base (ENV/WORKDIR/COPY/RUN/ARG/LABEL/EXPOSE/USER/CMD, a
# dependency step before the app COPY as the seeds recommend) in three situations per engine, interleaved round by
# round so machine load hits every engine alike:
#   fresh   - --no-cache, every step runs
#   cached  - nothing changed, every step is a cache hit
#   edit    - the app file changed: the steps after its COPY run again
# Prints medians and Berth/peer ratios and writes them as JSON to bench/results/.
#
# Every daemon here is our own: a private berthd, and a private dockerd (own data root, exec root, socket, pid file,
# no bridge, no iptables) started only if Debian's docker.io is installed. Podman runs with its own --root/--runroot.
# All of it is stopped and removed on exit; the system's /var/run/docker.sock is never used.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

rounds=5 install_peers=0 peers=1
while [ $# -gt 0 ]; do
    case "$1" in
        -n) rounds=$2; shift ;;
        --install-peers) install_peers=1 ;;
        --no-peers) peers=0 ;;
        *) die "usage: bench/build.sh [-n ROUNDS] [--install-peers] [--no-peers]" ;;
    esac
    shift
done
[ "$(id -u)" -eq 0 ] || die "run as root (builds run containers)"
[ "$rounds" -ge 1 ] 2>/dev/null || die "-n needs a number >= 1"
[ $install_peers -eq 1 ] && apt_ensure docker.io podman
bash scripts/build.sh

T=$(mktemp -d /tmp/berth-bbench-XXXXXX)
DOCKER_CLI=$(command -v docker || true)
BERTHD_PID="" DOCKERD_PID=""
PODMAN=(/usr/bin/podman --root "$T/podman/root" --runroot "$T/podman/run" --storage-driver overlay
    --cgroup-manager cgroupfs --events-backend file --tmpdir "$T/podman/tmp")

stop_pid() {
    kill -TERM "$1" 2>/dev/null || return 0
    for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
    set +e
    [ -n "$BERTHD_PID" ] && { out/berth -H "unix://$T/berth.sock" ps -aq 2>/dev/null | xargs -r timeout 60 out/berth -H "unix://$T/berth.sock" rm -f >/dev/null 2>&1; stop_pid "$BERTHD_PID"; }
    [ -n "$DOCKERD_PID" ] && { docker_peer ps -aq 2>/dev/null | xargs -r timeout 60 env DOCKER_HOST="unix://$T/docker.sock" DOCKER_CONFIG="$T/docker-config" "$DOCKER_CLI" rm -f >/dev/null 2>&1; stop_pid "$DOCKERD_PID"; }
    [ -d "$T/podman" ] && timeout 60 "${PODMAN[@]}" rm -af >/dev/null 2>&1
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

berth_docker_cli() { DOCKER_HOST="unix://$T/berth.sock" DOCKER_CONFIG="$T/docker-config" DOCKER_BUILDKIT=0 "$DOCKER_CLI" "$@"; }
docker_peer() { DOCKER_HOST="unix://$T/docker.sock" DOCKER_CONFIG="$T/docker-config" DOCKER_BUILDKIT=0 "$DOCKER_CLI" "$@"; }
podman_peer() { "${PODMAN[@]}" "$@"; }
berth() { out/berth -H "unix://$T/berth.sock" "$@"; }

# --- the project -----------------------------------------------------------------------------------------------
CTX="$T/context"
mkdir -p "$CTX/src" "$CTX/docs"
printf 'flask==3.0.0\nrequests==2.31.0\n' >"$CTX/requirements.txt"
for i in $(seq 1 20); do printf 'def f%d():\n    return %d\n' "$i" "$i" >"$CTX/src/module$i.py"; done
printf 'print("hello")\n' >"$CTX/src/main.py"
printf 'docs are not shipped\n' >"$CTX/docs/README.md"
printf 'docs\n*.md\n' >"$CTX/.dockerignore"
cat >"$CTX/Dockerfile" <<'DOCKERFILE'
FROM busybox
ARG APP_VERSION=1.0
ENV APP_HOME=/app PYTHONUNBUFFERED=1
WORKDIR $APP_HOME
COPY requirements.txt .
RUN mkdir -p /opt/venv && while read -r pkg; do echo "installing $pkg" && echo "$pkg" >> /opt/venv/installed; done < requirements.txt
RUN echo 'app:x:1000:1000::/app:/bin/sh' >> /etc/passwd && echo 'app:x:1000:' >> /etc/group
COPY --chown=app:app src/ ./src/
RUN find src -name '*.py' | sort > manifest.txt && echo "$APP_VERSION" > version.txt
LABEL org.opencontainers.image.title=bench-app
EXPOSE 8000
USER app
CMD ["cat", "/app/src/main.py"]
DOCKERFILE

# --- engines ---------------------------------------------------------------------------------------------------
mkdir -p "$T/berth-data" "$T/berth-run" "$T/docker-config" "$T/samples"
log "starting berthd on $T/berth.sock"
setsid out/berthd --data-root "$T/berth-data" --exec-root "$T/berth-run" -H "unix://$T/berth.sock" </dev/null >"$T/berthd.log" 2>&1 &
BERTHD_PID=$!
wait_sock "$T/berth.sock" "$BERTHD_PID" "$T/berthd.log" || die "berthd did not answer /_ping"

engines=(berth)
[ -n "$DOCKER_CLI" ] && engines+=(berth_docker_cli)

busybox_tar() {
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
        --pidfile "$T/docker.pid" --bridge none --iptables=false --ip6tables=false </dev/null >"$T/dockerd.log" 2>&1 &
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
    printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]\n' >"$T/podman/containers.conf"
    export CONTAINERS_CONF="$T/podman/containers.conf"
    if busybox_tar | podman_peer import - docker.io/library/busybox:latest >/dev/null 2>"$T/podman.log"; then
        engines+=(podman_peer)
    else
        log "podman import failed ($(tail -n 1 "$T/podman.log")); benchmarking without Podman"
    fi
elif [ $peers -eq 1 ]; then
    log "no Debian podman: Podman not compared (--install-peers installs it)"
fi

# --- timing ----------------------------------------------------------------------------------------------------
build_cmd() { # engine, extra args...
    local e=$1; shift
    case $e in
        podman_peer) podman_peer build --network none --layers "$@" -t bench-app:latest "$CTX" ;;
        *) "$e" build --network none "$@" -t bench-app:latest "$CTX" ;;
    esac
}
timed() { # engine, scenario, extra args...
    local e=$1 scenario=$2; shift 2
    local s=$EPOCHREALTIME end
    if build_cmd "$e" "$@" >>"$T/$e.out" 2>>"$T/$e.err"; then
        end=$EPOCHREALTIME
        echo $(( ${end/./} - ${s/./} )) >>"$T/samples/$e.$scenario"
    else
        echo fail >>"$T/samples/$e.$scenario"
        [ "$e" = berth ] && die "berth build failed: $(tail -n 5 "$T/$e.err")"
    fi
}

for e in "${engines[@]}"; do build_cmd "$e" >/dev/null 2>>"$T/$e.err" || log "$e warm-up build failed: $(tail -n 2 "$T/$e.err")"; done
log "timing $rounds interleaved rounds of fresh / cached / edited builds: ${engines[*]}"
for ((i = 0; i < rounds; i++)); do
    for e in "${engines[@]}"; do timed "$e" fresh --no-cache; done
    for e in "${engines[@]}"; do timed "$e" cached; done
    # Each engine gets its own edit: berth and berth_docker_cli share a daemon and would otherwise hit each other's cache.
    for e in "${engines[@]}"; do printf 'print("hello %d %s")\n' "$i" "$e" >"$CTX/src/main.py"; timed "$e" edit; done
done

for e in "${engines[@]}"; do
    [ -s "$T/$e.err" ] && grep -v -i -e deprecated -e 'buildkit is currently disabled' -e 'environment-variable' -e '^ *$' "$T/$e.err" | tail -n 1 | sed "s/^/$e stderr: /" >&2 || true
done

# --- report ----------------------------------------------------------------------------------------------------
mkdir -p bench/results
out="bench/results/build-$(date -u +%Y%m%dT%H%M%SZ).json"
python3 - "$T/samples" "$out" "$rounds" "${engines[@]}" <<'PY'
import json, os, platform, statistics, sys
samples_dir, out, rounds, *engines = sys.argv[1:]
scenarios = ["fresh", "cached", "edit"]
result = {"benchmark": "classic build of a 13-instruction Dockerfile on busybox", "rounds": int(rounds), "cores": os.cpu_count(),
          "kernel": platform.release(), "engines": {}, "ratios": {}}
for e in engines:
    result["engines"][e] = {}
    for s in scenarios:
        path = os.path.join(samples_dir, f"{e}.{s}")
        raw = open(path).read().split() if os.path.exists(path) else []
        ok = sorted(int(x) / 1000 for x in raw if x != "fail")
        result["engines"][e][s] = {"median_ms": round(statistics.median(ok), 1) if ok else None,
                                   "min_ms": round(ok[0], 1) if ok else None, "failures": len(raw) - len(ok)}
for e in engines:
    if e in ("berth", "berth_docker_cli"):   # the same daemon, driven by another client
        continue
    for s in scenarios:
        b, p = result["engines"]["berth"][s]["median_ms"], result["engines"][e][s]["median_ms"]
        if b and p:
            result["ratios"][f"berth/{e}.{s}"] = round(b / p, 3)
json.dump(result, open(out, "w"), indent=2)
print(f"{'engine':<18}" + "".join(f"{s + ' ms':>14}" for s in scenarios))
for e, r in result["engines"].items():
    print(f"{e:<18}" + "".join(f"{str(r[s]['median_ms']):>14}" for s in scenarios))
for k, v in result["ratios"].items():
    print(f"{k}: {v} (target <= 0.5)")
print(f"written to {out}")
PY
