"""archiver: saved articles in, archival packages with provenance out.

    import archiver
    for item in archiver.read(["saved/"]): ...
    for event in archiver.export(["saved/"], "archive/"): ...
    for check in archiver.verify("archive/"): ...

The public names load when first used (PEP 562), so that `import archiver` and the command's
--help start at once; type checkers see them through the imports below.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import (
        ArticleAdded,
        Captured,
        Duplicate,
        Event,
        ExportSettings,
        Finished,
        Problem,
        Unchanged,
        Writing,
        export,
        finish_interrupted,
        read,
        verify,
    )
    from .errors import ArchiverError, UsageError
    from .exporters.base import Written
    from .model import Article, Capture, Failure, Hop, Resource, ResourceStatus, Source

_WHERE = {
    **dict.fromkeys(
        (
            "ArticleAdded",
            "Captured",
            "Duplicate",
            "Event",
            "ExportSettings",
            "Finished",
            "Problem",
            "Unchanged",
            "Writing",
            "export",
            "finish_interrupted",
            "read",
            "verify",
        ),
        "api",
    ),
    **dict.fromkeys(("ArchiverError", "UsageError"), "errors"),
    "Written": "exporters.base",
    **dict.fromkeys(
        ("Article", "Capture", "Failure", "Hop", "Resource", "ResourceStatus", "Source"), "model"
    ),
}
__all__ = [  # literal, for type checkers and linters; tests/test_api.py pins it
    "ArchiverError",
    "Article",
    "ArticleAdded",
    "Capture",
    "Captured",
    "Duplicate",
    "Event",
    "ExportSettings",
    "Failure",
    "Finished",
    "Hop",
    "Problem",
    "Resource",
    "ResourceStatus",
    "Source",
    "Unchanged",
    "UsageError",
    "Writing",
    "Written",
    "__version__",
    "export",
    "finish_interrupted",
    "read",
    "verify",
]


def __getattr__(name: str) -> Any:
    """A public name, imported when first asked for; `__version__` too: importing
    importlib.metadata takes long enough that a Ctrl-C could land in it before the command can
    answer it in one line."""
    if name == "__version__":
        return _version()
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("archiver")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"
