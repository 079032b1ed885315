"""Where a run's steps execute: chosen by configuration, not by code.

``JIXIAO_EXECUTOR`` (``pipelines.settings.EXECUTOR``) names the executor of every job of
the code location:

- unset: Dagster's default, each step in its own process on this machine (``in_process``
  in a run's config runs them in one);
- ``k8s``: each step a Kubernetes Job (``dagster_k8s.k8s_job_executor``; install
  ``dagster-k8s``). Its image, config maps and limits are the run's config
  (``docs/scaling.md``).

The assets, checks and resources are the same whichever runs them.
"""

import dagster as dg

from pipelines import settings
from pipelines.messages import say

EXECUTORS = ("", "k8s")  # "": Dagster's default


def executor(name: str | None = None) -> dg.ExecutorDefinition | None:
    """The executor named ``name`` (default ``settings.EXECUTOR``); None is Dagster's own."""
    name = settings.EXECUTOR if name is None else name
    if name == "":
        return None
    if name == "k8s":
        try:
            from dagster_k8s import k8s_job_executor
        except ImportError as exc:
            raise dg.DagsterInvalidDefinitionError(say("dagster.executor.k8s_missing")) from exc
        return k8s_job_executor
    raise dg.DagsterInvalidDefinitionError(
        say(
            "dagster.executor.unknown",
            name=name,
            names=say("dagster.list_sep").join(n for n in EXECUTORS if n),
        )
    )
