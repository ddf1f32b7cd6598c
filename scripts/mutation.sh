#!/usr/bin/env bash
# Mutation testing (`make mutation`): mutmut expects packages at the root or under src/, so the
# sources are staged as src/<package> in a temporary folder, with the tests and the mutmut
# settings of pyproject.toml ([tool.mutmut]); the checkout is never written to.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STAGE="${PROBANT_MUTATION_DIR:-${TMPDIR:-/tmp}/probant-mutation}"
rm -rf "$STAGE" && mkdir -p "$STAGE/src"
for root in platform tenants graphql; do
  cp -r "$ROOT/$root"/probant_* "$STAGE/src/"
done
cp -r "$ROOT/tests" "$ROOT/migrations" "$STAGE/"
sed -e 's|^pythonpath = .*|pythonpath = ["src"]|' \
    -e 's|"platform/probant_platform/|"src/probant_platform/|' \
    -e 's|^also_copy = .*|also_copy = ["src", "migrations"]|' \
    "$ROOT/pyproject.toml" > "$STAGE/pyproject.toml"
find "$STAGE" -name __pycache__ -prune -exec rm -rf {} +
cd "$STAGE"
"$ROOT/.venv/bin/mutmut" run --max-children "${MUTATION_JOBS:-2}" || true
"$ROOT/.venv/bin/mutmut" results --all true > "$STAGE/results.txt" || true
# Score: killed (and timed out) over every mutant; "no tests" are mutants no selected test runs.
awk -F': ' '{count[$2]++; total++} END {for (s in count) print s ": " count[s]; print "total: " total}' \
  "$STAGE/results.txt"
echo "survivors and every result: $STAGE/results.txt (mutmut show <name> from $STAGE)"
