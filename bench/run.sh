#!/usr/bin/env bash
# Compiles the benchmarks with the code they measure (SWC, as the build does) and runs one.
# Usage: npm run bench -- <name>|all [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
node_modules/.bin/swc bench libs apps/api/src test/support test/push -d dist/bench \
  --ignore '**/*.spec.ts' --quiet
# Fan-out holds thousands of sockets per process: take as many descriptors as allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec node --enable-source-maps dist/bench/bench/run.js "$@"
