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
    -e 's|"tenants/probant_tenants/|"src/probant_tenants/|' \
    -e 's|"graphql/probant_graphql/|"src/probant_graphql/|' \
    -e 's|^also_copy = .*|also_copy = ["src", "migrations"]|' \
    "$ROOT/pyproject.toml" > "$STAGE/pyproject.toml"
# MUTATION_SCOPE=rules (default: proof) swaps in [tool.probant.mutation.rules]: the ledger,
# sealing and authorisation modules against their database tests.
if [ "${MUTATION_SCOPE:-proof}" = "rules" ]; then
  : "${PROBANT_TEST_DATABASE_URL:?the rules scope runs database tests: set PROBANT_TEST_DATABASE_URL}"
  # One pytest session per mutant: copy a database migrated once instead of migrating each time.
  export PROBANT_TEST_MIGRATE_ONCE=1
  "$ROOT/.venv/bin/python" - "$STAGE/pyproject.toml" <<'PY'
import re
import sys
import tomllib

path = sys.argv[1]
text = open(path, encoding="utf-8").read()
rules = tomllib.loads(text)["tool"]["probant"]["mutation"]["rules"]
for key in ("source_paths", "pytest_add_cli_args_test_selection"):
    listed = "".join(f'  "{value}",\n' for value in rules[key])
    # The first occurrence is [tool.mutmut]'s (it comes before [tool.probant.mutation.rules]).
    text = re.sub(rf"^{key} = \[\n.*?^\]", f"{key} = [\n{listed}]", text, count=1, flags=re.S | re.M)
open(path, "w", encoding="utf-8").write(text)
PY
fi
find "$STAGE" -name __pycache__ -prune -exec rm -rf {} +
cd "$STAGE"
# MUTATION_ONLY="probant_platform.ledger.* …" runs only the mutants whose names match (globs).
# shellcheck disable=SC2086
"$ROOT/.venv/bin/mutmut" run --max-children "${MUTATION_JOBS:-2}" ${MUTATION_ONLY:-} || true
"$ROOT/.venv/bin/mutmut" results --all true > "$STAGE/results.txt" || true
# Score: killed (and timed out) over every mutant; "no tests" are mutants no selected test runs.
awk -F': ' '{count[$2]++; total++} END {for (s in count) print s ": " count[s]; print "total: " total}' \
  "$STAGE/results.txt"
echo "survivors and every result: $STAGE/results.txt (mutmut show <name> from $STAGE)"
