#!/bin/bash
# Start latency (run --rm --network none busybox true) and memory, Berth against Docker and Podman.
#
#   sudo bash bench/run-start.sh [--quick] [-n ROUNDS] [--no-peers] [--no-install] [--docker-cli]
#
# One part of bench/run.sh (which see: private engines, interleaved rounds, medians, JSON and PNG in bench/results/).
exec bash "$(dirname "$0")/run.sh" --only start,memory "$@"
