"""The header block a mail client writes above a forwarded message.

When someone forwards an article to their archive address, the outer message's From, Date and
Subject are the forwarder's; the article's own are in this block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..html.tree import parse_fragment

_MARKER = re.compile(
    r"^[ \t>]*(?:-{2,}\s*(?:Forwarded message|Original Message|Weitergeleitete Nachricht|"
    r"Message transf[ée]r[ée]|Mensaje reenviado|Messaggio inoltrato|Doorgestuurd bericht|"
    r"Ursprüngliche Nachricht|Message d'origine)\s*-{2,}|Begin forwarded message:|"
    r"Anfang der weitergeleiteten Nachricht:|D[ée]but du message r[ée]exp[ée]di[ée]\s*:)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_FIELD = re.compile(
    r"^[ \t>*]*(From|Von|De|Da|Van|Date|Datum|Fecha|Data|Sent|Gesendet|Envoy[ée]|"
    r"Subject|Betreff|Objet|Asunto|Oggetto|Onderwerp|To|An|À|Para|A|Aan|Cc)[ \t*]*:[ \t*]*(.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_ROLE = {
    "from": "from",
    "von": "from",
    "de": "from",
    "da": "from",
    "van": "from",
    "date": "date",
    "datum": "date",
    "fecha": "date",
    "data": "date",
    "sent": "date",
    "gesendet": "date",
    "envoyé": "date",
    "envoye": "date",
    "subject": "subject",
    "betreff": "subject",
    "objet": "subject",
    "asunto": "subject",
    "oggetto": "subject",
    "onderwerp": "subject",
}
PREFIX = re.compile(r"^\s*((fwd?|fw|wg|tr|rv|vs|doorst|enc|i)\s*:\s*)+", re.IGNORECASE)


@dataclass(frozen=True)
class ForwardedHeader:
    sender: str | None
    date: str | None
    subject: str | None


def strip_prefix(subject: str | None) -> str | None:
    return PREFIX.sub("", subject).strip() or None if subject else subject


def is_forward_subject(subject: str | None) -> bool:
    return bool(subject and PREFIX.match(subject))


def find_in_text(text: str) -> ForwardedHeader | None:
    """The first forwarded-message block in plain text, or None."""
    marker = _MARKER.search(text[:200_000])
    if marker is None:
        return None
    fields: dict[str, str] = {}
    for line in text[marker.end() : marker.end() + 3000].lstrip("\r\n").splitlines():
        if not line.strip():
            if fields:
                break
            continue
        match = _FIELD.match(line)
        if match is None:
            break
        role = _ROLE.get(match.group(1).lower())
        if role and role not in fields:
            fields[role] = match.group(2).strip()
    if not fields:
        return None
    return ForwardedHeader(_sender_name(fields.get("from")), fields.get("date"), fields.get("subject"))


def find_in_html(html: str) -> ForwardedHeader | None:
    """The same, for an HTML body: rendered to lines first, as the reader would see it."""
    if not _MARKER.search(re.sub(r"<[^>]+>", "\n", html[:400_000])):
        return None
    tree = parse_fragment(html)
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in tree.iter("div", "p", "blockquote", "tr", "li", "h1", "h2", "h3"):
        block.tail = "\n" + (block.tail or "")
    return find_in_text(tree.text_content())


def _sender_name(value: str | None) -> str | None:
    """ "Jane Doe <jane@example.org>" -> "Jane Doe"; a bare address stays."""
    if not value:
        return None
    name = re.sub(r"\s*[<\[(].*?[>\])]\s*", " ", value).strip().strip('"').strip()
    return name or value.strip("<> ")
