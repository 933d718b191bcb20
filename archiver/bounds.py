"""The bound on the process that reads an input: beyond each reader's own bounds on an entry's depth
and size (readers/bounded_json.py, readers/zipped.py, the YAML loader), whatever a reader was not written to
expect is stopped by the operating system, not by the input's good will.

Reading runs in worker processes (readers/tasks.py), never in the caller's, so that these
limits bind the reading alone: each worker's address space is capped (RLIMIT_AS: an allocation
past it raises MemoryError), each input, message or entry has a deadline (SIGALRM raises in the
reading code), and the CPU limit (RLIMIT_CPU) ends a worker stuck in C code that never returns to
Python to see the alarm; the pool reports that input and reads the rest in a fresh worker.
"""

from __future__ import annotations

import math
import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

# A worker stuck in C code (a regex, a parser) past its deadline gets this long before the kernel ends it.
CPU_GRACE_SECONDS = 10


@dataclass(frozen=True)
class ReadBounds:
    """What reading one input may take; defaults a user would accept: a reading worker holds about
    350 MiB of address space before its first input, and the whole corpus reads the same under
    these bounds as without them."""

    memory_mib: int = 2048  # a reading process's address space
    seconds: float = 120.0  # one input, or one message of a mailbox, or one entry of an export


class OverTime(BaseException):
    """Raised by the alarm inside the reading code: a BaseException, so that no reader's `except
    Exception` takes it for the input's own problem."""


def exceeded(exc: BaseException) -> str | None:
    """What a bound's exception says, as one line; None when it is not a bound's."""
    if isinstance(exc, OverTime):
        return str(exc)
    return out_of_memory() if isinstance(exc, MemoryError) else None


def out_of_memory() -> str:
    limit = resource.getrlimit(resource.RLIMIT_AS)[0]
    bound = f"{limit >> 20} MiB" if limit != resource.RLIM_INFINITY else "the machine's memory"
    return f"exceeded {bound} of memory while reading; not read"


class Watch:
    """What a bounded block can be asked afterwards."""

    def __init__(self, memory_mib: int) -> None:
        self.limit = memory_mib << 20
        self.peak_before = _peak()

    def hit_memory(self) -> bool:
        """Whether the block took the address space to within a few MiB of its bound. C libraries
        do not all raise MemoryError when an allocation fails (libxml2 reports "unknown error"),
        so a failure with the peak at the bound is the bound's, whatever it said."""
        peak = _peak()
        return peak > self.peak_before and peak >= self.limit - NEAR_BOUND


NEAR_BOUND = 32 << 20


def _peak() -> int:
    """This process's largest address space so far (VmPeak), in bytes; 0 where /proc has none."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) << 10
    except OSError:
        pass
    return 0


@contextmanager
def bounded(bounds: ReadBounds) -> Iterator[Watch]:
    """Run the block in this (worker) process under `bounds`."""
    _cap_memory(bounds.memory_mib)

    def alarm(signum: int, frame: FrameType | None) -> None:
        raise OverTime(f"exceeded {bounds.seconds:g} s while reading; not read")

    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu_soft, cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)
    stop = math.ceil(used.ru_utime + used.ru_stime + bounds.seconds) + CPU_GRACE_SECONDS
    resource.setrlimit(resource.RLIMIT_CPU, (_within(stop, cpu_hard), cpu_hard))
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, bounds.seconds)
    try:
        yield Watch(bounds.memory_mib)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_soft, cpu_hard))


def _cap_memory(mib: int) -> None:
    """The address space capped, and no core file: a worker the CPU limit ends (SIGXCPU) must not
    leave one in the user's folder."""
    core_hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
    resource.setrlimit(resource.RLIMIT_CORE, (0, core_hard))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = _within(mib << 20, hard)
    if soft == resource.RLIM_INFINITY or wanted < soft:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _within(value: int, hard: int) -> int:
    return value if hard == resource.RLIM_INFINITY else min(value, hard)
