"""Nothing lost: an export killed (SIGKILL, Ctrl-C) at any moment, stopped midway through replacing
files, or out of disk space leaves the previous package whole and valid, or the new one whole;
never a partial file under a final name."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archiver.package import commit
from tests.conftest import ROOT

pytestmark = pytest.mark.export

ARCHIVER = Path(sys.executable).parent / "archiver"
FIRST = ("examples/mail",)
SECOND = ("examples/mhtml", "examples/saved-page")
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}  # the same inputs give the same manifest bytes


def archiver(*args: str, cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ARCHIVER), *args],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        **kwargs,
    )  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """before/: an export of FIRST; after/: before/ plus an export of SECOND, run to the end."""
    work = tmp_path_factory.mktemp("interrupt")
    shutil.copytree(ROOT / "examples", work / "examples")
    assert archiver("export", *FIRST, "--out", "before", cwd=work).returncode == 0
    shutil.copytree(work / "before", work / "after", symlinks=True)
    assert archiver("export", *SECOND, "--out", "after", cwd=work).returncode == 0
    return work


def final_files(package: Path) -> dict[str, bytes]:
    """What a user sees: every file outside archiver's own .archiver/ folder."""
    return {
        p.relative_to(package).as_posix(): p.read_bytes()
        for p in sorted(package.rglob("*"))
        if p.is_file() and ".archiver" not in p.relative_to(package).parts
    }


def assert_whole(package: Path, work: Path) -> str:
    """No half-written file under a final name, and, once verify has finished a commit the kill
    stopped past its commit point (as the next export would), the package is exactly the one
    before the export or the one after it. (Compared before verify, a kill inside the commit
    looked like "before"; the export run again then found its inputs read, and listed them as
    duplicates.)"""
    assert not [name for name in final_files(package) if name.endswith(".partial")]
    result = archiver("verify", str(package), cwd=work)
    assert result.returncode == 0, result.stdout
    files = final_files(package)
    which = next((name for name in ("before", "after") if files == final_files(work / name)), None)
    assert which is not None, sorted(files)
    return which


@pytest.mark.parametrize("delay", [0.4, 1.2, 2.0, 2.8, 3.6])
def test_sigkill_at_any_moment_leaves_a_whole_package(packages: Path, delay: float) -> None:
    target = packages / f"killed-{delay}"
    shutil.copytree(packages / "before", target, symlinks=True)
    process = subprocess.Popen(
        [str(ARCHIVER), "export", *SECOND, "--out", str(target)],
        cwd=packages,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGKILL)  # the renderer's worker processes too
    process.wait(timeout=30)
    if assert_whole(target, packages) == "before":  # and the same export again gives the whole new package
        result = archiver("export", *SECOND, "--out", str(target), cwd=packages)
        assert result.returncode == 0, result.stderr
        assert final_files(target) == final_files(packages / "after")


@pytest.mark.parametrize("delay", [0.3, 1.2, 2.4])
def test_ctrl_c_stops_cleanly_with_one_line(packages: Path, delay: float) -> None:
    target = packages / f"interrupted-{delay}"
    shutil.copytree(packages / "before", target, symlinks=True)
    process = subprocess.Popen(
        [str(ARCHIVER), "export", *SECOND, "--out", str(target)],
        cwd=packages,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
    _, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stderr
    which = assert_whole(target, packages)
    if (
        delay < 2
    ):  # long before the export could end: a Ctrl-C the libraries swallowed while loading went unseen
        assert process.returncode == 130, (process.returncode, stderr)
    if process.returncode == -signal.SIGINT:  # the signal came as the process was exiting, its work done
        assert which == "after"
    elif process.returncode != 0:  # (0: it had finished before the signal came)
        assert process.returncode == 130 and "interrupted" in stderr, (process.returncode, stderr)
        assert "as it was before" not in stderr or which == "before"  # what it says is what happened
        assert "holds this export's outputs" not in stderr or which == "after"
        assert len([line for line in stderr.splitlines() if line.strip()]) == 1, stderr


# Ctrl-C sent, as a terminal does, at a chosen moment of the pool's start-up (run by `python -c`;
# argv: the function's module, its name there, "before" or "after" it runs).
CTRL_C_AT = """
import importlib, os, signal, sys, time
from archiver.runtime.runner import opened
module, name, when = sys.argv[1:]
owner = importlib.import_module(module)
for part in name.split(".")[:-1]:
    owner = getattr(owner, part)
real = getattr(owner, name.split(".")[-1])
def ctrl_c_at(*args, **kwargs):
    if when == "before":
        os.killpg(0, signal.SIGINT)
    result = real(*args, **kwargs)
    if when == "after":
        time.sleep(1)  # what it started is running by now
        os.killpg(0, signal.SIGINT)
    return result
setattr(owner, name.split(".")[-1], ctrl_c_at)
try:
    with opened(2) as runner:
        list(runner.run_stream(abs, range(-40, 0)))
        runner.run_all(abs, list(range(-40, 0)))
except KeyboardInterrupt:
    sys.exit("interrupted")
print("finished")
"""


@pytest.mark.parametrize(
    "moment",
    [
        ("multiprocessing.forkserver", "ensure_running", "before"),
        ("multiprocessing.popen_forkserver", "Popen._launch", "after"),
    ],
    ids=["fork-server-starting", "worker-forked"],
)
def test_ctrl_c_while_the_pool_starts_stops_everything(moment: tuple[str, str, str]) -> None:
    """Found by CI: a Ctrl-C while the fork server started was lost (the export went on), and one
    after it forked a worker but before the pool counted it left a worker that nobody would ever
    stop: it held the caller's pipes open, or took the stop message of another one, which the
    exit then waited for forever."""
    process = subprocess.Popen(
        [sys.executable, "-c", CTRL_C_AT, *moment],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=60)
    finally:
        os.killpg(process.pid, signal.SIGKILL) if _group_alive(process.pid) else None
    assert (process.returncode, stdout, stderr.strip()) == (1, "", "interrupted")
    deadline = time.monotonic() + 10
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)  # the fork server sees its last client gone, and leaves
    assert not _group_alive(process.pid), "a worker or the fork server outlived the command"


