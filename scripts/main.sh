#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: builds libcgym and runs a real agent (examples/random_agent.c, written in C
# against cgym.h) against a real service (the C example service, launched and owned by the
# client).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build/release
exec build/release/examples/cgym-random-agent-c \
  build/release/services/example/cgym-example-service "$@"
