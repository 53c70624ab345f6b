"""briefgen on a Dask distributed cluster: the only module importing ``dask``/``distributed``,
and only inside its functions (``pip install 'briefgen[dask]'``).

Two kinds of task, both plain Dask futures with ``retries``, collected with
``as_completed``; there is no queue of briefgen's own:

- one article's analysis (``pipeline._analyse_or_error(raw, rel)``) for ``build
  --scheduler``: the article's bytes travel with the task and its analysis comes back, so
  the workers need no access to the story folder; the corpus stages, rendering and
  publishing stay where the build runs;
- one story's build (``batch.build_story``) for ``batch --scheduler``: the worker reads the
  story folder and publishes into the output folder itself, so both must be on storage
  every worker sees at the same path.

Workers import briefgen to run the tasks (functions travel by name, not by code), so every
worker needs the same briefgen version installed as the machine that submits.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from briefgen.errors import ArticleError, BriefgenError

if TYPE_CHECKING:
    from distributed import Client, Future

    from briefgen.pipeline import Mapper

T = TypeVar("T")

# An analysis that raises (a bug, or a worker that died while running it) is tried again
# this many times, on any worker, before the article is reported as failed.
ANALYSIS_RETRIES = 2
INSTALL_HINT = "pip install 'briefgen[dask]' (on this machine and on every worker)"


@dataclass(frozen=True)
class Failed:
    """A task that raised (after its retries), or whose worker died too often
    (``KilledWorker``); a task's own result may be an exception object, this is not."""

    error: BaseException


class ClusterError(BriefgenError):
    """The Dask scheduler cannot be reached or was lost, or ``distributed`` is missing."""

    code = "BG-CLUSTER"
    exit_code = 69  # EX_UNAVAILABLE


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ClusterError(
            "running on a Dask cluster needs the 'distributed' package, which is not installed",
            hint=INSTALL_HINT,
        ) from None
    return distributed


@contextlib.contextmanager
def connect(address: str) -> Iterator[Client]:
    """A ``distributed.Client`` connected to the scheduler at ``address``, closed after.

    Trying to connect gives up after Dask's own connect timeout
    (``distributed.comm.timeouts.connect``, 30 s unless set, e.g. by the environment
    variable ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s``) with a ClusterError.
    """
    distributed = _distributed()
    import dask

    timeout = dask.config.get("distributed.comm.timeouts.connect")
    try:
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address}: {exc}",
            hint="start it with `dask scheduler`, check the address, or set "
            "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT to wait longer",
        ) from None
    try:
        yield client
    finally:
        with contextlib.suppress(Exception):  # a scheduler gone by now has nothing to close
            client.close()


def run_tasks(
    client: Client,
    function: Callable[..., T],
    calls: Sequence[tuple[Any, ...]],
    *,
    key: str,
    retries: int,
    pure: bool = True,
) -> Iterator[tuple[int, T | Failed]]:
    """Run ``function(*call)`` for every call as a Dask task; yield ``(index, result)`` as
    each finishes, the result being ``Failed`` when the task failed for good (it raised
    ``retries + 1`` times, or its worker died too often: ``KilledWorker``).

    A ClusterError when the scheduler is lost meanwhile. Unfinished tasks are cancelled
    when the caller stops early (an exception, Ctrl-C).
    """
    distributed = _distributed()
    from distributed import CancelledError

    if not calls:
        return
    columns = [list(column) for column in zip(*calls, strict=True)]
    futures: list[Future] = client.map(function, *columns, key=key, retries=retries, pure=pure)
    positions: dict[Hashable, list[int]] = {}  # by task key (str, or a tuple of keys)
    for i, future in enumerate(futures):
        positions.setdefault(future.key, []).append(i)  # pure tasks with equal calls share one
    try:
        for future in distributed.as_completed(futures, loop=client.loop):
            outcome: T | Failed
            if future.status == "finished":
                outcome = future.result()
            else:
                error = future.exception() if future.status == "error" else None
                if error is None or isinstance(error, CancelledError):
                    why = f"{type(error).__name__}: {error}" if error else future.status
                    raise ClusterError(
                        f"lost the Dask scheduler while tasks ran ({why})",
                        hint="what was published is whole; run again",
                    )
                outcome = Failed(error)
            for i in positions.pop(future.key, []):
                yield i, outcome
    finally:
        with contextlib.suppress(Exception):
            client.cancel([f for f in futures if not f.done()])


def analysis_mapper(client: Client) -> Mapper:
    """A ``pipeline.Mapper`` running each article's analysis as a task on the cluster.

    Bytes in, analysis back: the task needs nothing but its arguments. Results are
    yielded in input order, each as soon as it and every one before it are back. An
    article whose analysis fails for good is reported as a skipped article (BG-CLUSTER,
    naming the file), like any other unreadable input; the rest of the brief is built.
    """

    def mapper(
        function: Callable[[bytes, str], Any], raws: list[bytes], rels: list[str]
    ) -> Iterable[Any]:
        done: dict[int, Any] = {}
        following = 0
        results = run_tasks(client, function, list(zip(raws, rels, strict=True)),
                            key="briefgen-analyse", retries=ANALYSIS_RETRIES)  # fmt: skip
        for i, outcome in results:
            if isinstance(outcome, Failed):
                error = outcome.error
                outcome = ArticleError(
                    f"analysis failed on the Dask cluster: {type(error).__name__}: {error}",
                    path=rels[i],
                    code="BG-CLUSTER",
                    hint="tried again on other workers; see the workers' logs",
                )
            done[i] = outcome
            while following in done:
                yield done.pop(following)
                following += 1

    return mapper
