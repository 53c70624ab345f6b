"""Shared pytest setup: the ``slow`` marker.

The tests listed in SLOW take about two seconds or more each (``pytest --durations=40``):
memory and time limits on large inputs, killed and interrupted builds, real file-system
watching. They are marked ``slow`` here, in one list, so the quick everyday run is

    bash scripts/test.sh -m "not slow"

while the default run (and CI, ``bash scripts/test.sh``) still runs everything. An entry is
``file::function`` (every parameter) or ``file::function[param]`` (that one). An entry that
names no collected test is an error when its file is collected whole, so a renamed test
cannot silently join the quick run.
"""

from __future__ import annotations

import pytest

SLOW = {
    "test_batch.py::test_batch_every_repeats_and_stops_on_sigterm",
    "test_dask.py::test_batch_on_a_cluster_started_with_the_dask_commands",
    "test_dask.py::test_an_unreachable_scheduler_is_one_line_fast_and_writes_nothing",
    "test_dask.py::test_batch_on_the_cluster_builds_each_story_on_a_worker",
    "test_dask.py::test_build_analyses_the_articles_on_the_workers",
    "test_editions.py::test_killed_build_leaves_previous_edition_intact",
    "test_editions.py::test_second_build_is_refused_while_lock_is_held",
    "test_editions.py::test_two_concurrent_builds_one_publishes_one_is_busy",
    "test_editions.py::test_watch_rebuilds_on_real_file_events_and_stops_on_sigterm",
    "test_fetch.py::test_hostile_servers_each_fail_their_feed_in_one_line_and_the_others_fetch",
    "test_fetch.py::test_schedule_fetch_turns_a_folder_with_only_a_config_into_a_current_brief",
    "test_hardening.py::test_canary_search_finds_a_canary_that_is_there",
    "test_hardening.py::test_hostile_folder_publishes_names_each_bad_file_and_leaks_nothing",
    "test_hardening.py::test_hostile_folder_rebuilt_unchanged_writes_nothing",
    "test_hardening.py::test_interrupted_build_exits_130_and_keeps_previous_edition",
    "test_hardening.py::test_long_token_and_long_line_render_quickly",
    "test_hardening.py::test_peak_memory_on_the_largest_inputs",
    "test_hardening.py::test_thousands_of_tiny_files",
    "test_hardening_cli.py::test_closed_stdout_or_stderr_is_no_crash",
    "test_hardening_cli.py::test_second_ctrl_c_stops_watch_mid_rebuild_with_130",
    "test_hardening_cli.py::test_watch_log_is_one_line_per_rebuild_without_weasyprint_steps",
    "test_hardening_cli.py::test_watch_rebuilds_on_a_real_event_for_every_reader_suffix",
    "test_hardening_publish.py::test_failed_first_publish_leaves_no_folder_and_no_dangling_links",
    "test_hardening_publish.py::test_full_disk_at_any_step_publishes_all_or_nothing[fsync]",
    "test_hardening_publish.py::test_full_disk_at_any_step_publishes_all_or_nothing[replace]",
    "test_hardening_publish.py::test_kill_between_any_two_publish_steps_leaves_one_edition",
    "test_hardening_render.py::test_docx_with_thousands_of_sources_is_linear",
    "test_quotes.py::test_text_dense_with_quote_marks_takes_linear_time",
    "test_serve.py::test_cli_serve_prints_the_url_and_ctrl_c_exits_130",
    "test_serve.py::test_edition_page_offers_every_format_for_download",
    "test_serve_browser.py::test_axe_finds_no_serious_or_critical_violation",
    "test_serve_browser.py::test_layout_fits_phone_and_desktop_widths",
    "test_serve_browser.py::test_page_reloads_by_itself_within_two_seconds_of_a_rebuild",
    "test_serve_browser.py::test_page_renders_and_a_citation_jumps_to_its_source",
}


def _keys(item: pytest.Item) -> tuple[str, str]:
    file = item.path.name
    return f"{file}::{getattr(item, 'originalname', item.name)}", f"{file}::{item.name}"


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    matched: set[str] = set()
    for item in items:
        hits = SLOW.intersection(_keys(item))
        if hits:
            item.add_marker(pytest.mark.slow)
            matched |= hits
    # Files given as node ids (file::test) are collected in part; elsewhere, whole.
    if any("::" in arg for arg in config.args):
        return
    collected_files = {item.path.name for item in items}
    stale = sorted(e for e in SLOW - matched if e.split("::")[0] in collected_files)
    if stale:
        raise pytest.UsageError(f"tests/conftest.py SLOW names no collected test: {stale}")
