"""Prints the shell commands the taobao_villages DAG would run, without Airflow (needs only Jinja2).

A dry run for operators and for checking the DAG where Airflow is not installed: loads
taobao_villages_dag.py against stand-ins for the few Airflow classes it uses, renders each task's command with
the DAG's own macros and filters, and prints them in task order.

  python3 jobs/airflow/render_dag.py --home /opt/tv --landing s3a://land/taobao --warehouse hdfs:///wh/tv \
      [--conf FILE] [--trigger 2023-01-01T02:00+08:00 | --run-date 2022-12-31]
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import pathlib
import sys
import types

import jinja2

TASKS = []


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


def _install_stand_ins():
    """Registers modules airflow.sdk and airflow.providers.standard.operators.bash with the stand-ins."""
    for name in ("airflow", "airflow.providers", "airflow.providers.standard", "airflow.providers.standard.operators"):
        sys.modules[name] = types.ModuleType(name)
    sys.modules["airflow.providers.standard.operators.bash"] = types.SimpleNamespace(BashOperator=_BashOperator)
    sys.modules["airflow.sdk"] = types.SimpleNamespace(DAG=_DAG, Param=lambda default, **_: default)


class _Variables:
    def __init__(self, values):
        self._values = values

    def __getattr__(self, key):
        return self._values[key]

    def get(self, key, default=None):
        return self._values.get(key, default)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True)
    parser.add_argument("--landing", required=True)
    parser.add_argument("--warehouse", required=True)
    parser.add_argument("--conf", default="")
    parser.add_argument("--trigger", type=datetime.datetime.fromisoformat,
                        default=datetime.datetime.now(datetime.timezone.utc),
                        help="when the scheduled run starts (ISO time with offset); default now")
    parser.add_argument("--run-date", default=None, help="the run_date param of a manual run")
    parser.add_argument("--run-id", default="manual__render")
    args = parser.parse_args(argv)

    _install_stand_ins()
    path = pathlib.Path(__file__).with_name("taobao_villages_dag.py")
    spec = importlib.util.spec_from_file_location("taobao_villages_dag", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters.update(module.dag.kwargs["user_defined_filters"])
    env.globals.update(module.dag.kwargs["user_defined_macros"])
    context = {
        "params": {"run_date": args.run_date},
        "dag_run": types.SimpleNamespace(logical_date=args.trigger, run_after=args.trigger),
        "run_id": args.run_id,
        "var": types.SimpleNamespace(value=_Variables({
            "taobao_villages_home": args.home,
            "taobao_villages_landing": args.landing,
            "taobao_villages_warehouse": args.warehouse,
            "taobao_villages_conf": args.conf,
        })),
    }
    for task in TASKS:
        print(env.from_string(task.bash_command).render(context))


if __name__ == "__main__":
    main()
