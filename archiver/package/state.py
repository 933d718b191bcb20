"""The state file (.archiver/state.json) in which archiver kept a package's articles before its
index was on disk (index.py): each article as read (store.py), the hash of its input's stored
bytes, where that input was read and what recognizes it as a duplicate; and the inputs that
failed. Read once, into the index, by the first export that opens such a package; every version
is read.
"""

from __future__ import annotations

import json

from ..language import with_language
from ..model import Failure
from .index import Key
from .manifest import Entry
from .store import ObjectStore, article_from_record

NAME = "state.json"
# 4: a mailbox's message has its index as entry_index, as an export's entry has;
# 3: every article that states no language was given one from its text when read (language.py);
# 2: the locator as fields (a message's index, its Message-ID). 1, 2 and 3 are still read, and
# brought up to 4.
VERSION = 4


def loads(data: bytes, store: ObjectStore) -> tuple[list[tuple[Entry, str, tuple[Key, ...]]], list[Failure]]:
    """The articles and failures a state file holds; ValueError (or KeyError, TypeError,
    ArchiverError) when it is not one that this version reads."""
    state = json.loads(data)
    version = state.get("version")
    if version not in (1, 2, 3, VERSION):
        raise ValueError(f"state version {version}")
    kept = []
    for item in state["articles"]:
        article = article_from_record(item["article"], store)
        entry = Entry(with_language(article) if version < 3 else article, item["original"])
        kept.append((entry, item["location"], tuple(tuple(k) for k in item["keys"])))
    failures = [Failure(f["path"], f["problem"], f["locator"]) for f in state["failures"]]
    return kept, failures
