"""The same definitions run on another executor by configuration alone: JIXIAO_EXECUTOR
picks it, the run's config sets it up (docs/scaling.md), the assets do not change."""

import dagster as dg
import pytest

from pipelines import settings
from pipelines.defs import definitions
from pipelines.messages import say

# A Kubernetes run's config, as docs/scaling.md gives it.
K8S_RUN = {
    "execution": {
        "config": {
            "max_concurrent": 64,
            "job_image": "registry.example/jixiao:2026.11",
            "env_config_maps": ["jixiao-paths"],
            "step_k8s_config": {
                "container_config": {"resources": {"limits": {"cpu": "2", "memory": "8Gi"}}}
            },
        }
    }
}


def test_by_default_steps_run_as_processes_on_this_machine():
    job = definitions().resolve_job_def("annual_scoring")
    assert job.executor_def.name == "multi_or_in_process_executor"


def test_with_jixiao_executor_k8s_the_definitions_load_on_kubernetes(monkeypatch):
    monkeypatch.setattr(settings, "EXECUTOR", "k8s")
    defs = definitions()
    dg.Definitions.validate_loadable(defs)
    for name in ("annual_scoring", "whatif"):
        assert defs.resolve_job_def(name).executor_def.name == "k8s", name
    job = defs.resolve_job_def("annual_scoring")
    k8s = dg.validate_run_config(job, K8S_RUN)["execution"]["k8s"]
    assert (k8s["job_image"], k8s["max_concurrent"]) == ("registry.example/jixiao:2026.11", 64)
    # the assets, checks and partitions are the same as on this machine
    here = definitions("").resolve_asset_graph()
    there = defs.resolve_asset_graph()
    assert there.get_all_asset_keys() == here.get_all_asset_keys()
    assert there.asset_check_keys == here.asset_check_keys
    with pytest.raises(dg.DagsterInvalidConfigError):  # the image is the run's to name
        dg.validate_run_config(job, {"execution": {"config": {"max_concurrent": "many"}}})


def test_an_unknown_executor_is_named_with_the_choices(monkeypatch):
    monkeypatch.setattr(settings, "EXECUTOR", "celery")
    with pytest.raises(dg.DagsterInvalidDefinitionError) as exc:
        definitions()
    assert str(exc.value) == say("dagster.executor.unknown", name="celery", names="k8s")
