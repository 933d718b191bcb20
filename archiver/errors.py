"""The exception types archiver raises for bad input, so callers can report it in one line."""


class ArchiverError(Exception):
    """A problem with an input or an option that the user can act on.

    The message is shown to the user as is, after the file it concerns: keep it to one line.
    """


class UsageError(ArchiverError):
    """Options or an output folder that cannot work, found before anything is read: one line each."""

    def __init__(self, *problems: str) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


INTERNAL = "archiver could not handle it"  # the start of every message for a bug, not bad input


def unexpected(exc: BaseException, limit: int = 160) -> str:
    """One line for an exception that is archiver's bug rather than the input's fault: its type
    and the start of its message (which may quote the input at any length), never a traceback."""
    text = " ".join(str(exc).split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"{INTERNAL} ({type(exc).__name__}: {text}); please report this"
