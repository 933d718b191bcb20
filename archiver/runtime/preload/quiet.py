"""The fork server's first program (runtime/parallel.py), run by its import there and nowhere else.
From here on, that process and every worker it forks ignore Ctrl-C, and write
nothing to the terminal: a worker reports everything through what it returns. A terminal sends
Ctrl-C to the whole process group; the main process alone answers it, and no half-started
worker prints a traceback of its own."""

import os
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
_quiet = os.open(os.devnull, os.O_WRONLY)
os.dup2(_quiet, 1)  # nor keeps the caller's pipes open: `archiver ... | cmd` ends when archiver does
os.dup2(_quiet, 2)
os.close(_quiet)
