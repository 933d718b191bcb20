"""archiver: saved articles in, archival packages with provenance out."""

from __future__ import annotations

from functools import cache


def __getattr__(name: str) -> str:
    """`__version__`, looked up when first asked for: importing importlib.metadata takes long
    enough that a Ctrl-C could land in it before the command can answer it in one line."""
    if name == "__version__":
        return _version()
    raise AttributeError(name)


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("archiver")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"
