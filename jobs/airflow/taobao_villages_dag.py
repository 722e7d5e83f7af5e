"""Airflow DAG: the taobao-villages pipeline once a day, one task per stage, each on spark-submit.

Copy (or symlink) this file into the Airflow DAGs folder. Written for Airflow 3 (``airflow.sdk``) with the
standard provider's BashOperator; each task calls ``jobs/spark-submit.sh <stage> --run-date D --run-id R`` of a
checkout that holds the built jar (``mvn -B -DskipTests package``).

Settings are Airflow Variables (Admin -> Variables):

  taobao_villages_home        the checkout with jobs/ and target/*.jar on the workers (required)
  taobao_villages_landing     URI of the landing area; the delivery of run date D is <landing>/D (required)
  taobao_villages_warehouse   URI of the warehouse holding the Delta tables (required)
  taobao_villages_conf        optional HOCON file laid over the defaults (--conf), e.g. with
                              ingest.pseudonym-key-file; "" for none
  taobao_villages_metrics     optional URI/directory; each stage writes its figures as JSON to
                              <dir>/<run id, ':' and '+' as '_'>/<task id>.json (--metrics-file); "" for none
  taobao_villages_on_failure  optional shell command run (60 s at most) when a task failed for good, given
                              TV_DAG_ID, TV_RUN_ID, TV_TASK_ID, TV_TRY_NUMBER, TV_RUN_DATE, TV_LOG_URL; "" for none

The workers' environment must hold SPARK_HOME, the TV_* variables of jobs/spark-submit.sh (TV_MASTER,
TV_SUBMIT_ARGS, ...) and the secret TAOBAO_VILLAGES_PSEUDONYM_KEY, unless the --conf file names a key file.

Pool: ingest runs in the pool taobao_villages_ingest; create this pool with 1 slot per warehouse, one ingest at
a time per warehouse (``airflow pools set taobao_villages_ingest 1 ingest``; tasks of a missing pool never run).
TV_AIRFLOW_INGEST_POOL in the environment of the DAG processor, read at parse time, names another pool.

Run date: the run triggered at 02:00 China time on day X ingests the delivery of day X-1 and passes
``--run-date X-1`` (data up to the end of that day, China time). A manual run may set the ``run_date``
param instead. Every stage is idempotent for its run date, so retries, clears and backfills are safe; a
non-zero exit (1: the job failed, e.g. bad input or too many bad rows; 2: wrong command line) fails the task,
which is retried 3 times with a doubling delay from 5 minutes (at most 1 hour) before it fails for good.
Ingest depends on the past: a day's ingest starts only once the day before has ingested successfully, so a
failed day holds up the following ones until it is cleared and succeeds (or is marked successful).

Backfill: the schedule does not catch up (catchup=False); missed days are backfilled, in ascending order:

  airflow backfill create --dag-id taobao_villages --from-date A --to-date B --max-active-runs 1 \\
      --reprocess-behavior failed

A and B are logical dates, i.e. trigger times, both included; the run triggered on day X covers run date X-1
(see run_date()). Airflow reads a bare date in its default time zone (core.default_timezone, UTC unless set),
so give the 02:00 China trigger times: --from-date 2023-01-01T02:00+08:00 --to-date 2023-01-03T02:00+08:00
runs the run dates 2022-12-31 to 2023-01-02 (--dry-run lists them; render_dag.py --from-date 2023-01-01
--to-date 2023-01-03 prints their commands). With depends_on_past, Airflow refuses --run-backwards and the
default --reprocess-behavior none: "failed" also reruns days whose runs failed, "completed" all days. The
backfill's --max-active-runs is its own, beside the DAG's max_active_runs=1; the pool keeps their ingests apart.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import shlex
import subprocess
from zoneinfo import ZoneInfo

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Param, Variable

CHINA = ZoneInfo("Asia/Shanghai")
INGEST_POOL = os.environ.get("TV_AIRFLOW_INGEST_POOL", "taobao_villages_ingest")
log = logging.getLogger(__name__)


def run_date(params, dag_run) -> str:
    """The day the run covers, YYYY-MM-DD: the ``run_date`` param if set, else the day before the trigger,
    China time. Read from ``dag_run``, which every run has: a manual run may have no logical date (Airflow 3),
    and then the time it was queued for (``run_after``) counts."""
    if params.get("run_date"):
        return datetime.date.fromisoformat(params["run_date"]).isoformat()
    when = dag_run.logical_date or dag_run.run_after
    return (when.astimezone(CHINA).date() - datetime.timedelta(days=1)).isoformat()


def safe(text) -> str:
    """``text`` as a file name: every character outside [A-Za-z0-9._-] becomes '_', and so do the dots of a
    name made only of dots ('.', '..'), which would mean the directory itself or its parent."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", str(text))
    return name if name.strip(".") else name.replace(".", "_")


