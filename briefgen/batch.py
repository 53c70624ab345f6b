"""``briefgen batch ROOT -o OUTROOT``: every story folder under ROOT built into
``OUTROOT/<story>/``, one ordinary ``build.run_build`` per story.

Which folders are stories:

- a folder under ROOT holding a ``briefgen.toml`` is a story, named by its path relative
  to ROOT (``ukraine``, ``europe/ukraine``), published into ``OUTROOT/<name>/``; a story
  without a usable article, or with a bad config, is a failed story with its reason;
- folders without a ``briefgen.toml`` are searched for stories below them (grouping
  folders); a story folder is not: what is below it belongs to it (its templates, an
  archive), and ``build`` reads articles from the folder itself only;
- ROOT itself is not a story (``briefgen build`` builds one story); hidden folders
  (``.git``, ``.briefgen``), folders holding a published brief (``.briefgen/``) and
  symbolic links to folders are not searched;
- when OUTROOT lies inside ROOT, nothing in it is searched; OUTROOT may also be ROOT
  itself, each story then publishing into its own folder, as ``build -o SOURCE_DIR`` does.

Each story is independent: the stories run on this machine's cores (a process pool), or
as tasks on a Dask cluster (``cluster.py``). A failed story does not stop the others.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from briefgen.config import CONFIG_NAME
from briefgen.editions import STATE_DIR
from briefgen.errors import EXIT_PARTIAL, BriefgenError, NoUsableInputError, printable
from briefgen.limits import stop_pool, worker_signals
from briefgen.stages.ingest import check_source_dir

PUBLISHED, UNCHANGED, FAILED = "published", "unchanged", "failed"
# A story build that raises (a bug, not a BriefgenError) or whose worker dies is tried
# once more on the cluster; a BriefgenError is a result (failed), never retried.
STORY_RETRIES = 1


@dataclass(frozen=True)
class Story:
    name: str  # relative to ROOT, with "/"
    source_dir: Path
    out_dir: Path


@dataclass(frozen=True)
class BuildOptions:
    """What ``build`` would take from its options, the same for every story."""

    formats: tuple[str, ...] | None = None
    templates_dir: Path | None = None
    force: bool = False
    wait: bool = False
    since: datetime | None = None
    fetch: bool = False  # `batch --fetch`: fetch the story's [[feeds]] before its build


@dataclass(frozen=True)
class StoryResult:
    name: str
    outcome: str  # PUBLISHED, UNCHANGED or FAILED
    message: str  # the build's summary, or the error's one line
    exit_code: int  # what `briefgen build` of this story would exit with
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    where: str = ""  # host:pid that ran it

    def line(self) -> str:
        return f"{self.outcome:<9}  {printable(self.name)}: {self.message} ({self.seconds:.2f}s)"


@dataclass
class BatchReport:
    results: list[StoryResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(r.outcome == outcome for r in self.results)

    def summary(self) -> str:
        return (
            f"batch: {self.count(PUBLISHED)} published, {self.count(UNCHANGED)} unchanged, "
            f"{self.count(FAILED)} failed in {self.seconds:.2f}s"
        )

    def exit_code(self) -> int:
        """0 when every story published or was unchanged with nothing skipped; 3 when some
        story did (or was unchanged) and another failed or skipped inputs; when every story
        failed, the exit code of the first failed one (by name)."""
        failed = sorted((r for r in self.results if r.outcome == FAILED), key=lambda r: r.name)
        if failed and len(failed) == len(self.results):
            return failed[0].exit_code
        if failed or any(r.exit_code for r in self.results):
            return EXIT_PARTIAL
        return 0


def find_stories(root: Path, out_root: Path) -> list[Story]:
    """The story folders under ``root``, sorted by name (see the module's docstring)."""
    check_source_dir(root)
    root_real = root.resolve()
    out_real = out_root.resolve()
    skip_out = out_real != root_real and out_real.is_relative_to(root_real)
    stories: list[Story] = []

    def search(folder: Path) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return  # unreadable: nothing to find in it
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_dir(follow_symlinks=False):
                continue
            path = Path(entry.path)
            if skip_out and path.resolve().is_relative_to(out_real):
                continue
            if (path / CONFIG_NAME).is_file():
                name = path.relative_to(root).as_posix()
                stories.append(Story(name, path, out_root / name))
            elif not (path / STATE_DIR).exists():
                search(path)

    search(root)
    if not stories:
        raise NoUsableInputError(
            "no story folder",
            path=str(root),
            hint=f"a story is a folder under it with articles and a {CONFIG_NAME} "
            "(`briefgen init ROOT/NAME` starts one)",
        )
    return stories


def build_story(story: Story, options: BuildOptions, serial: bool = False) -> StoryResult:
    """One story's build, as ``briefgen build`` runs it; never raises a BriefgenError:
    a failure is a result. ``serial`` analyses the articles on this core only (when the
    other cores are running other stories)."""
    from briefgen.build import run_build

    started = time.perf_counter()
    where = f"{socket.gethostname()}:{os.getpid()}"
    fetched: list[str] = []  # a failed feed is a warning of the story: exit 3
    try:
        if options.fetch:
            from briefgen.fetch import FAILED as FEED_FAILED
            from briefgen.fetch import fetch_folder

            feeds = fetch_folder(story.source_dir, require_feeds=False)
            fetched = [f"error[BG-FETCH] feed {printable(r.url)}: {printable(r.message)}"
                       for r in feeds.results if r.outcome == FEED_FAILED]  # fmt: skip
        report = run_build(
            story.source_dir, None, story.out_dir, options.formats, options.templates_dir,
            force=options.force, wait=options.wait, since=options.since,
            mapper=map if serial else None,
        )  # fmt: skip
    except BriefgenError as exc:
        return StoryResult(story.name, FAILED, exc.one_line(), exc.exit_code,
                           seconds=time.perf_counter() - started, where=where)  # fmt: skip
    except Exception as exc:  # a bug in one story must not stop the others
        return StoryResult(
            story.name, FAILED,
            f"error[BG-INTERNAL] internal error: {type(exc).__name__}: {printable(str(exc))} "
            "(run `briefgen --debug build` on this story)",
            70, seconds=time.perf_counter() - started, where=where,
        )  # fmt: skip
    return StoryResult(
        story.name,
        UNCHANGED if report.unchanged else PUBLISHED,
        report.summary,
        EXIT_PARTIAL if report.warnings or fetched else 0,
        warnings=(*fetched, *report.warnings),
        seconds=time.perf_counter() - started,
        where=where,
    )


def run_batch(
    stories: list[Story],
    options: BuildOptions,
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
    on_result: Callable[[StoryResult], None] | None = None,
) -> BatchReport:
    """Build every story, on this machine (``jobs`` processes, default: one per core) or
    on the Dask cluster at ``scheduler``; ``on_result`` is called as each one finishes."""
    started = time.perf_counter()
    report = BatchReport()
    if scheduler:
        results = _on_cluster(stories, options, scheduler)
    else:
        results = _on_this_machine(stories, options, jobs or os.cpu_count() or 1)
    for result in results:
        report.results.append(result)
        if on_result:
            on_result(result)
    report.results.sort(key=lambda r: r.name)
    report.seconds = time.perf_counter() - started
    return report


def _on_this_machine(
    stories: list[Story], options: BuildOptions, jobs: int
) -> Iterator[StoryResult]:
    jobs = min(jobs, len(stories))
    if jobs <= 1:  # one at a time, each using every core for its analysis, as `build` does
        for story in stories:
            yield build_story(story, options)
        return
    import briefgen.build  # noqa: F401  (imported once here, not again in every worker)

    left = yield from _in_pool(stories, options, jobs)
    # A worker process died (out of memory, kill -9), taking the pool with it: the stories
    # it had not finished are built again one by one, each in a process of its own, so
    # only the story that kills its process fails.
    for story in left:
        if (yield from _in_pool([story], options, 1)):
            yield StoryResult(story.name, FAILED,
                              "error[BG-INTERNAL] the process building it died", 70)  # fmt: skip


def _in_pool(
    stories: list[Story], options: BuildOptions, jobs: int
) -> Generator[StoryResult, None, list[Story]]:
    """Build ``stories`` in a pool of ``jobs`` processes; return those left unfinished
    because a worker process died."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    left: list[Story] = []
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=worker_signals)
    try:
        futures = {pool.submit(build_story, story, options, True): story for story in stories}
        for future in as_completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                left.append(futures[future])
                continue
            yield result
    except BaseException:
        # Ctrl-C or SIGTERM (twice, under --every): the parent decides, the workers are
        # stopped at once; a publish is atomic, so every story keeps a whole edition.
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)
    return sorted(left, key=lambda story: story.name)


def _on_cluster(
    stories: list[Story], options: BuildOptions, scheduler: str
) -> Iterator[StoryResult]:
    from briefgen import cluster

    # The workers see the story and output folders at the same paths as this machine
    # (shared storage), whatever their working folder.
    remote = [Story(s.name, s.source_dir.absolute(), s.out_dir.absolute()) for s in stories]
    if options.templates_dir is not None:
        options = BuildOptions(options.formats, options.templates_dir.absolute(),
                               options.force, options.wait, options.since,
                               options.fetch)  # fmt: skip
    with cluster.connect(scheduler) as client:
        # One core per story on a worker (the cluster's parallelism is across stories; a
        # Dask worker's processes cannot start a pool of their own).
        calls = [(story, options, True) for story in remote]
        # pure=False: a story's build depends on its folder, not on these arguments.
        for i, outcome in cluster.run_tasks(
            client, build_story, calls, key="briefgen-story", retries=STORY_RETRIES, pure=False
        ):
            if isinstance(outcome, cluster.Failed):
                outcome = StoryResult(
                    stories[i].name, FAILED,
                    f"error[BG-CLUSTER] the build failed on the Dask cluster: "
                    f"{type(outcome.error).__name__}: {printable(str(outcome.error))} "
                    "(see the workers' logs)",
                    cluster.ClusterError.exit_code,
                )  # fmt: skip
            yield outcome
