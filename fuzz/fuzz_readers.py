#!/usr/bin/env python3
"""Coverage-guided fuzzing of the readers with atheris (libFuzzer), outside the test suite.

Each input is written to a file under one of the extensions archiver reads and read as an
export would read it. A crash is: an exception escaping the reader, a Failure that is archiver's
own bug ("archiver could not handle it"), an article whose body is not well-formed XHTML, or
an input taking longer than -timeout seconds. Seeds: examples/ and tests/hostile_corpus.py.

usage: pip install '.[fuzz]' && python fuzz/fuzz_readers.py -max_total_time=600 [libFuzzer flags]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["archiver", "email"]):
    from archiver.errors import INTERNAL
    from archiver.model import Article
    from archiver.readers import ReadOptions, read_file

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
EXTENSIONS = (".html", ".eml", ".mbox", ".mhtml", ".htm", ".mht")
WORK = Path(tempfile.mkdtemp(prefix="archiver-fuzz-"))
MAX_SEED = 32_768  # larger inputs cost seconds each in the extractors, and find no more


class Found(Exception):
    """What the fuzzer reports as a crash."""


def one_input(data: bytes) -> None:
    if not data:
        return
    path = WORK / f"input{EXTENSIONS[data[0] % len(EXTENSIONS)]}"
    path.write_bytes(data[1:])
    for item in read_file(path, path.name, ReadOptions()):
        if isinstance(item, Article):
            etree.fromstring(f"<div>{item.body}</div>")  # raises on a body that is not well-formed
        elif item.problem.startswith(INTERNAL) or f": {INTERNAL}" in item.problem:
            raise Found(item.problem)


def seeds(folder: Path) -> None:
    """The examples and the generated hostile corpus, each prefixed with its extension's byte."""
    sys.path.insert(0, str(ROOT))
    from tests.hostile_corpus import build

    build(WORK / "hostile")
    folder.mkdir(parents=True, exist_ok=True)
    for number, path in enumerate(sorted([*(ROOT / "examples").rglob("*"), *(WORK / "hostile").rglob("*")])):
        if path.is_file() and not path.is_symlink() and path.suffix in EXTENSIONS:
            data = path.read_bytes()[: MAX_SEED - 1]  # a cut-off input is a good seed too
            (folder / f"seed-{number:04d}").write_bytes(bytes([EXTENSIONS.index(path.suffix)]) + data)


def main() -> None:
    arguments = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    flags = [arg for arg in sys.argv[1:] if arg.startswith("-")]
    if arguments and Path(arguments[0]).is_file():  # run crash files again
        atheris.Setup([sys.argv[0], *flags, *arguments], one_input)
        atheris.Fuzz()
        return
    corpus = Path(arguments[0]) if arguments else ROOT / "fuzz" / "corpus"
    if not corpus.is_dir() or not any(corpus.iterdir()):
        seeds(corpus)
    defaults = {
        "-timeout=": "-timeout=20",
        "-max_len=": f"-max_len={MAX_SEED}",
        "-rss_limit_mb=": "-rss_limit_mb=2048",
    }
    flags += [value for prefix, value in defaults.items() if not any(f.startswith(prefix) for f in flags)]
    atheris.Setup([sys.argv[0], *flags, str(corpus)], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
