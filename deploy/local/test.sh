#!/usr/bin/env bash
# Runs every test project against the servers named by RECONMESH_* and prints "N passed, N failed" last.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
results="$root/artifacts/test-results"
# The operator console's browser tests drive Debian's Chromium: installed here on a machine without it (a clean CI).
deploy/local/browser.sh ensure
rm -rf "$results"; mkdir -p "$results"

status=0
started=$(date +%s)
for project in tests/*/*.csproj sandbox/*.Tests/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "[test] $name" >&2
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" || status=1
done

echo "[test] all projects ran in $(( $(date +%s) - started )) s" >&2

# CI reads the last line: count outcomes from the TRX files rather than trusting dotnet test's own summary.
python3 - "$results" <<'PY' || status=1
import sys, glob, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed or passed == 0 else 0)
PY
exit $status
