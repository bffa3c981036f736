#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: builds libcgym and runs a real agent (examples/random_agent.cc, on the C++
# client) against a real service (the example service, launched and owned by the client).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build/release
exec build/release/examples/cgym-random-agent \
  --service build/release/services/example_cc/cgym-example-service-cc "$@"
