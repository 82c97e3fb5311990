# Shared machinery for bench/*.sh: private engines, offline images, timing, samples. Sourced, not run.
# shellcheck shell=bash
#
# Every daemon here is our own and lives under one temp directory $T: a private berthd on its own bridge, a private
# dockerd (own --data-root, --exec-root, socket, pid file, cgroup parent and bridge; no iptables), Podman with its
# own --root/--runroot and a private CNI network, and Debian's docker-registry on 127.0.0.1 when a benchmark needs
# one. The system's /var/run/docker.sock and /var/lib/containers are never used. bench_cleanup (an EXIT trap, also
# reached on Ctrl-C) removes every container, stops every daemon, deletes bridges and iptables chains we made,
# unmounts what is left under $T and removes it.
BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/lib.sh
source "$BENCH_ROOT/scripts/lib.sh"

T="" BERTHD_PID="" DOCKERD_PID="" REGISTRY_PIDS=() ENGINES=() BENCH_TAG=""
DOCKER_CLI=$(command -v docker || true)
PODMAN=()

bench_python() { # Debian's python3 has python3-matplotlib; a pyenv python3 on PATH may not.
    if /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then /usr/bin/python3 "$@"; else python3 "$@"; fi
}

# --- engines: `eng NAME args...` runs one engine's CLI ------------------------------------------------------------
eng_berth() { "$BENCH_ROOT/out/berth" -H "unix://$T/berth.sock" "$@"; }
eng_berth_dcli() { DOCKER_HOST="unix://$T/berth.sock" DOCKER_CONFIG="$T/docker-config" DOCKER_BUILDKIT=0 "$DOCKER_CLI" "$@"; }
eng_docker() { DOCKER_HOST="unix://$T/docker.sock" DOCKER_CONFIG="$T/docker-config" DOCKER_BUILDKIT=0 "$DOCKER_CLI" "$@"; }
eng_podman() { "${PODMAN[@]}" "$@"; }
eng() { local e=$1; shift; "eng_${e//-/_}" "$@"; }

stop_pid() {
    kill -TERM "$1" 2>/dev/null || return 0
    for _ in $(seq 1 150); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
}

