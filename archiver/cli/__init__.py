"""The `archiver` command: its entry point, the Typer application, and what `inspect` prints."""