def failure_env(context) -> dict:
    """The variables the on-failure command gets, from a task's Airflow context."""
    dag_run, ti = context["dag_run"], context["task_instance"]
    return {
        "TV_DAG_ID": str(dag_run.dag_id),
        "TV_RUN_ID": str(dag_run.run_id),
        "TV_TASK_ID": str(ti.task_id),
        "TV_TRY_NUMBER": str(ti.try_number),
        "TV_RUN_DATE": run_date(context["params"], dag_run),
        "TV_LOG_URL": str(getattr(ti, "log_url", "") or ""),
    }


def notify_failure(context) -> None:
    """Task failure callback: logs the failure and runs the command of Variable taobao_villages_on_failure."""
    env = failure_env(context)
    log.error("taobao-villages failed: dag %(TV_DAG_ID)s, run %(TV_RUN_ID)s, task %(TV_TASK_ID)s, "
              "try %(TV_TRY_NUMBER)s, run date %(TV_RUN_DATE)s", env)
    command = (Variable.get("taobao_villages_on_failure", default="") or "").strip()
    try:
        if command and subprocess.run(command, shell=True, check=False, timeout=60,
                                      env={**os.environ, **env}).returncode:
            log.warning("taobao_villages_on_failure exited with a non-zero code")
    except subprocess.TimeoutExpired:
        log.warning("taobao_villages_on_failure did not end within 60 s")


# Jinja pieces shared by every task: quoted so URIs and Airflow run ids (with ':' and '+') pass whole.
HOME = "{{ var.value.taobao_villages_home | trim | quote }}"
RUN = (
    "--run-date {{ tv_run_date(params, dag_run) }} --run-id {{ run_id | quote }}"
    " --warehouse {{ var.value.taobao_villages_warehouse | trim | quote }}"
    "{% set conf = var.value.get('taobao_villages_conf', '') | trim %}"
    "{% if conf %} --conf {{ conf | quote }}{% endif %}"
)
METRICS = (
    "{% set metrics = var.value.get('taobao_villages_metrics', '') | trim %}"
    "{% if metrics %} --metrics-file"
    " {{ (metrics.rstrip('/') ~ '/' ~ (run_id | safe) ~ '/' ~ task.task_id ~ '.json') | quote }}{% endif %}"
)


def stage(task_id: str, args: str = "", **kwargs) -> BashOperator:
    """One pipeline stage as a spark-submit of the application jar; the command ends in options, not
    '.sh', so Airflow does not take it for a template file."""
    return BashOperator(
        task_id=task_id,
        bash_command=f"{HOME}/jobs/spark-submit.sh {task_id} {RUN}{args}{METRICS}",
        **kwargs,
    )


with DAG(
    dag_id="taobao_villages",
    description="Ingest the day's delivery, aggregate village-years, detect Taobao Villages, model the county "
                "typology, export for BI, compact the tables",
    schedule="0 2 * * *",
    start_date=datetime.datetime(2026, 1, 1, tzinfo=CHINA),
    catchup=False,
    max_active_runs=1,
    default_args={
        "retries": 3,
        "retry_delay": datetime.timedelta(minutes=5),
        "retry_exponential_backoff": True,
        "max_retry_delay": datetime.timedelta(hours=1),
        "execution_timeout": datetime.timedelta(hours=6),
        "on_failure_callback": notify_failure,
    },
    params={"run_date": Param(None, type=["null", "string"], format="date",
                              description="YYYY-MM-DD to (re)run; empty: the day before the trigger")},
    user_defined_macros={"tv_run_date": run_date},
    # 'safe' replaces Jinja's built-in of that name, a no-op here since Airflow renders without autoescaping.
    user_defined_filters={"quote": shlex.quote, "safe": safe},
    tags=["taobao-villages"],
) as dag:
    ingest = stage(
        "ingest",
        " --input {{ ((var.value.taobao_villages_landing | trim).rstrip('/') ~ '/'"
        " ~ tv_run_date(params, dag_run)) | quote }}",
        depends_on_past=True,
        pool=INGEST_POOL,
    )
    aggregate = stage("aggregate")
    detect = stage("detect")
    # Records its run and stops unless a complete year, its settings or a complete year's inputs changed
    # (typology_runs); on the first day of a year it recomputes the year that completed.
    typology = stage("typology")
    export = stage("export")
    # Compacts the small files the day's commits added and deletes files older than optimize.vacuum-retention
    # that no table version needs: a day's cost, since compacted partitions are not rewritten again.
    optimize = stage("optimize")
    ingest >> aggregate >> detect >> typology >> export >> optimize
