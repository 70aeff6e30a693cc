#!/usr/bin/env bash
# The main job on a fresh clone: installs what it needs (scripts/setup.sh), then runs scripts/demo.ts:
# a local livekit-server, the example specs in rooms/ validated, planned and applied, and the daemon
# with webhooks while real participants join. Ctrl-C stops it.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$LKG_ROOT/scripts/setup.sh"
# Again: setup may just have installed Node 24 into .tools/node.
. "$LKG_ROOT/scripts/env.sh"
cd "$LKG_ROOT"
exec node scripts/demo.ts "$@"
