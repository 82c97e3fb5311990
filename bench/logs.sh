#!/bin/bash
# A container printing 200 MB to stdout, run to exit, then `logs` of it, Berth against Docker and Podman.
#
#   sudo bash bench/logs.sh [--quick] [-n ROUNDS] [--no-peers] [--no-install] [--docker-cli] [-m MB]
#
# One part of bench/run.sh (which see: private engines, interleaved rounds, medians, JSON and PNG in bench/results/).
exec bash "$(dirname "$0")/run.sh" --only logs "$@"
