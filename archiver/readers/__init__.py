"""The readers: one module per input format (each described by one `Reader` record, base.py),
listed in registry.py, which also detects an input's format; discovery.py finds the input files
an argument names, cost.py whether workers repay their start, and tasks.py reads them."""

from __future__ import annotations

from .base import Reader, ReadOptions
from .discovery import expand, input_files
from .registry import BY_NAME, READERS, detect, media_type
from .tasks import read_file, read_files, read_inputs

__all__ = [
    "BY_NAME",
    "READERS",
    "ReadOptions",
    "Reader",
    "detect",
    "expand",
    "input_files",
    "media_type",
    "read_file",
    "read_files",
    "read_inputs",
]
