"""The one exception type archiver raises for bad input, so callers can report it in one line."""


class ArchiverError(Exception):
    """A problem with an input or an option that the user can act on.

    The message is shown to the user as is, after the file it concerns: keep it to one line.
    """
