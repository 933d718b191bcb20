"""The programs archiver's fork server runs as it starts (runtime/parallel.py), before it forks any
worker: importing one of these modules is running it, as with a `__main__` module. Nothing else
imports them; every other module of archiver only defines when imported."""

QUIET = f"{__name__}.quiet"  # first, always: no Ctrl-C and no output in the server and its workers
WARM_PDF = f"{__name__}.warm_pdf"  # WeasyPrint's first rendering, done before any worker forks
WARM_READ = f"{__name__}.warm_read"  # the readers, their libraries and the date parser, warm
