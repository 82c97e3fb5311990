#!/bin/bash
# A ~10-step Dockerfile built fresh and cached, Berth against Docker's classic builder and Podman.
#
#   sudo bash bench/build.sh [--quick] [-n ROUNDS] [--no-peers] [--no-install] [--docker-cli]
#
# One part of bench/run.sh (which see: private engines, interleaved rounds, medians, JSON and PNG in bench/results/).
exec bash "$(dirname "$0")/run.sh" --only build "$@"
