"""Hardening of publishing (issue 13): file modes, all-or-nothing editions on a full
disk, retried rejected inputs, a lock that survives the output folder being removed,
publishing the formats that rendered, and a hostile operator's cases."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen import editions
from briefgen.build import run_build
from briefgen.cli import main
from briefgen.errors import OutputError, RenderError
from briefgen.stages import ingest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
BRIEFGEN = [sys.executable, "-m", "briefgen.cli"]
LAST_ARTICLE = "004_242cf01acb44bb19.txt"
FAST = ("md", "json", "html")


def copy_seeds(tmp_path: Path, extra: str = "") -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    if extra:
        config = folder / "briefgen.toml"
        config.write_text(config.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return folder


def add_article(folder: Path, n: int) -> None:
    (folder / f"extra-{n}.txt").write_text(
        f"Talks resume in round {n}\n\nNegotiators met again on day {n} and said the "
        f"territory question was still open after {n} hours of talks.\n",
        encoding="utf-8",
    )


def published(out: Path, names=None) -> dict[str, bytes | None]:
    """The bytes behind every OUTDIR/brief.* (None when absent)."""
    names = names or [f"brief.{ext}" for ext in FAST]
    found = {}
    for name in names:
        try:
            found[name] = (out / name).read_bytes()
        except FileNotFoundError:
            found[name] = None
    return found


def edition_in_json(out: Path) -> int:
    return json.loads((out / "brief.json").read_text(encoding="utf-8"))["edition"]


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


# --- 2: modes follow the umask --------------------------------------------------------


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_published_files_follow_the_umask(tmp_path, mask, mode):
    """brief.* and the edition copies get 0666 minus the umask, on every rebuild; the
    cache stays private."""
    out = tmp_path / "out"
    old = os.umask(mask)
    try:
        run_build(SEEDS, None, out, FAST)
        run_build(SEEDS, None, out, FAST, force=True)
    finally:
        os.umask(old)
    for name in ("brief.md", "brief.json", "brief.html"):
        assert stat.S_IMODE((out / name).stat().st_mode) == mode, name
        for number in ("0001", "0002"):
            copy = out / "editions" / number / name
            assert stat.S_IMODE(copy.stat().st_mode) == mode, copy
    for folder in (out, out / "editions", out / "editions" / "0002"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~mask, folder
    for entry in (out / ".briefgen" / "cache").glob("*.json"):
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600


# --- 7: one edition or the other, never a mix -------------------------------------------


def _fail_at(monkeypatch, name: str, at: int) -> list[int]:
    """Make the ``at``-th call of os.<name> from now on raise ENOSPC."""
    real = getattr(os, name)
    calls = [0]

    def faulty(*args, **kwargs):
        calls[0] += 1
        if calls[0] == at:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, faulty)
    return calls


@pytest.mark.parametrize("call", ["replace", "fsync", "rename", "link", "symlink"])
def test_full_disk_at_any_step_publishes_all_or_nothing(tmp_path, monkeypatch, call):
    """ENOSPC raised by the n-th os.replace / os.fsync / ... of a publish, for every n:
    either every brief.* is the new edition or every one is still the old one, and a
    later build completes the new edition."""
    folder = copy_seeds(tmp_path)
    out = tmp_path / "out"
    run_build(folder, None, out, FAST)
    old = published(out)
    for at in range(1, 40):
        add_article(folder, at)
        with monkeypatch.context() as patch:
            calls = _fail_at(patch, call, at)
            try:
                report = run_build(folder, None, out, FAST)
            except OutputError as exc:
                assert exc.code == "BG-OUTPUT"
                failed = True
            else:
                failed = False
        now = published(out)
        if failed:
            assert now == old, f"a failed publish changed the brief ({call} #{at})"
        else:
            assert all(now[n] != old[n] for n in now), f"a mixed edition ({call} #{at})"
            assert edition_in_json(out) == report.edition
            old = now
        manifest = editions.load_manifest(out)
        assert manifest is not None and manifest.edition == edition_in_json(out)
        if calls[0] < at:  # the fault was never reached: every step has been tried
            break
    assert not [p for p in out.rglob("*") if ".tmp" in p.name or ".staging" in p.name]
    report = run_build(folder, None, out, FAST)
    assert edition_in_json(out) == report.edition


@contextlib.contextmanager
def small_disk(path: Path, size: str):
    path.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` until about ``leave`` bytes are free."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(0, free - leave))
    return filler


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_disk_that_fills_during_publish_keeps_the_previous_edition(tmp_path):
    """A real 2 MB file system filled to the brim: the build fails with BG-OUTPUT (73)
    and every brief.* is still the previous edition; with room again, the next edition
    is published whole."""
    folder = copy_seeds(tmp_path)
    with small_disk(tmp_path / "disk", "2M") as disk:
        out = disk / "out"
        first = cli("build", str(folder), "-o", str(out), "-f", "md", "-f", "json", "-f", "html")
        assert first.exit_code == 0, first.output
        old = published(out)
        size = sum(len(data) for data in old.values() if data)
        for leave in (size // 2, size - 4096, size + 4096):
            add_article(folder, leave)
            filler = fill(disk, leave)
            result = cli("build", str(folder), "-o", str(out), "-f", "md", "-f", "json",
                         "-f", "html")  # fmt: skip
            now = published(out)
            if result.exit_code == 0:
                assert all(now[n] != old[n] for n in now), "a mixed edition"
                old = now
            else:
                assert result.exit_code == 73, result.output
                assert "BG-OUTPUT" in result.stderr
                assert len(result.stderr.strip().splitlines()) == 1
                assert now == old, "the failed build changed the published brief"
            filler.unlink()
        again = cli("build", str(folder), "-o", str(out), "-f", "md", "-f", "json", "-f", "html")
        assert again.exit_code == 0, again.output
        assert edition_in_json(out) == editions.load_manifest(out).edition


def _crash_script(out: Path, folder: Path, call: str, at: int) -> str:
    return textwrap.dedent(f"""
        import os, sys
        real = os.{call}
        count = [0]
        def crash(*args, **kwargs):
            count[0] += 1
            if count[0] == {at}:
                os._exit(137)
            return real(*args, **kwargs)
        os.{call} = crash
        from briefgen.cli import main
        sys.argv = ["briefgen", "build", {str(folder)!r}, "-o", {str(out)!r},
                    "-f", "md", "-f", "json", "-f", "html"]
        main()
    """)


@pytest.mark.parametrize("call", ["replace", "rename"])
def test_kill_between_any_two_publish_steps_leaves_one_edition(tmp_path, call):
    """A process that dies (os._exit, like kill -9) at every os.replace / os.rename of a
    publish in turn leaves every brief.* from one edition, and the next build completes."""
    folder = copy_seeds(tmp_path)
    out = tmp_path / "out"
    run_build(folder, None, out, FAST)
    old = published(out)
    for at in range(1, 20):
        add_article(folder, at)
        done = subprocess.run([sys.executable, "-c", _crash_script(out, folder, call, at)],
                              cwd=ROOT, capture_output=True, text=True, check=False)  # fmt: skip
        now = published(out)
        assert now == old or all(now[n] != old[n] for n in now), f"mixed after crash #{at}"
        assert editions.load_manifest(out).edition == edition_in_json(out)
        old = now
        if done.returncode != 137:
            assert done.returncode == 0, done.stderr
            break
    add_article(folder, 99)
    report = run_build(folder, None, out, FAST)
    assert not report.unchanged and edition_in_json(out) == report.edition


# --- 8: a rejected file is read again next build ------------------------------------------


def test_file_rewritten_with_the_same_bytes_while_read_is_retried(tmp_path, monkeypatch):
    """The build rejects it (BG-CHANGED, exit 3); the next build must not say "nothing
    changed" but read it again and publish it."""
    folder = copy_seeds(tmp_path)
    out = tmp_path / "out"
    target = folder / LAST_ARTICLE
    real_read = ingest._read_chunk
    reads = []

    def rewrite_during_read(fd, size):
        chunk = real_read(fd, size)
        if os.readlink(f"/proc/self/fd/{fd}") == str(target.resolve()) and chunk:
            reads.append(1)
            if len(reads) == 1:  # the build's one read (fingerprint and analysis share it)
                data = target.read_bytes()
                target.write_bytes(data)
                info = target.stat()
                os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))
        return chunk

    monkeypatch.setattr(ingest, "_read_chunk", rewrite_during_read)
    first = cli("build", str(folder), "-o", str(out), "-f", "json")
    assert first.exit_code == 3 and "BG-CHANGED" in first.stderr, first.output
    monkeypatch.undo()
    second = cli("build", str(folder), "-o", str(out), "-f", "json")
    assert second.exit_code == 0, second.output
    assert "nothing changed" not in second.output
    paths = {s["path"] for s in json.loads((out / "brief.json").read_bytes())["sources"]}
    assert LAST_ARTICLE in paths
    third = cli("build", str(folder), "-o", str(out), "-f", "json")
    assert third.exit_code == 0 and "nothing changed" in third.output