def test_ctrl_c_while_the_arguments_are_parsed_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Typer turns a Ctrl-C while it parses (it imports pydantic then) into a silent exit 130."""
    import typer

    from archiver.cli import app as cli

    def ctrl_c(value: int) -> int:
        raise KeyboardInterrupt

    tiny = typer.Typer()

    @tiny.command()
    def command(number: int = typer.Option(1, callback=ctrl_c)) -> None:
        raise AssertionError("not reached")

    monkeypatch.setattr(cli, "app", tiny)
    monkeypatch.setattr(sys, "argv", ["archiver", "--number", "2"])
    with pytest.raises(SystemExit) as stopped:
        cli.run()
    assert stopped.value.code == 130 and capsys.readouterr().err.strip() == "interrupted"


SWALLOWED = """
import os, signal, sys
from archiver.runtime import interrupts
interrupts.install()
try:
    os.kill(os.getpid(), signal.SIGINT)
except KeyboardInterrupt:
    pass  # as a library's broad except, or a destructor, drops it
from archiver.cli.app import run
sys.argv = ["archiver", "export", *sys.argv[1:]]
run()
"""


def test_a_ctrl_c_that_something_swallowed_still_stops_the_commit(packages: Path) -> None:
    target = packages / "swallowed"
    shutil.copytree(packages / "before", target, symlinks=True)
    result = subprocess.run(
        [sys.executable, "-c", SWALLOWED, *SECOND, "--out", str(target)],
        cwd=packages,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 130 and "is as it was before" in result.stderr, (
        result.returncode,
        result.stderr,
    )
    assert assert_whole(target, packages) == "before"


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_commit_stopped_midway_is_finished_by_the_next_command(
    packages: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The one window a kill at random seldom hits: between the journal and the last rename."""
    from typer.testing import CliRunner

    from archiver import api
    from archiver.cli.app import app

    target = tmp_path / "package"
    shutil.copytree(packages / "before", target, symlinks=True)
    real_move, calls = commit._move, []

    def crash_on_third(source: Path, destination: Path) -> None:
        calls.append(destination)
        if len(calls) == 3:
            raise KeyboardInterrupt  # as if the power went out after two files were moved
        real_move(source, destination)

    monkeypatch.setattr(commit, "_move", crash_on_third)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.chdir(packages)
    result = CliRunner().invoke(app, ["export", *SECOND, "--out", str(target), "--jobs", "1"])
    monkeypatch.setattr(commit, "_move", real_move)
    assert len(calls) >= 3 and result.exit_code == 130
    assert "holds this export's outputs" in result.output  # finished on the way out
    assert assert_whole(target, packages) == "after"

    calls.clear()
    shutil.rmtree(target)
    shutil.copytree(packages / "before", target, symlinks=True)
    monkeypatch.setattr(commit, "_move", crash_on_third)
    monkeypatch.setattr(api, "finish_interrupted", lambda out: False)  # a SIGKILL leaves no time to finish
    CliRunner().invoke(app, ["export", *SECOND, "--out", str(target), "--jobs", "1"])
    monkeypatch.undo()
    assert commit.pending(target / ".archiver")  # the renames, left in the index's journal
    assert archiver("verify", str(target), cwd=packages).returncode == 0  # verify finishes it first
    assert final_files(target) == final_files(packages / "after")


def test_a_full_disk_leaves_the_previous_package(packages: Path) -> None:
    """A tmpfs just large enough for the first package, in a user and mount namespace."""
    if (
        shutil.which("unshare") is None
        or subprocess.run(["unshare", "-rm", "true"], check=False).returncode != 0
    ):
        pytest.skip(
            "this machine does not allow user namespaces (unshare -rm), needed to mount a small tmpfs"
        )
    used = sum(p.stat().st_size for p in (packages / "before").rglob("*") if p.is_file())
    script = f"""
        set -u
        mount -t tmpfs -o size={used // 1024 + 256}k tmpfs "$DISK"
        cp -a "$WORK/before" "$DISK/package"
        cd "$WORK" && "$ARCHIVER" export {" ".join(SECOND)} --out "$DISK/package" > "$DISK/../export.log" 2>&1
        echo "export=$?"
        rm -rf "$WORK/full-disk-result" && cp -a "$DISK/package" "$WORK/full-disk-result"
    """
    (packages / "disk").mkdir(exist_ok=True)
    result = subprocess.run(
        ["unshare", "-rm", "bash", "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        env={**ENV, "DISK": str(packages / "disk"), "WORK": str(packages), "ARCHIVER": str(ARCHIVER)},
        check=False,
    )
    log = (packages / "export.log").read_text()
    assert "export=2" in result.stdout, (result.stdout, result.stderr, log)
    assert (
        "No space left on device" in log
        and "the package there is as it was" in log
        and "Traceback" not in log
    )
    assert assert_whole(packages / "full-disk-result", packages) == "before"