wait_sock() { # socket, pid, log
    for _ in $(seq 1 600); do
        [ "$(curl -s --max-time 2 --unix-socket "$1" http://localhost/_ping 2>/dev/null)" = "OK" ] && return 0
        kill -0 "$2" 2>/dev/null || { tail -n 20 "$3" >&2; return 1; }
        sleep 0.1
    done
    tail -n 20 "$3" >&2
    return 1
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- setup --------------------------------------------------------------------------------------------------------
# bench_setup PEERS(0|1) INSTALL(0|1): packages, out/, $T, the trap, berthd, and the peers that are installed.
bench_setup() {
    local peers=$1 install=$2
    [ "$(id -u)" -eq 0 ] || die "run as root (containers need it)"
    if [ "$install" -eq 1 ]; then
        local pkgs=(docker-registry skopeo python3-matplotlib curl)
        [ "$peers" -eq 1 ] && pkgs+=(docker.io podman)
        apt_ensure "${pkgs[@]}"   # apt_ensure blocks service starts: no system dockerd or registry appears
    fi
    [ -x "$BENCH_ROOT/out/berthd" ] && [ -x "$BENCH_ROOT/out/berth" ] || (cd "$BENCH_ROOT" && bash scripts/build.sh)

    T=$(mktemp -d /tmp/bb-XXXXXX)   # short: unix socket paths must stay under 108 bytes
    BENCH_TAG=$(printf '%04x' $((RANDOM % 65536)))
    mkdir -p "$T/samples" "$T/docker-config"
    iptables-save >"$T/iptables.before" 2>/dev/null || true
    trap bench_cleanup EXIT
    trap 'log "interrupted"; exit 130' INT TERM

    local net=$((RANDOM % 250))
    log "starting berthd on $T/berth.sock (bridge bb$BENCH_TAG, 10.252.$net.1/24)"
    setsid "$BENCH_ROOT/out/berthd" --data-root "$T/bd" --exec-root "$T/br" -H "unix://$T/berth.sock" \
        --bridge "bb$BENCH_TAG" --bip "10.252.$net.1/24" </dev/null >"$T/berthd.log" 2>&1 &
    BERTHD_PID=$!
    wait_sock "$T/berth.sock" "$BERTHD_PID" "$T/berthd.log" || die "berthd did not answer /_ping"
    [ -n "$(eng_berth images -q busybox)" ] || die "berthd has no busybox image"
    ENGINES=(berth)
    [ "${BENCH_DOCKER_CLI_TOO:-0}" = 1 ] && [ -n "$DOCKER_CLI" ] && ENGINES+=(berth-dcli)
    [ "$peers" -eq 1 ] || return 0

    # The one busybox every engine runs: Berth's own, saved and loaded (Docker Hub is unreachable).
    eng_berth save -o "$T/busybox.tar" busybox
    bench_start_docker "$net"
    bench_start_podman "$net"
}

bench_start_docker() {
    if [ ! -x /usr/sbin/dockerd ] || [ -z "$DOCKER_CLI" ]; then
        log "no Debian dockerd (docker.io) or docker CLI: Docker not compared"
        return 0
    fi
    local br="db$BENCH_TAG"
    log "starting a private dockerd on $T/docker.sock (bridge $br, 10.253.$1.1/24, no iptables)"
    ip link add "$br" type bridge && ip addr add "10.253.$1.1/24" dev "$br" && ip link set "$br" up
    # --iptables=false: Docker would otherwise set FORWARD's policy to DROP on a machine other helpers share. Without
    # published ports Docker adds no per-container rules, so the start path it times is the same.
    setsid /usr/sbin/dockerd --data-root "$T/dd" --exec-root "$T/de" -H "unix://$T/docker.sock" --pidfile "$T/docker.pid" \
        -b "$br" --iptables=false --ip6tables=false --cgroup-parent "bench-$BENCH_TAG" --log-level error \
        </dev/null >"$T/dockerd.log" 2>&1 &
    DOCKERD_PID=$!
    if wait_sock "$T/docker.sock" "$DOCKERD_PID" "$T/dockerd.log" && eng_docker load -q -i "$T/busybox.tar" >/dev/null; then
        ENGINES+=(docker)
    else
        log "private dockerd did not come up; benchmarking without Docker"
    fi
}

bench_start_podman() {
    if [ ! -x /usr/bin/podman ]; then log "no Debian podman: Podman not compared"; return 0; fi
    local p="$T/podman"
    mkdir -p "$p/tmp" "$p/net" "$p/ipam"
    # Podman asks for RLIMIT_NOFILE 1048576 by default, which these machines refuse (see DESIGN pitfalls). Logs go to
    # files (k8s-file), never to the system journal.
    cat >"$p/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
log_driver = "k8s-file"
[network]
network_config_dir = "$p/net"
EOF
    # Its default network, private: our own bridge name, subnet and IPAM state; the plugins of Podman's default.
    cat >"$p/net/87-podman.conflist" <<EOF
{ "cniVersion": "0.4.0", "name": "podman", "plugins": [
  { "type": "bridge", "bridge": "pb$BENCH_TAG", "isGateway": true, "ipMasq": true, "hairpinMode": true,
    "ipam": { "type": "host-local", "dataDir": "$p/ipam", "routes": [{ "dst": "0.0.0.0/0" }],
              "ranges": [[{ "subnet": "10.254.$1.0/24", "gateway": "10.254.$1.1" }]] } },
  { "type": "portmap", "capabilities": { "portMappings": true } },
  { "type": "firewall" }, { "type": "tuning" } ] }
EOF
    export CONTAINERS_CONF="$p/containers.conf"
    PODMAN=(/usr/bin/podman --root "$p/root" --runroot "$p/run" --storage-driver overlay --cgroup-manager cgroupfs
        --events-backend file --tmpdir "$p/tmp" --network-config-dir "$p/net")
    if eng_podman load -q -i "$T/busybox.tar" >/dev/null 2>"$T/podman.log"; then
        ENGINES+=(podman)
    else
        log "podman load failed ($(tail -n 1 "$T/podman.log")); benchmarking without Podman"
    fi
}

# Debian's docker-registry on 127.0.0.1:PORT with its storage in DIR; prints PORT. Stopped by bench_cleanup.
start_registry() { # dir -> sets REG_PORT, REG_PID
    local dir=$1
    REG_PORT=$(free_port)
    mkdir -p "$dir"
    printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:%s\n' \
        "$dir/data" "$REG_PORT" >"$dir/config.yml"
    setsid /usr/bin/docker-registry serve "$dir/config.yml" </dev/null >"$dir/log" 2>&1 &
    REG_PID=$!
    REGISTRY_PIDS+=("$REG_PID")
    for _ in $(seq 1 200); do curl -s -o /dev/null "http://127.0.0.1:$REG_PORT/v2/" && return 0; sleep 0.05; done
    die "docker-registry did not answer on 127.0.0.1:$REG_PORT: $(tail -n 3 "$dir/log")"
}

# --- cleanup ------------------------------------------------------------------------------------------------------
bench_cleanup() {
    set +e
    trap - INT TERM
    [ -n "$T" ] && [ -d "$T" ] || return 0
    log "cleaning up $T"
    local p
    for p in "${REGISTRY_PIDS[@]}"; do stop_pid "$p"; done
    [ -n "$BERTHD_PID" ] && { eng_berth ps -aq 2>/dev/null | xargs -r timeout 120 "$BENCH_ROOT/out/berth" -H "unix://$T/berth.sock" rm -f >/dev/null 2>&1; stop_pid "$BERTHD_PID"; }
    [ -n "$DOCKERD_PID" ] && { eng_docker ps -aq 2>/dev/null | xargs -r timeout 120 env DOCKER_HOST="unix://$T/docker.sock" "$DOCKER_CLI" rm -f >/dev/null 2>&1; stop_pid "$DOCKERD_PID"; }
    [ ${#PODMAN[@]} -gt 0 ] && timeout 120 "${PODMAN[@]}" rm -af >/dev/null 2>&1
    # Processes still naming our directory (a containerd, a shim, a conmon, a berth-monitor) were started by this run.
    for p in $(pgrep -f "$T/" 2>/dev/null); do [ "$p" != $$ ] && kill -KILL "$p" 2>/dev/null; done
    bench_iptables_cleanup
    for p in "bb$BENCH_TAG" "db$BENCH_TAG" "pb$BENCH_TAG"; do ip link del "$p" 2>/dev/null; done
    awk -v p="$T/" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf --one-file-system "$T"
    [ -d "$T" ] && log "could not remove all of $T"
}

# Chains this run created (Berth's, tagged with its bridge; CNI's, made by Podman's plugins) and the rules jumping
# to them go; chains that existed before the run are left alone.
bench_iptables_cleanup() {
    [ -f "$T/iptables.before" ] || return 0
    local table chains re c
    for table in filter nat; do
        mapfile -t chains < <(iptables-save -t "$table" | sed -n 's/^:\([^ ]*\) .*/\1/p' | grep -E "^(BERTH-bb$BENCH_TAG|CNI-)" |
            grep -Fvx -f <(sed -n 's/^:\([^ ]*\) .*/\1/p' "$T/iptables.before") || true)
        [ ${#chains[@]} -gt 0 ] || continue
        re=$(IFS='|'; echo "${chains[*]}")
        iptables-save -t "$table" | grep '^-A' | grep -E -- "-j ($re)( |\$)" | sed 's/^-A /-D /' |
            while read -r rule; do eval "iptables -w -t $table $rule" 2>/dev/null; done
        for c in "${chains[@]}"; do iptables -w -t "$table" -F "$c" 2>/dev/null; done
        for c in "${chains[@]}"; do iptables -w -t "$table" -X "$c" 2>/dev/null; done
    done
}

# --- samples ------------------------------------------------------------------------------------------------------
# bench_def ID UNIT TARGET LABEL: declares a benchmark (TARGET: the issue's Berth/peer ratio, or - for none).
bench_def() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$T/meta.tsv"; mkdir -p "$T/samples/$1"; }
bench_record() { echo "$3" >>"$T/samples/$1/$2"; }   # ID ENGINE VALUE
now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

# bench_time ID ENGINE CMD...: runs CMD (output discarded) and records its wall time in ms, or "fail".
bench_time() {
    local id=$1 e=$2 s end; shift 2
    s=$(now_us)
    if "$@" >/dev/null 2>>"$T/$e.err"; then
        end=$(now_us)
        bench_record "$id" "$e" "$(( (end - s) / 1000 )).$(( (end - s) % 1000 / 100 ))"
    else
        bench_record "$id" "$e" fail
        log "$id: $e failed: $(tail -n 1 "$T/$e.err")"
    fi
}

# bench_report QUICK: medians, ratios and targets as a table on stdout, JSON and PNG in bench/results/.
bench_report() {
    mkdir -p "$BENCH_ROOT/bench/results"
    local out
    out="$BENCH_ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)"
    bench_python "$BENCH_ROOT/bench/report.py" --samples "$T/samples" --meta "$T/meta.tsv" --out "$out" \
        --quick "$1" --engines "${ENGINES[*]}" --load-start "$BENCH_LOAD_START" --load-end "$(cut -d' ' -f1-3 /proc/loadavg)" \
        --versions "$(bench_versions)"
}

bench_versions() {
    printf 'berth=%s;' "$(eng_berth version --format '{{.Server.Version}}' 2>/dev/null || echo '?')"
    [[ " ${ENGINES[*]} " == *" docker "* ]] && printf 'docker=%s;' "$(eng_docker version --format '{{.Server.Version}}' 2>/dev/null)"
    [[ " ${ENGINES[*]} " == *" podman "* ]] && printf 'podman=%s;' "$(eng_podman version --format '{{.Version}}' 2>/dev/null)"
    echo
}
