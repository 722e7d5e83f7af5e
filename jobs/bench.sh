#!/usr/bin/env bash
# Benchmark on this machine, in one run on one input: times generate, ingest, aggregate --full, detect, typology and
# export with embedded local Spark; times the Spark floors of ingest and aggregate (the plainest Spark job doing the
# stage's essential work, src/test/java/org/taobaovillages/bench/{IngestFloor,AggregateFloor}.java: the ingest floor
# into its own warehouse, the aggregate floor from our ingest's tables) and checks that their tables equal ours
# (FloorCheck); answers the village-year question (active sellers, sale orders, sales per village and year from the
# accepted orders) with embedded DuckDB on the same raw Parquet and checks that both answers are equal. Prints per
# stage wall and CPU seconds (user + sys), rows/s, the time as a multiple of DuckDB's and, for ingest and aggregate,
# the floor's wall and CPU seconds and our time as a multiple of the floor's. A difference fails the run.
#
#   jobs/bench.sh [--rows N | --input DIR] [--work DIR] [--run-date YYYY-MM-DD] [--scale S] [--no-floors]
#   jobs/bench.sh --daily DAYS [--year YYYY] [--rows N | --input DIR] [--work DIR]
#   jobs/bench.sh --year-sim [--days 1,180,365] [--year YYYY] [--rows N | --input DIR] [--work DIR]
#
#   --rows N      generate a world of about N order rows (1 % of the country, --scale 0.01, with the unit
#                 prices scaled so the same sales take about N orders; default 1,500,000)
#   --input DIR   take this delivery (the four file sets as Parquet) instead of generating one
#   --work DIR    where the world, the warehouse and the logs go (default /tmp/taobao-villages-bench); emptied
#   --run-date    run date of every stage (default 2022-12-31, the generated world's last day)
#   --no-floors   leave out the two floors and their check (for the 100 M-row run, where they would double the time)
#   --daily DAYS  instead: the simulated year of daily runs. The orders of --year (default 2022) are split into
#                 daily deliveries by order date, everything else is delivered first; then DAYS days of ingest
#                 and aggregate run one after another in one JVM (daily.tsv: seconds and files per day)
#   --year-sim    instead: the simulated year without 365 runs (SimulatedYear). Day 1, day 180 and day 365 of
#                 --year, each after a bulk load of the days before it, every DAG stage timed, each timed day's
#                 delivery with dimension changes (year.tsv: seconds per stage; logs/: what each stage recomputed)
#   TV_DRIVER_MEMORY   heap of the local Spark driver (default 4g; 12g for 100 M rows), ours and the floors'
#
# Needs Java 17 and Maven (DuckDB comes from Maven Central as a test-scope dependency; it and the floors are never
# in the application jar). Output: a table on stdout and bench.tsv in the work directory (stage, wall seconds,
# peak RSS MB, CPU seconds); logs per stage there too, the floors' warehouse in floor/. CPU seconds need GNU
# /usr/bin/time; on a shared machine they compare better than wall seconds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
rows=1500000 input="" work=/tmp/taobao-villages-bench run_date=2022-12-31 scale=0.01 daily="" year=2022 year_sim="" days=1,180,365 floors=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    --input) input=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --run-date) run_date=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --daily) daily=$2; shift 2 ;;
    --year) year=$2; shift 2 ;;
    --year-sim) year_sim=1; shift ;;
    --days) days=$2; shift 2 ;;
    --no-floors) floors=""; shift ;;
    *) echo "usage: $0 [--rows N | --input DIR] [--work DIR] [--run-date YYYY-MM-DD] [--scale S]" >&2; exit 2 ;;
  esac
done
rm -rf "$work" && mkdir -p "$work"
work=$(cd "$work" && pwd)

# The application jar (built by run-local.sh when needed) and the test classpath for the DuckDB side.
"$here/run-local.sh" --version > /dev/null
(cd "$top" && mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
  -Dmdep.includeScope=test) >&2
source "$here/java-opens.sh"

timer=()
if [[ -x /usr/bin/time ]]; then timer=(/usr/bin/time -f "%M %U %S" -o "$work/.rss"); fi
printf 'stage\tseconds\tpeak_rss_mb\tcpu_seconds\n' > "$work/bench.tsv"
# stage NAME COMMAND...: runs it, logs to NAME.log, records wall seconds, peak memory and CPU seconds (user + sys).
stage() {
  local name=$1; shift
  echo "running $name..." >&2
  local start end rss="" cpu=""
  start=$(date +%s.%N)
  if ! "${timer[@]}" "$@" > "$work/$name.log" 2>&1; then
    echo "$name failed: see $work/$name.log" >&2; tail -5 "$work/$name.log" >&2; exit 1
  fi
  end=$(date +%s.%N)
  if [[ -f $work/.rss ]]; then
    read -r rss cpu < <(tail -1 "$work/.rss" | awk '{printf "%d %.2f\n", $1 / 1024, $2 + $3}')
  fi
  printf '%s\t%s\t%s\t%s\n' "$name" "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}')" "$rss" \
    "$cpu" >> "$work/bench.tsv"
}

conf="$work/bench.conf"
echo "taobao-villages.generate.reference = \"$top/reference\"" > "$conf"
if [[ -z $input ]]; then
  # 1 % of the country gives about 1.5 M order rows at price-scale 100: prices scaled by 150 M / rows.
  echo "taobao-villages.generate.price-scale = $(awk -v n="$rows" 'BEGIN {printf "%.4f", 150000000 / n}')" >> "$conf"
  input="$work/world"
  stage generate "$here/run-local.sh" generate --conf "$conf" --scale "$scale" --output "$input"
