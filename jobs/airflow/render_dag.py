"""Prints the shell commands the taobao_villages DAG would run, without Airflow (needs only Jinja2).

A dry run for operators and for checking the DAG where Airflow is not installed: loads
taobao_villages_dag.py against stand-ins for the few Airflow classes it uses, renders each task's command with
the DAG's own macros and filters, and prints them as a bash script: "set -euo pipefail", then for each run a
line "# run <run id> (run date D)" and its commands in task order, one a line (render_dag.py ... | bash).

  python3 jobs/airflow/render_dag.py --home /opt/tv --landing s3a://land/taobao --warehouse hdfs:///wh/tv \\
      [--conf FILE] [--metrics DIR] [--trigger 2023-01-01T02:00+08:00 | --run-date 2022-12-31 [--run-id ID]
      | --from-date 2023-01-01 --to-date 2023-01-03] [--fail TASK [--on-failure CMD]]

--from-date/--to-date render the runs of "airflow backfill create" over those logical dates, both included,
each that day at 02:00 China time (the schedule "0 2 * * *"), in ascending order and with Airflow's run ids,
backfill__<logical date in UTC>. --fail TASK prints instead what the DAG's failure callback hands the command
of Variable taobao_villages_on_failure (--on-failure) when TASK fails in the (last) run: its environment.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import pathlib
import shlex
import sys
import types
from zoneinfo import ZoneInfo

import jinja2

TASKS = []
VARIABLES = {}
CHINA = ZoneInfo("Asia/Shanghai")


class _BashOperator:
    def __init__(self, task_id, bash_command, **_):
        self.task_id, self.bash_command, self.downstream = task_id, bash_command, None
        TASKS.append(self)

    def __rshift__(self, other):
        self.downstream = other
        return other


class _DAG:
    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def __enter__(self):
        return self

    def __exit__(self, *_):
        return False


class _Variable:
    """airflow.sdk.Variable, reading the renderer's variables."""

    @staticmethod
    def get(key, default=None):
        return VARIABLES.get(key, default)


def _install_stand_ins():
    """Registers modules airflow.sdk and airflow.providers.standard.operators.bash with the stand-ins."""
    for name in ("airflow", "airflow.providers", "airflow.providers.standard", "airflow.providers.standard.operators"):
        sys.modules[name] = types.ModuleType(name)
    sys.modules["airflow.providers.standard.operators.bash"] = types.SimpleNamespace(BashOperator=_BashOperator)
    sys.modules["airflow.sdk"] = types.SimpleNamespace(DAG=_DAG, Param=lambda default, **_: default,
                                                       Variable=_Variable)


class _Variables:
    def __init__(self, values):
        self._values = values

    def __getattr__(self, key):
        return self._values[key]

    def get(self, key, default=None):
        return self._values.get(key, default)


def _runs(args, dag_id):
    """(dag_run, params) of each run to render: the backfill's in ascending order, else the one run."""
    def run(run_id, when, run_date=None):
        dag_run = types.SimpleNamespace(dag_id=dag_id, run_id=run_id, logical_date=when, run_after=when)
        return dag_run, {"run_date": run_date}

    if args.from_date is None:
        trigger = args.trigger or datetime.datetime.now(datetime.timezone.utc)
        return [run(args.run_id or "manual__render", trigger, args.run_date)]
    days = range((args.to_date - args.from_date).days + 1)
    logical = [datetime.datetime.combine(args.from_date + datetime.timedelta(d), datetime.time(2), CHINA)
               for d in days]
    return [run("backfill__" + when.astimezone(datetime.timezone.utc).isoformat(), when) for when in logical]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True)
    parser.add_argument("--landing", required=True)
    parser.add_argument("--warehouse", required=True)
    parser.add_argument("--conf", default="")
    parser.add_argument("--metrics", default="", metavar="DIR", help="Variable taobao_villages_metrics")
    parser.add_argument("--trigger", type=datetime.datetime.fromisoformat,
                        help="when the scheduled run starts (ISO time with offset); default now")
    parser.add_argument("--run-date", default=None, help="the run_date param of a manual run")
    parser.add_argument("--run-id", default=None, help="default manual__render")
    parser.add_argument("--from-date", type=datetime.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="first logical date of a backfill (02:00 China time that day)")
    parser.add_argument("--to-date", type=datetime.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="last logical date of a backfill, included")
    parser.add_argument("--fail", metavar="TASK_ID", help="print the on-failure environment for this task")
    parser.add_argument("--on-failure", default="", metavar="CMD", help="Variable taobao_villages_on_failure")
    args = parser.parse_args(argv)
    if (args.from_date is None) != (args.to_date is None):
        parser.error("--from-date and --to-date go together")
    if args.from_date and (args.trigger or args.run_date or args.run_id):
        parser.error("--from-date/--to-date exclude --trigger, --run-date and --run-id")
    if args.from_date and args.from_date > args.to_date:
        parser.error("--from-date is after --to-date")

    _install_stand_ins()
    path = pathlib.Path(__file__).with_name("taobao_villages_dag.py")
    spec = importlib.util.spec_from_file_location("taobao_villages_dag", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if args.fail and args.fail not in [task.task_id for task in TASKS]:
        parser.error(f"--fail: no task {args.fail}; the tasks: {', '.join(task.task_id for task in TASKS)}")

    VARIABLES.update({
        "taobao_villages_home": args.home,
        "taobao_villages_landing": args.landing,
        "taobao_villages_warehouse": args.warehouse,
        "taobao_villages_conf": args.conf,
        "taobao_villages_metrics": args.metrics,
        "taobao_villages_on_failure": args.on_failure,
    })
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters.update(module.dag.kwargs["user_defined_filters"])
    env.globals.update(module.dag.kwargs["user_defined_macros"])
    runs = _runs(args, module.dag.kwargs["dag_id"])
    print("set -euo pipefail")
    if args.fail:
        dag_run, params = runs[-1]
        ti = types.SimpleNamespace(task_id=args.fail, try_number=1, log_url=f"render://{args.fail}")
        print(f"# {args.fail} failed in run {dag_run.run_id}: the on-failure command and its environment")
        print("set -a")
        for key, value in module.failure_env({"dag_run": dag_run, "task_instance": ti, "params": params}).items():
            print(f"{key}={shlex.quote(value)}")
        print(_Variable.get("taobao_villages_on_failure") or "# no on-failure command (--on-failure CMD)")
        return
    for dag_run, params in runs:
        print(f"# run {dag_run.run_id} (run date {module.run_date(params, dag_run)})")
        for task in TASKS:
            context = {"params": params, "dag_run": dag_run, "run_id": dag_run.run_id, "task": task,
                       "var": types.SimpleNamespace(value=_Variables(VARIABLES))}
            print(env.from_string(task.bash_command).render(context))


if __name__ == "__main__":
    main()
