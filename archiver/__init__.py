"""archiver: saved articles in, archival packages with provenance out.

import archiver
for item in archiver.read(["saved/"]): ...
for event in archiver.export(["saved/"], "archive/"): ...
for check in archiver.verify("archive/"): ...
"""

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


# The API, after __getattr__: modules it imports ask this package for __version__.
from .api import (
    ArticleAdded,
    Duplicate,
    Event,
    ExportSettings,
    Finished,
    Problem,
    Writing,
    export,
    finish_interrupted,
    read,
    verify,
)
from .errors import ArchiverError, UsageError
from .exporters.base import Written
from .model import Article, Failure, Resource, ResourceStatus, Source

__all__ = [
    "ArchiverError",
    "Article",
    "ArticleAdded",
    "Duplicate",
    "Event",
    "ExportSettings",
    "Failure",
    "Finished",
    "Problem",
    "Resource",
    "ResourceStatus",
    "Source",
    "UsageError",
    "Writing",
    "Written",
    "__version__",
    "export",
    "finish_interrupted",
    "read",
    "verify",
]
