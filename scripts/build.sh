#!/bin/bash
# Publishes berthd, berth and berth-monitor (one per running container) with Native AOT into out/. Skips the
# publish when nothing under src/ (or the build configuration) changed since the last one; --force publishes anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

force=0
for a in "$@"; do
    case "$a" in
        --force) force=1 ;;
        *) die "usage: scripts/build.sh [--force]" ;;
    esac
done

# The AOT linker step needs clang (as the linker driver) and zlib.
apt_ensure clang zlib1g-dev
command -v dotnet >/dev/null || die "dotnet SDK not found on PATH"

case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64) rid=linux-arm64 ;;
    *) die "unsupported architecture $(uname -m)" ;;
esac

inputs=(src Directory.Build.props Directory.Packages.props global.json nuget.config)
up_to_date() {
    [ -x out/berthd ] && [ -x out/berth ] && [ -x out/berth-monitor ] || return 1
    local oldest=out/berthd
    [ out/berth -ot "$oldest" ] && oldest=out/berth
    [ out/berth-monitor -ot "$oldest" ] && oldest=out/berth-monitor
    [ -z "$(find "${inputs[@]}" \( -name bin -o -name obj \) -prune -o -type f -newer "$oldest" -print -quit)" ]
}

if [ $force -eq 0 ] && up_to_date; then
    log "out/berthd and out/berth are up to date (scripts/build.sh --force to publish anyway)"
    exit 0
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p out

publish() { # project, output dir, executable name
    local start=$SECONDS
    log "publishing $1 (Native AOT, $rid)"
    dotnet publish "$1" -c Release -r "$rid" -o "$2" --nologo -v quiet -clp:ErrorsOnly
    [ -x "$2/$3" ] || die "publish of $1 produced no $2/$3"
    # Copy then rename: a running berthd keeps its old inode and the new file appears whole.
    cp "$2/$3" "out/.$3.new" && mv -f "out/.$3.new" "out/$3"
    # Native libraries the executable loads at run time (SQLite for berthd) live beside it.
    for lib in "$2"/*.so; do [ -e "$lib" ] && cp "$lib" "out/.$(basename "$lib").new" && mv -f "out/.$(basename "$lib").new" "out/$(basename "$lib")"; done
    log "out/$3 ready in $((SECONDS - start)) s ($(du -h "out/$3" | cut -f1))"
}

publish src/Berth.Daemon out/.publish-daemon berthd
publish src/Berth.Cli out/.publish-cli berth
publish src/Berth.Monitor out/.publish-monitor berth-monitor