# --- 9: the lock survives the output folder being removed ----------------------------------


def test_lock_survives_rm_rf_of_the_output_folder(tmp_path):
    """While one build holds the lock, `rm -rf OUT` does not let a second one in."""
    out = tmp_path / "out"
    with editions.run_lock(out):
        shutil.rmtree(out)
        busy = subprocess.run([*BRIEFGEN, "build", str(SEEDS), "-o", str(out), "-f", "json"],
                              capture_output=True, text=True, cwd=ROOT, check=False)  # fmt: skip
        assert busy.returncode == 75, busy.stderr
        assert "BG-BUSY" in busy.stderr
    assert not (out / "brief.json").exists()


def test_lock_is_shared_through_a_symlinked_output_folder(tmp_path):
    """OUT and a symlink to it are one output folder: one lock."""
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    with editions.run_lock(real):
        shutil.rmtree(real / ".briefgen")
        busy = subprocess.run([*BRIEFGEN, "build", str(SEEDS), "-o", str(link), "-f", "json"],
                              capture_output=True, text=True, cwd=ROOT, check=False)  # fmt: skip
        assert busy.returncode == 75, busy.stderr


@pytest.mark.parametrize("how", ["removed", "replaced by a file", "replaced by a folder"])
def test_output_folder_lost_mid_build_is_not_published(tmp_path, monkeypatch, how):
    """OUT removed or replaced while the build runs: nothing is published into the new
    thing, and the error says so (BG-OUTGONE, exit 73)."""
    from briefgen import whatsnew

    out = tmp_path / "out"
    run_build(SEEDS, None, out, ("json",))
    real_mark = whatsnew.mark

    def lose_out(*args, **kwargs):
        shutil.rmtree(out)
        if how == "replaced by a file":
            out.write_text("not yours", encoding="utf-8")
        elif how == "replaced by a folder":
            out.mkdir()
        return real_mark(*args, **kwargs)

    monkeypatch.setattr(whatsnew, "mark", lose_out)
    result = cli("build", str(SEEDS), "-o", str(out), "-f", "json", "--force")
    assert result.exit_code == 73, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BG-OUTGONE" in lines[0], lines
    if how == "replaced by a file":
        assert out.read_text(encoding="utf-8") == "not yours"
    elif how == "replaced by a folder":
        assert list(out.iterdir()) == []
    else:
        assert not out.exists()


