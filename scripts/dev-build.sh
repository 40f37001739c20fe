#!/usr/bin/env bash
# Development build while several people edit the tree at once: tsc (emitting even if another
# file has type errors) then the CLI bundle, serialised with a lock so concurrent builds never
# interleave their writes to dist/. Prints this build's type errors for the paths given as args
# (all errors when none are given). Not used by CI (CI runs `npm test`).
set -uo pipefail
cd "$(dirname "$0")/.."
exec 9>/tmp/meshc-dev-build.lock
flock 9
out=$(npx tsc -p tsconfig.json 2>&1)
if [ $# -gt 0 ]; then
  for p in "$@"; do printf '%s\n' "$out" | grep -F "$p" || true; done
else
  printf '%s\n' "$out" | head -40
fi
node scripts/bundle.mjs >/dev/null 2>&1 || { echo "bundle failed"; node scripts/bundle.mjs 2>&1 | tail -5; exit 1; }
echo "dev-build done"
