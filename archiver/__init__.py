"""archiver: saved articles in, archival packages with provenance out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("archiver")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
