"""`dagster dev` (webserver + daemon) serves the asset graph over GraphQL and runs a materialisation
launched through GraphQL, as the UI does."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gql(url: str, query: str, variables: dict | None = None) -> dict:
    r = requests.post(url, json={"query": query, "variables": variables or {}}, timeout=60)
    r.raise_for_status()
    body = r.json()
    assert "errors" not in body, body
    return body["data"]


@pytest.fixture(scope="module")
def dagster_dev(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dev")
    inbox = tmp / "inbox"
    shutil.copytree(REPO / "seeds", inbox)
    port = _free_port()
    env = dict(os.environ, DAGSTER_HOME=str(tmp / "home"), PIPELINE_INPUT_DIR=str(inbox),
               PIPELINE_WAREHOUSE=str(tmp / "w.duckdb"))
    (tmp / "home").mkdir()
    log = open(tmp / "dev.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "dagster", "dev", "-h", "127.0.0.1", "-p", str(port), "-w",
         str(REPO / "workspace.yaml")],
        cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        deadline = time.time() + 180
        while True:
            try:
                data = _gql(url, "{ repositoriesOrError { ... on RepositoryConnection { nodes { name location { name } } } } }")
                nodes = data["repositoriesOrError"]["nodes"]
                if nodes:
                    break
            except (requests.RequestException, AssertionError, KeyError):
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("dagster dev did not come up:\n" + (tmp / "dev.log").read_text()[-3000:])
            time.sleep(1)
        yield url, nodes[0]["location"]["name"], nodes[0]["name"]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def test_asset_graph_over_graphql(dagster_dev):
    url, _loc, _repo = dagster_dev
    data = _gql(url, "{ assetNodes { assetKey { path } groupName description } }")
    nodes = {"/".join(n["assetKey"]["path"]): n for n in data["assetNodes"]}
    from pipeline.definitions import defs

    expected = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert expected == set(nodes)
    assert all(n["description"] for n in nodes.values())
    assert {"ingest", "dedup", "entities", "events", "summaries"} <= {n["groupName"] for n in nodes.values()}


def test_launch_materialisation_over_graphql(dagster_dev):
    url, loc, repo = dagster_dev
    mutation = """
    mutation Launch($params: ExecutionParams!) {
      launchRun(executionParams: $params) {
        __typename
        ... on LaunchRunSuccess { run { runId } }
        ... on PythonError { message }
        ... on InvalidSubsetError { message }
        ... on RunConfigValidationInvalid { errors { message } }
      }
    }"""
    params = {"selector": {"repositoryLocationName": loc, "repositoryName": repo,
                           "jobName": "__ASSET_JOB", "assetSelection": [{"path": ["gazetteer"]}]},
              "mode": "default", "executionMetadata": {"tags": []}}
    res = _gql(url, mutation, {"params": params})["launchRun"]
    assert res["__typename"] == "LaunchRunSuccess", res
    run_id = res["run"]["runId"]
    status = None
    deadline = time.time() + 240
    while time.time() < deadline:
        status = _gql(url, '{ runOrError(runId: "%s") { ... on Run { status } } }' % run_id)["runOrError"]["status"]
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            break
        time.sleep(2)
    assert status == "SUCCESS"
