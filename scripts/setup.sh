#!/bin/bash
# Makes a fresh Debian 12 machine ready for Berth, then proves it: installs what is missing, publishes berthd and
# berth, starts berthd on /run/berth/berth.sock unless one already answers there, and runs a container.
# Safe to run again: every step checks before it acts.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

[ "$(id -u)" -eq 0 ] || die "run as root: sudo bash scripts/setup.sh"

SOCK=/run/berth/berth.sock
HOST="unix://$SOCK"
LOG=/var/log/berthd.log

berth_deps
bash scripts/build.sh

ping_ok() { [ "$(curl -s --max-time 2 --unix-socket "$SOCK" http://localhost/_ping 2>/dev/null)" = "OK" ]; }

if ping_ok; then
    log "berthd already answers on $SOCK"
else
    mkdir -p /var/lib/berth /run/berth
    log "starting berthd (log: $LOG)"
    # setsid + nohup: the daemon outlives this script and the terminal that ran it.
    setsid nohup out/berthd --data-root /var/lib/berth --exec-root /run/berth -H "$HOST" >>"$LOG" 2>&1 </dev/null &
    pid=$!
    for _ in $(seq 1 100); do
        ping_ok && break
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$LOG" >&2 || true
            die "berthd exited before answering /_ping (see $LOG)"
        fi
        sleep 0.1
    done
    ping_ok || { tail -n 30 "$LOG" >&2 || true; die "berthd (pid $pid) did not answer /_ping on $SOCK within 10 s"; }
    log "berthd is up (pid $pid)"
fi

# berthd makes busybox:latest from /bin/busybox at start when it is missing; no registry is needed.
images=$(timeout 30 out/berth -H "$HOST" images -q busybox) || die "'berth images' failed"
[ -n "$images" ] || die "berthd did not create the offline busybox image (berth images -q busybox is empty; see $LOG)"

log "running a container"
timeout 60 out/berth -H "$HOST" run --rm busybox echo hello from berth || die "'berth run --rm busybox echo hello from berth' failed (see $LOG)"
log "ready: out/berth -H $HOST ..., or DOCKER_HOST=$HOST docker ..."
