#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: builds libcgym and runs a real agent against a real service (the example
# service, launched as CompilerGym's client launches services).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build/release
exec build/venv-test/bin/python examples/grpc_random_agent.py \
  --service build/release/services/example_cc/cgym-example-service-cc "$@"
