#!/usr/bin/env bash
# The cluster check: LocalClusterIT (src/test/java/org/taobaovillages/cli) against a Spark standalone cluster that
# it starts on this machine with jobs/local-cluster.sh (ports 7077, 8080-8082 and 4077 must be free). Not part of
# the suite (mvn verify). Two tiers:
#   jobs/cluster-check.sh          the smoke, run by .ci/run after the suite: one scheduled day of the Airflow DAG
#     (render_dag.py, needs python3 with jinja2) on a tiny delivery (the dimensions and the orders of 2022-06-15)
#     into an empty warehouse, a worker killed in the middle of a stage of its ingest: every task succeeds, the
#     ingest tables equal those of the same delivery ingested in local mode.
#   jobs/cluster-check.sh --full   the full check, run by hand (about 40 minutes):
#     1. a worker killed in the middle of a stage of the pipeline: every table equals a local-mode run's;
#     2. the driver killed between ingest's commits: the re-run repairs the warehouse, the audit says so;
#     3. the DAG's commands for three days: the tables equal one run over the three days' data.
# Its logs and warehouses stay in target/cluster-it. Further arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
tier=smoke
if [[ ${1:-} == --full ]]; then tier=full; shift; fi
python3 -c 'import jinja2' 2>/dev/null || {
  echo "error: the cluster check renders the Airflow DAG with python3 and Jinja2: pip install jinja2 (or apt-get install python3-jinja2)" >&2
  exit 1
}
exec mvn -B -ntp verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=LocalClusterIT \
  -Dcluster.check="$tier" "$@"
