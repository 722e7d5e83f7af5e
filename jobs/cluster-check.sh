#!/usr/bin/env bash
# The cluster check: LocalClusterIT (src/test/java/org/taobaovillages/cli) against a Spark standalone cluster that
# it starts on this machine with jobs/local-cluster.sh (ports 7077, 8080-8082 and 4077 must be free). About 20
# minutes on 2 cores, so not part of the suite (mvn verify); .ci/run calls it after the suite.
#   1. a worker killed in the middle of a stage of the pipeline: the tables equal those of a local-mode run;
#   2. the driver killed between ingest's commits: the re-run repairs the warehouse, the audit says so;
#   3. the Airflow DAG's commands for three days (render_dag.py, needs python3 with jinja2): the tables equal one
#      run over the three days' data.
# Its logs and warehouses stay in target/cluster-it.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import jinja2' 2>/dev/null || {
  echo "error: the cluster check renders the Airflow DAG with python3 and Jinja2: pip install jinja2 (or apt-get install python3-jinja2)" >&2
  exit 1
}
exec mvn -B -ntp verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=LocalClusterIT "$@"