# --- 10: the formats that rendered are published ------------------------------------------


def test_one_format_failing_publishes_the_others_and_exits_3(tmp_path, monkeypatch):
    """HTML fails to render: MD and JSON of the new edition are published, the old HTML
    is not left beside them, exit 3 with one line naming HTML; the next build retries."""
    import briefgen.render

    folder = copy_seeds(tmp_path)
    out = tmp_path / "out"
    run_build(folder, None, out, FAST)
    real_render = briefgen.render.render

    def render(brief, fmt, templates=None):
        if fmt == "html":
            raise RenderError("HTML rendering took longer than 1 s")
        return real_render(brief, fmt, templates)

    monkeypatch.setattr(briefgen.render, "render", render)
    add_article(folder, 1)
    result = cli("build", str(folder), "-o", str(out), "-f", "md", "-f", "json", "-f", "html")
    assert result.exit_code == 3, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BG-RENDER" in lines[0] and "brief.html" in lines[0], lines
    assert edition_in_json(out) == 2
    assert "round 1" in (out / "brief.md").read_text(encoding="utf-8")
    assert not (out / "brief.html").exists(), "edition 1's HTML beside edition 2's MD"
    assert (out / "editions" / "0001" / "brief.html").is_file()
    monkeypatch.undo()
    again = cli("build", str(folder), "-o", str(out), "-f", "md", "-f", "json", "-f", "html")
    assert again.exit_code == 0 and "nothing changed" not in again.output, again.output
    assert edition_in_json(out) == 3 and (out / "brief.html").is_file()


