#!/usr/bin/env bash
# Runs the test suite by level. Node 20's --test does not expand globs and silently passes on an empty list,
# so the shell finds the files and an empty list is an error.
set -euo pipefail
cd "$(dirname "$0")/.."
level="${1:-all}"
case "$level" in
  unit) pattern='*.unit.spec.ts' ;;
  int) pattern='*.int.spec.ts' ;;
  e2e) pattern='*.e2e.spec.ts' ;;
  all) pattern='*.spec.ts' ;;
  *) echo "usage: scripts/test.sh [unit|int|e2e|all]" >&2; exit 2 ;;
esac
mapfile -t files < <(find . -path ./node_modules -prune -o -path ./data -prune -o -name "$pattern" -print | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "no test files match $pattern" >&2
  exit 1
fi
if [ "$level" = all ]; then
  npx --no-install tsc --noEmit -p .
  npx --no-install eslint .
fi
exec node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-3}" --test-reporter=spec "${files[@]}"
