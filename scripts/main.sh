#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: builds libcgym and runs a real agent (examples/random_agent.c, written in C
# against cgym.h) against a real service (the C example service, launched and owned by the
# client).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build/release
build/release/examples/cgym-random-agent-c build/release/services/example/cgym-example-service "$@"
# The same kind of agent through the Python binding.
scripts/install-python-binding.sh
exec build/venv-python/bin/python examples/random_agent.py \
  build/release/services/example/cgym-example-service