# --- probes ---------------------------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting needs root")
def test_read_only_output_folder_is_73_and_keeps_the_edition(tmp_path):
    with small_disk(tmp_path / "disk", "4M") as disk:
        out = disk / "out"
        run_build(SEEDS, None, out, FAST)
        before = published(out)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        result = cli("build", str(SEEDS), "-o", str(out), "-f", "md", "--force")
        assert result.exit_code == 73, result.output
        assert len(result.stderr.strip().splitlines()) == 1 and "BG-OUTPUT" in result.stderr
        assert published(out) == before


def test_output_folder_given_as_a_symlink(tmp_path):
    """OUT a symlink: the build publishes into its target, and the same folder named by
    its real path is unchanged (no rebuild)."""
    real = tmp_path / "real"
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    real.mkdir()
    run_build(SEEDS, None, link, FAST)
    assert link.is_symlink() and edition_in_json(real) == 1
    assert run_build(SEEDS, None, real, FAST).unchanged


def test_dangling_symlink_output_folder_is_one_line_73(tmp_path):
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "nowhere")
    result = cli("build", str(SEEDS), "-o", str(link), "-f", "json")
    assert result.exit_code in (0, 73), result.output
    if result.exit_code == 73:
        assert len(result.stderr.strip().splitlines()) == 1 and "BG-OUTPUT" in result.stderr


