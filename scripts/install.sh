#!/usr/bin/env bash
# Installs the `livekit-gitops` command from this clone: the npm dependencies when missing, then
# `npm pack` (which builds dist/) and a global `npm install` of that package without dev
# dependencies. Extra arguments go to `npm install -g`, e.g. `--prefix ~/.local` where npm's
# global prefix is not writable.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$LKG_ROOT"

say() { printf '[install] %s\n' "$*" >&2; }

if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null; then
  say "livekit-gitops needs Node >= 22.12 on PATH (found $(node --version 2>/dev/null || echo none))"
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
say "done: $(command -v livekit-gitops || echo "livekit-gitops is in the bin directory of the npm prefix; put that on PATH")"
