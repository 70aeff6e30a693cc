#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs (scripts/setup.sh), then runs
# unit, integration and end-to-end tests against a real livekit-server and Redis on loopback.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$LKG_ROOT/scripts/setup.sh" --tests
# Again: setup may just have installed Node 24 into .tools/node.
. "$LKG_ROOT/scripts/env.sh"
cd "$LKG_ROOT"
node --version
exec npx vitest run "$@"