def test_stale_lock_file_from_a_dead_process_is_no_obstacle(tmp_path):
    out = tmp_path / "out"
    (out / ".briefgen").mkdir(parents=True)
    (out / ".briefgen" / "lock").write_text("12345\n", encoding="utf-8")
    killed = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import os, time
        from briefgen import editions
        with editions.run_lock(__import__('pathlib').Path({str(out)!r})):
            print('locked', flush=True)
            time.sleep(60)
    """)], cwd=ROOT, stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert killed.stdout.readline().strip() == "locked"
    killed.kill()
    killed.wait()
    assert run_build(SEEDS, None, out, ("json",)).edition == 1


def test_clock_going_backwards_keeps_edition_order(tmp_path, monkeypatch):
    """Edition 2 dated before edition 1: numbers, the latest brief and the archive
    still follow the edition number, never the date."""
    folder = copy_seeds(tmp_path, "\n[editions]\nkeep = 2\n")
    out = tmp_path / "out"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    run_build(folder, None, out, ("json",))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # 2025-12-01
    for n in range(1, 4):
        add_article(folder, n)
        report = run_build(folder, None, out, ("json",))
    assert report.edition == 4 and edition_in_json(out) == 4
    assert sorted(p.name for p in (out / "editions").iterdir()) == ["0003", "0004"]
    assert editions.load_manifest(out).published_at.startswith("2025-12-01")


def test_keep_zero_archives_nothing_and_still_publishes(tmp_path):
    folder = copy_seeds(tmp_path, "\n[editions]\nkeep = 0\n")
    out = tmp_path / "out"
    for n in range(1, 4):
        add_article(folder, n)
        run_build(folder, None, out, FAST)
    assert edition_in_json(out) == 3
    assert not (out / "editions").exists() or not list((out / "editions").iterdir())
    assert all(data for data in published(out).values())
    assert run_build(folder, None, out, FAST).unchanged


def test_lost_state_does_not_reuse_or_prune_away_edition_numbers(tmp_path):
    """With .briefgen/ deleted but editions/0002-0003 still there, the next edition is
    0004: it does not overwrite an archived edition nor get pruned as the oldest."""
    folder = copy_seeds(tmp_path, "\n[editions]\nkeep = 2\n")
    out = tmp_path / "out"
    for n in range(1, 4):
        add_article(folder, n)
        run_build(folder, None, out, ("json",))
    old = (out / "editions" / "0002" / "brief.json").read_bytes()
    shutil.rmtree(out / ".briefgen")
    add_article(folder, 9)
    report = run_build(folder, None, out, ("json",))
    assert report.edition == 4 and edition_in_json(out) == 4
    assert sorted(p.name for p in (out / "editions").iterdir()) == ["0003", "0004"]
    assert old != (out / "editions" / "0003" / "brief.json").read_bytes()


def test_upgrade_from_plain_files_keeps_the_edition_readable(tmp_path):
    """An output folder written by an older briefgen (brief.* plain files, manifest in
    .briefgen/) is taken over: the unchanged build is a no-op, the next one publishes."""
    out = tmp_path / "out"
    out.mkdir()
    run_build(SEEDS, None, out, ("json",))
    # Turn it into the old layout: plain files where the links are.
    for path in [out / "brief.json", out / ".briefgen" / "manifest.json",
                 out / ".briefgen" / "last-brief.json"]:  # fmt: skip
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)
    for extra in (out / ".briefgen").iterdir():
        if extra.name not in ("manifest.json", "last-brief.json", "cache", "lock"):
            shutil.rmtree(extra) if extra.is_dir() and not extra.is_symlink() else extra.unlink()
    assert run_build(SEEDS, None, out, ("json",)).unchanged
    report = run_build(SEEDS, None, out, ("json",), force=True)
    assert report.edition == 2 and edition_in_json(out) == 2


def test_failed_first_publish_leaves_no_folder_and_no_dangling_links(tmp_path, monkeypatch):
    """ENOSPC at each step of the very first publish: no output folder is left behind."""
    for at in range(1, 30):
        out = tmp_path / f"out{at}"
        with monkeypatch.context() as patch:
            calls = _fail_at(patch, "replace", at)
            try:
                run_build(SEEDS, None, out, FAST)
            except OutputError:
                assert not out.exists(), sorted(p.name for p in out.rglob("*"))
                continue
        assert edition_in_json(out) == 1
        if calls[0] < at:  # every step has failed once
            break


def test_something_in_the_way_of_a_brief_file_is_73_and_keeps_the_edition(tmp_path):
    """A folder where brief.html goes: one line, exit 73, the previous edition kept."""
    out = tmp_path / "out"
    run_build(SEEDS, None, out, ("md", "json"))
    before = published(out, ["brief.md", "brief.json"])
    (out / "brief.html").mkdir()
    result = cli("build", str(SEEDS), "-o", str(out), "-f", "md", "-f", "json", "-f", "html")
    assert result.exit_code == 73, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and "BG-OUTPUT" in result.stderr
    assert published(out, ["brief.md", "brief.json"]) == before


def test_brief_files_are_relative_links_so_the_folder_can_move(tmp_path):
    out = tmp_path / "out"
    run_build(SEEDS, None, out, FAST)
    assert (out / "brief.md").is_symlink()
    assert not os.path.isabs(os.readlink(out / "brief.md"))
    moved = tmp_path / "moved"
    out.rename(moved)
    assert edition_in_json(moved) == 1 and (moved / "brief.html").is_file()
    assert run_build(SEEDS, None, moved, FAST).unchanged


def test_file_system_without_symlinks_is_one_clear_line(tmp_path, monkeypatch):
    """On FAT/exFAT (no symlinks) the build cannot publish atomically: exit 73, one
    line saying why, nothing half-published."""

    def no_symlinks(*_args, **_kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "symlink", no_symlinks)
    out = tmp_path / "out"
    result = cli("build", str(SEEDS), "-o", str(out), "-f", "json")
    assert result.exit_code == 73, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "symbolic links" in lines[0], lines
    assert not out.exists()