fi
input=$(cd "$input" && pwd)
# Java on the test classpath (DuckDB, the floors) as an array, so that stage can time it; environment as in
# run-local.sh.
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
read -ra opens <<< "$SPARK_JAVA_OPENS"
java_test=(java -Xmx"${TV_DRIVER_MEMORY:-4g}" "${opens[@]}" -Dlog4j2.configurationFile="$top/conf/log4j2.properties"
  -cp "$top/target/test-classes:$top/target/classes:$(cat "$top/target/test-classpath.txt")")
test_java() { "${java_test[@]}" "$@"; }
if [[ -n $year_sim ]]; then
  echo "running the simulated year $year (days $days)..." >&2
  test_java org.taobaovillages.bench.SimulatedYear "$input" "$work/year" "$year" "$conf" "$days" \
    > "$work/year.tsv" 2> "$work/year.log" || { tail -20 "$work/year.log" >&2; exit 1; }
  echo "input: $input, simulated year $year, commit $(cd "$top" && git rev-parse --short HEAD 2>/dev/null)"
  column -t -s $'\t' "$work/year.tsv"
  exit 0
fi
if [[ -n $daily ]]; then
  echo "running $daily daily runs of $year..." >&2
  test_java org.taobaovillages.bench.DailyYear "$input" "$work/daily" "$year" "$daily" "$conf" \
    > "$work/daily.tsv" 2> "$work/daily.log" || { tail -20 "$work/daily.log" >&2; exit 1; }
  echo "input: $input, $daily daily runs of $year, commit $(cd "$top" && git rev-parse --short HEAD 2>/dev/null)"
  awk -F'\t' 'NR == 1 || NR == 2 || NR == int(('"$daily"' + 1) / 2) + 1 || NR == '"$daily"' + 1' "$work/daily.tsv"
  exit 0
fi
common=(--conf "$conf" --warehouse "$work/warehouse" --run-date "$run_date")
stage ingest "$here/run-local.sh" ingest "${common[@]}" --input "$input" --demo
if [[ -n $floors ]]; then
  stage ingest-floor "${java_test[@]}" org.taobaovillages.bench.IngestFloor "$input" "$work/floor" "$run_date" "$conf"
fi
stage aggregate "$here/run-local.sh" aggregate "${common[@]}" --full
if [[ -n $floors ]]; then
  stage aggregate-floor "${java_test[@]}" org.taobaovillages.bench.AggregateFloor "$work/warehouse" "$work/floor" \
    "$run_date" "$conf"
  # The floors' tables against ours: the same rows, or the run fails.
  test_java org.taobaovillages.bench.FloorCheck "$work/warehouse" "$work/floor" > "$work/floor-check.log" 2>&1 \
    || { grep -v WARN "$work/floor-check.log" >&2; echo "the floors' tables differ from ours (or the check failed)" >&2
         exit 1; }
fi
stage detect "$here/run-local.sh" detect "${common[@]}"
stage typology "$here/run-local.sh" typology "${common[@]}"
stage export "$here/run-local.sh" export "${common[@]}"

# DuckDB on the same raw Parquet, and the comparison with the pipeline's village_period.
test_java org.taobaovillages.bench.DuckDbVillageYears "$input" "$work/warehouse" "$run_date" > "$work/duckdb.log" 2>&1 \
  || { cat "$work/duckdb.log" >&2; echo "the DuckDB and pipeline answers differ (or DuckDB failed)" >&2; exit 1; }
duck=$(sed -n 's/.*duckdb_seconds=\([0-9.]*\).*/\1/p' "$work/duckdb.log")
orders=$(awk '$1 == "transactions" {gsub(",", "", $2); print $2; exit}' "$work/ingest.log")

echo
echo "input: $input ($orders order rows), run date $run_date, commit $(cd "$top" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
grep 'duckdb_seconds' "$work/duckdb.log"
[[ -z $floors ]] || grep -v WARN "$work/floor-check.log"
# One row per stage; for a stage with a floor (NAME-floor): the floor's seconds, and our time over the floor's.
awk -F'\t' -v o="$orders" -v d="$duck" '
  function num(x) { return x == "" ? "-" : sprintf("%.1f", x) }
  function ratio(a, b) { return a == "" || b == "" || b == 0 ? "-" : sprintf("%.2f", a / b) }
  NR > 1 { name[NR] = $1; wall[$1] = $2; rss[$1] = $3; cpu[$1] = $4 }
  END {
    f = "%-16s %8s %8s %8s %9s %8s %9s %8s %9s %8s\n"
    printf f, "stage", "seconds", "cpu s", "rows/s", "x duckdb", "floor s", "floor cpu", "x floor", "x fl. cpu", "peak MB"
    for (i = 2; i <= NR; i++) {
      n = name[i]; fl = n "-floor"
      printf f, n, num(wall[n]), num(cpu[n]), sprintf("%.0f", o / wall[n]), ratio(wall[n], d), num(wall[fl]),
        num(cpu[fl]), ratio(wall[n], wall[fl]), ratio(cpu[n], cpu[fl]), rss[n]
    }
    printf f, "duckdb", sprintf("%.2f", d), "-", sprintf("%.0f", o / d), "1.00", "-", "-", "-", "-", "-"
  }' "$work/bench.tsv"
