#!/bin/bash
# Pull and push of a ~100 MB image from and to a loopback docker-registry, Berth against Docker and Podman.
#
#   sudo bash bench/pull-push.sh [--quick] [-n ROUNDS] [--no-peers] [--no-install] [--docker-cli]
#
# One part of bench/run.sh (which see: private engines, interleaved rounds, medians, JSON and PNG in bench/results/).
exec bash "$(dirname "$0")/run.sh" --only pullpush "$@"
