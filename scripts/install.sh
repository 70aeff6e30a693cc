#!/usr/bin/env bash
# Installs the `livekit-gitops` command from this clone: the npm dependencies when missing, then
# `npm pack` (which builds dist/) and a global `npm install` of that package without dev
# dependencies. Extra arguments go to `npm install -g`, e.g. `--prefix ~/.local` where npm's
# global prefix is not writable.
set -euo pipefail
node_ok() { "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null; }
# The installed command runs with the node first on the caller's PATH, not the clone's own.
caller_node="$(command -v node || true)"
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$LKG_ROOT"

say() { printf '[install] %s\n' "$*" >&2; }

if ! node_ok node; then
  say "livekit-gitops needs Node >= 22.12 on PATH (found $(node --version 2>/dev/null || echo none))."
  say "Install a current Node (https://nodejs.org, or nvm/fnm) and put it first on PATH."
  exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (the build needs TypeScript)"
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
say "building and packing"
npm pack --pack-destination "$tmp" --loglevel=error >/dev/null
say "installing $(cd "$tmp" && ls ./*.tgz | cut -c3-)"
npm install -g --omit=dev --no-audit --no-fund --loglevel=error "$@" "$tmp"/*.tgz >&2
bin="$(npm prefix -g "$@" 2>/dev/null)/bin"
if [ "$(command -v livekit-gitops || true)" = "$bin/livekit-gitops" ]; then
  say "done: $bin/livekit-gitops"
else
  say "done: installed as $bin/livekit-gitops; put $bin first on PATH to run it as livekit-gitops"
fi
if [ -z "$caller_node" ] || ! node_ok "$caller_node"; then
  say "note: the node on your PATH (${caller_node:-none}) is older than 22.12; livekit-gitops runs with"
  say "it and will refuse. Put a current Node first on PATH (this clone's: export PATH=\"$(dirname "$(command -v node)"):\$PATH\")."
fi
