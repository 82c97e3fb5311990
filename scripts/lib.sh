# Shared helpers for scripts/*.sh. Sourced, not run.
# shellcheck shell=bash

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Packages every Berth machine needs (runtime, monitor, AOT toolchain, test tools). catatonit is optional:
# it is added only when this Debian release has it.
BERTH_APT_PACKAGES=(crun runc busybox-static clang zlib1g-dev libzstd1 iptables iproute2 tini skopeo docker-registry tmux curl ca-certificates docker-compose debootstrap)
BERTH_APT_OPTIONAL=(catatonit)

apt_missing() {
    local p missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] || printf '%s\n' "${missing[@]}"
}

apt_lists_fresh() {
    # Lists younger than a day are good enough; an install that still misses a package retries after an update.
    [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 -print -quit 2>/dev/null)" ]
}

# Installs what is missing without starting any service (docker-registry, docker.io and podman ship init
# scripts; a registry or a Docker daemon started behind our back would squat ports and sockets).
apt_ensure() {
    local missing
    mapfile -t missing < <(apt_missing "$@")
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]} (run as root: sudo bash scripts/setup.sh)"
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    local made_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
    fi
    local rc=0
    if ! apt_lists_fresh; then apt-get update -qq || rc=$?; fi
    if [ $rc -eq 0 ] && ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
        apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || rc=$?
    fi
    [ $made_policy -eq 1 ] && rm -f /usr/sbin/policy-rc.d
    [ $rc -eq 0 ] || die "apt-get could not install: ${missing[*]}"
}

# Optional packages: installed when the archive has them, skipped quietly otherwise.
apt_ensure_optional() {
    local p
    for p in "$@"; do
        [ -z "$(apt_missing "$p")" ] && continue
        if apt-cache show "$p" >/dev/null 2>&1 || { apt_lists_fresh || apt-get update -qq; apt-cache show "$p" >/dev/null 2>&1; }; then
            apt_ensure "$p" || log "optional package $p could not be installed; continuing"
        else
            log "optional package $p is not in this release; skipping"
        fi
    done
}

# A python3 that can `import docker`: the pip-installed SDK on PATH first, Debian's python3-docker otherwise.
python_with_docker() {
    local py
    for py in "$(command -v python3 2>/dev/null)" /usr/bin/python3; do
        [ -x "$py" ] && "$py" -c 'import docker' 2>/dev/null && { echo "$py"; return 0; }
    done
    return 1
}

berth_deps() {
    apt_ensure "${BERTH_APT_PACKAGES[@]}"
    apt_ensure_optional "${BERTH_APT_OPTIONAL[@]}"
    # Never replace a pip-installed SDK; Debian's package only fills the gap on a machine without one.
    python_with_docker >/dev/null || apt_ensure python3-docker
    command -v docker >/dev/null || log "no docker CLI on PATH: the end-to-end tests that drive the real CLI will fail"
    debian_base
}

# The second offline base for tests: a Debian bookworm minbase root made once by debootstrap from the machine's apt
# mirror (as apt-get installs packages) and kept as a plain tar; tests `import` it. Network is used here, in setup, never
# in a test.
BERTH_DEBIAN_BASE=/var/cache/berth-test/debian-bookworm-minbase.tar
debian_base() {
    [ -s "$BERTH_DEBIAN_BASE" ] && return 0
    local mirror root
    mirror=$(sed -n 's/^URIs: *\(http[^ ]*\/debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
    root=$(mktemp -d /tmp/berth-debootstrap-XXXXXX)
    log "making the Debian test base with debootstrap (${mirror:-http://deb.debian.org/debian})"
    if debootstrap --variant=minbase bookworm "$root" "${mirror:-http://deb.debian.org/debian}" >"$root.log" 2>&1 ||
        { rm -rf "$root"; mkdir -p "$root"; debootstrap --variant=minbase bookworm "$root" "${mirror:-http://deb.debian.org/debian}" >"$root.log" 2>&1; }; then
        mkdir -p "$(dirname "$BERTH_DEBIAN_BASE")"
        tar -C "$root" --numeric-owner -cf "$BERTH_DEBIAN_BASE.tmp" . && mv "$BERTH_DEBIAN_BASE.tmp" "$BERTH_DEBIAN_BASE"
    else
        log "debootstrap failed (tail of its log follows); the tests on the Debian base will fail"
        tail -n 5 "$root.log" >&2
    fi
    rm -rf "$root" "$root.log"
}
