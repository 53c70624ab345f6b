"""What the per-article stages return: a type every module can import without cycles.

This module imports only ``briefgen.models`` (and the quote span type for annotations),
so the cache, the pipeline and the stages can all share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from briefgen.models import Sentence, Source

if TYPE_CHECKING:
    from briefgen.errors import ArticleError
    from briefgen.stages.quotes import QuoteSpan


@dataclass(frozen=True)
class ArticleAnalysis:
    """What the per-article stages found in one article; depends on its bytes alone,
    so it can be cached by content hash and computed in parallel.

    Its source is not numbered yet (``n == 0``): numbers are given when the corpus is
    put together (``pipeline._corpus``), as new objects."""

    source: Source
    sentences: list[Sentence]
    quotes: list[QuoteSpan]
    names: list[tuple[str, str | None]]
    # Problems that did not cost the article (a date that is no date): notes, not rejections.
    warnings: list[ArticleError] = field(default_factory=list)
    # What ranking reads off each sentence that needs no other article, counted here so
    # that it is computed once per article (in the worker processes) and cached with it:
    # each sentence's stemmed content terms (features.content_terms), and the article's
    # capitalised and total mid-sentence uses of each stem (features.name_counts).
    # None: not computed (an analysis made without them).
    terms: list[list[str]] | None = None
    name_counts: tuple[dict[str, int], dict[str, int]] | None = None
    # The syndication sketch of its text (sourcing.sketch_of): crc32 of the text, hashes.
    sketch: tuple[int, list[int]] | None = None
