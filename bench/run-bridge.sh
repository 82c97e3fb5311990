#!/bin/bash
# Start latency on each engine's default bridge (run --rm busybox true), Berth against Docker and Podman.
#
#   sudo bash bench/run-bridge.sh [--quick] [-n ROUNDS] [--no-peers] [--no-install] [--docker-cli]
#
# One part of bench/run.sh (which see: private engines, interleaved rounds, medians, JSON and PNG in bench/results/).
exec bash "$(dirname "$0")/run.sh" --only bridge "$@"
