#!/usr/bin/env bash
# The README's demo as a check (CI runs it after the suite): the first command of the README on the bundled sample,
# exactly as a new user runs it, then the privacy check (WarehousePrivacyTest, issue 32) on the warehouse and the
# output it left: no raw seller or household id in any file of the warehouse or in what the run printed and logged,
# no money or count held as floating point, and no exported figure from fewer than 3 sellers, counted from the
# sample's files. Prints the demo's wall time. Its warehouse and output stay in target/demo-check.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/demo-check
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
if ! jobs/run-local.sh pipeline --input sample-parquet --warehouse "$out/warehouse" --run-date 2022-12-31 --demo \
    > "$out/output.txt" 2>&1; then
  cat "$out/output.txt"
  echo "demo-check: the README's demo failed" >&2
  exit 1
fi
echo "demo-check: the README's demo on the sample took $(( $(date +%s) - start )) s"
tail -n 5 "$out/output.txt"
exec mvn -B -ntp -q test -Dtest=WarehousePrivacyTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dprivacy.warehouse="$PWD/$out/warehouse" -Dprivacy.input="$PWD/sample-parquet" \
  -Dprivacy.truth="$PWD/sample-parquet/_truth" -Dprivacy.run-date=2022-12-31 -Dprivacy.k=3 \
  -Dprivacy.output="$PWD/$out/output.txt"
