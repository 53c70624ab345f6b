"""briefgen on a real Dask distributed cluster, on 127.0.0.1 only: a batch whose story
builds are tasks on two worker processes, a build whose per-article analysis runs on the
workers, a scheduler and worker started with the `dask` command-line tools, and a
scheduler that cannot be reached.

`distributed` is the optional extra `briefgen[dask]`, which `scripts/setup.sh` installs.
Without it these tests are skipped on a developer's machine, and fail in CI (CI is set).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import edition_of
from test_batch import make_story, three_stories

from briefgen.cli import main

try:
    import distributed
except ImportError:
    if os.environ.get("CI"):
        raise  # never skipped in CI: the README's test command installs briefgen[dask]
    distributed = None

needs_dask = pytest.mark.skipif(
    distributed is None, reason="needs distributed: pip install -e '.[dask]'"
)
BIN = Path(sys.executable).parent


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes and a scheduler on 127.0.0.1, no dashboard."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    ) as local, distributed.Client(local, set_as_default=False) as client:  # fmt: skip
        client.wait_for_workers(2, timeout=60)
        yield local, client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@needs_dask
def test_batch_on_the_cluster_builds_each_story_on_a_worker(cluster, tmp_path: Path) -> None:
    local, client = cluster
    root, out = three_stories(tmp_path / "stories"), tmp_path / "out"

    with distributed.get_task_stream(client) as stream:
        result = run("batch", str(root), "-o", str(out), "-f", "json",
                     "--scheduler", local.scheduler_address)  # fmt: skip

    assert result.exit_code == 3, result.output
    assert "batch: 2 published, 0 unchanged, 1 failed" in result.stdout
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and "broken:" in failed[0] and "error[BG-CONFIG]" in failed[0]
    assert edition_of(out / "alpha") == edition_of(out / "beta") == 1
    # Each story was one task, and it ran on one of the cluster's workers.
    ran = {t["key"]: t["worker"] for t in stream.data if str(t["key"]).startswith("briefgen-story")}
    assert len(ran) == 3 and set(ran.values()) <= set(local.scheduler_info["workers"])

    again = run("batch", str(root), "-o", str(out), "-f", "json",
                "--scheduler", local.scheduler_address)  # fmt: skip
    assert again.exit_code == 3 and "batch: 0 published, 2 unchanged, 1 failed" in again.stdout


@needs_dask
def test_build_analyses_the_articles_on_the_workers(cluster, tmp_path: Path, monkeypatch) -> None:
    local, client = cluster
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764720000")
    story = make_story(tmp_path / "lune", "Lune")
    (story / "empty.txt").write_bytes(b"")  # skipped with a warning, on the cluster too
    here = run("build", str(story), "-o", str(tmp_path / "here"), "-f", "json")
    assert here.exit_code == 3, here.output

    with distributed.get_task_stream(client) as stream:
        there = run("build", str(story), "-o", str(tmp_path / "there"), "-f", "json",
                    "--scheduler", local.scheduler_address)  # fmt: skip

    assert there.exit_code == 3, there.output
    assert "warning[BG-EMPTY] empty.txt" in there.stderr
    analysed = [t for t in stream.data if str(t["key"]).startswith("briefgen-analyse")]
    # One task per file (the empty one's comes back as its refusal), each on a worker.
    assert len(analysed) == 3
    assert {t["worker"] for t in analysed} <= set(local.scheduler_info["workers"])
    assert (tmp_path / "there" / "brief.json").read_bytes() == (
        tmp_path / "here" / "brief.json"
    ).read_bytes()

    # `[cluster] scheduler` in the story's config does the same without the option.
    config = story / "briefgen.toml"
    config.write_text(
        config.read_text("utf-8") + f'\n[cluster]\nscheduler = "{local.scheduler_address}"\n',
        "utf-8",
    )
    (story / "c.txt").write_text("Rain stopped on Thursday. The river fell by noon.\n", "utf-8")
    with distributed.get_task_stream(client) as stream:
        configured = run("build", str(story), "-o", str(tmp_path / "there"), "-f", "json")
    assert configured.exit_code == 3, configured.output
    # Only the new article and the refused empty file (refusals are not cached) are analysed
    # again: a.txt and b.txt come from the cache.
    assert len([t for t in stream.data if str(t["key"]).startswith("briefgen-analyse")]) == 2
    assert json.loads((tmp_path / "there" / "brief.json").read_bytes())["edition"] == 2


@needs_dask
def test_batch_on_a_cluster_started_with_the_dask_commands(tmp_path: Path) -> None:
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen(
        [BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = None
    try:
        worker = subprocess.Popen(
            [BIN / "dask", "worker", address, "--nworkers", "1", "--nthreads", "1",
             "--no-dashboard", "--host", "127.0.0.1", "--local-directory", str(tmp_path / "w")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        with distributed.Client(address, timeout="60s", set_as_default=False) as client:
            client.wait_for_workers(1, timeout=60)
        root, out = three_stories(tmp_path / "stories"), tmp_path / "out"

        batch = subprocess.run(
            [BIN / "briefgen", "batch", root, "-o", out, "-f", "json", "--scheduler", address],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip

        assert batch.returncode == 3, batch.stderr
        assert "batch: 2 published, 0 unchanged, 1 failed" in batch.stdout
        assert "failed     broken: error[BG-CONFIG]" in batch.stderr
        assert edition_of(out / "alpha") == edition_of(out / "beta") == 1
    finally:
        for proc in (worker, scheduler):
            if proc is not None:
                proc.terminate()
        for proc in (worker, scheduler):
            if proc is not None:
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


@needs_dask
def test_an_unreachable_scheduler_is_one_line_fast_and_writes_nothing(tmp_path: Path) -> None:
    closed = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    root = three_stories(tmp_path / "stories")
    env = dict(os.environ, DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="1s")
    for args in (
        ["build", root / "alpha", "-o", tmp_path / "out"],
        ["batch", root, "-o", tmp_path / "out"],
    ):
        started = time.monotonic()
        proc = subprocess.run(
            [BIN / "briefgen", *args, "--scheduler", closed],
            capture_output=True, text=True, timeout=60, env=env,
        )  # fmt: skip
        assert time.monotonic() - started < 15
        assert proc.returncode == 69, proc.stderr
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error[BG-CLUSTER]")
        assert f"cannot reach the Dask scheduler at {closed}" in proc.stderr
        assert proc.stdout == ""
        assert not (tmp_path / "out").exists()


def test_without_distributed_the_error_names_the_extra(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    story = make_story(tmp_path / "lune", "Lune")
    result = run("build", str(story), "-o", str(tmp_path / "out"),
                 "--scheduler", "tcp://127.0.0.1:8786")  # fmt: skip
    assert result.exit_code == 69
    assert result.stderr.startswith("error[BG-CLUSTER]")
    assert "pip install 'briefgen[dask]'" in result.stderr
    assert not (tmp_path / "out").exists()
