"""Airflow DAG: the taobao-villages pipeline once a day, one task per stage, each on spark-submit.

Copy (or symlink) this file into the Airflow DAGs folder. Written for Airflow 3 (``airflow.sdk``) with the
standard provider's BashOperator; each task calls ``jobs/spark-submit.sh <stage> --run-date D --run-id R`` of a
checkout that holds the built jar (``mvn -B -DskipTests package``).

Settings are Airflow Variables (Admin -> Variables):

  taobao_villages_home       the checkout with jobs/ and target/*.jar on the workers (required)
  taobao_villages_landing    URI of the landing area; the delivery of run date D is <landing>/D (required)
  taobao_villages_warehouse  URI of the warehouse holding the Delta tables (required)
  taobao_villages_conf       optional HOCON file laid over the defaults (--conf), e.g. with
                             ingest.pseudonym-key-file; "" for none

The workers' environment must hold SPARK_HOME, the TV_* variables of jobs/spark-submit.sh (TV_MASTER,
TV_SUBMIT_ARGS, ...) and the secret TAOBAO_VILLAGES_PSEUDONYM_KEY, unless the --conf file names a key file.

Run date: the run triggered at 02:00 China time on day X ingests the delivery of day X-1 and passes
``--run-date X-1`` (data up to the end of that day, China time). A manual run may set the ``run_date``
param instead. Every stage is idempotent for its run date, so retries, clears and backfills
(``airflow backfill create --dag-id taobao_villages --from-date ... --to-date ...``) are safe; a non-zero exit
(1: the job failed, e.g. bad input or too many bad rows; 2: wrong command line) fails the task.
"""

from __future__ import annotations

import datetime
import shlex
from zoneinfo import ZoneInfo

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Param

CHINA = ZoneInfo("Asia/Shanghai")


def run_date(params, dag_run) -> str:
    """The day the run covers, YYYY-MM-DD: the ``run_date`` param if set, else the day before the trigger,
    China time. Read from ``dag_run``, which every run has: a manual run may have no logical date (Airflow 3),
    and then the time it was queued for (``run_after``) counts."""
    if params.get("run_date"):
        return datetime.date.fromisoformat(params["run_date"]).isoformat()
    when = dag_run.logical_date or dag_run.run_after
    return (when.astimezone(CHINA).date() - datetime.timedelta(days=1)).isoformat()


# Jinja pieces shared by every task: quoted so URIs and Airflow run ids (with ':' and '+') pass whole.
HOME = "{{ var.value.taobao_villages_home | trim | quote }}"
RUN = (
    "--run-date {{ tv_run_date(params, dag_run) }} --run-id {{ run_id | quote }}"
    " --warehouse {{ var.value.taobao_villages_warehouse | trim | quote }}"
    "{% set conf = var.value.get('taobao_villages_conf', '') | trim %}"
    "{% if conf %} --conf {{ conf | quote }}{% endif %}"
)


def stage(task_id: str, args: str = "") -> BashOperator:
    """One pipeline stage as a spark-submit of the application jar; the command ends in options, not
    '.sh', so Airflow does not take it for a template file."""
    return BashOperator(
        task_id=task_id,
        bash_command=f"{HOME}/jobs/spark-submit.sh {task_id} {RUN}{args}",
    )


with DAG(
    dag_id="taobao_villages",
    description="Ingest the day's delivery, aggregate village-years, detect Taobao Villages, export for BI, "
                "compact the tables",
    schedule="0 2 * * *",
    start_date=datetime.datetime(2026, 1, 1, tzinfo=CHINA),
    catchup=False,
    max_active_runs=1,
    default_args={
        "retries": 2,
        "retry_delay": datetime.timedelta(minutes=10),
        "execution_timeout": datetime.timedelta(hours=6),
    },
    params={"run_date": Param(None, type=["null", "string"], format="date",
                              description="YYYY-MM-DD to (re)run; empty: the day before the trigger")},
    user_defined_macros={"tv_run_date": run_date},
    user_defined_filters={"quote": shlex.quote},
    tags=["taobao-villages"],
) as dag:
    ingest = stage(
        "ingest",
        " --input {{ ((var.value.taobao_villages_landing | trim).rstrip('/') ~ '/'"
        " ~ tv_run_date(params, dag_run)) | quote }}",
    )
    aggregate = stage("aggregate")
    detect = stage("detect")
    export = stage("export")
    # Compacts the small files the day's commits added and deletes files older than optimize.vacuum-retention
    # that no table version needs: a day's cost, since compacted partitions are not rewritten again.
    optimize = stage("optimize")
    ingest >> aggregate >> detect >> export >> optimize
