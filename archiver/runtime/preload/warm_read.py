"""Run by the fork server of every export (api.py): what reading a saved page loads on first use
in a process, done once here before any worker forks: the readers and the libraries they call
(trafilatura, htmldate, imported where they are first needed), and the date parser's patterns,
which dateparser compiles on a first parse. Each reading worker then starts warm instead of
paying it again."""

import htmldate  # noqa: F401 - imported to be warm in the workers
import trafilatura  # noqa: F401

from ... import readers  # noqa: F401
from ...dates import date_parser

date_parser().get_date_data("21 March 2024")
