#!/bin/bash
# ps -a, images and inspect with 100 containers and 50 images present, Berth against Docker and Podman.
#
#   sudo bash bench/listing.sh [--quick] [-n ROUNDS] [--no-peers] [--no-install] [--docker-cli]
#
# One part of bench/run.sh (which see: private engines, interleaved rounds, medians, JSON and PNG in bench/results/).
exec bash "$(dirname "$0")/run.sh" --only listing "$@"
