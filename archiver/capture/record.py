"""A capture as plain JSON: in the capture store, and in the package's state with its article."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..model import Capture, Hop, NotFetched


def capture_to_record(capture: Capture) -> dict[str, Any]:
    return {
        **_plain_to_record(capture),
        **(_browser_to_record(capture) if capture.browser else {}),
    }


def _browser_to_record(capture: Capture) -> dict[str, Any]:
    """Only for a page rendered in a browser: a plain capture's record is as it always was."""
    return {
        "browser": capture.browser,
        "rendered": capture.rendered,
        "rendered_at": capture.rendered_at.isoformat() if capture.rendered_at else None,
        "screenshot": capture.screenshot,
        "requests": list(capture.requests),
        "not_fetched": [{"url": item.url, "why": item.why} for item in capture.not_fetched],
        "warnings": list(capture.warnings),
    }


def _plain_to_record(capture: Capture) -> dict[str, Any]:
    return {
        "requested": capture.requested,
        "problem": capture.problem,
        "archive": capture.archive,
        "archived_at": capture.archived_at.isoformat() if capture.archived_at else None,
        "live_problem": capture.live_problem,
        "hops": [
            {
                "url": hop.url,
                "at": hop.at.isoformat(),
                "ip": hop.ip,
                "status": hop.status,
                "reason": hop.reason,
                "content_type": hop.content_type,
                "request": hop.request,
                "response": hop.response,
                "payload": hop.payload,
                "truncated": hop.truncated,
            }
            for hop in capture.hops
        ],
    }


def capture_from_record(record: dict[str, Any]) -> Capture:
    return Capture(
        requested=str(record["requested"]),
        problem=record.get("problem"),
        archive=record.get("archive"),
        archived_at=datetime.fromisoformat(record["archived_at"]) if record.get("archived_at") else None,
        live_problem=record.get("live_problem"),
        browser=record.get("browser"),
        rendered=record.get("rendered"),
        rendered_at=datetime.fromisoformat(record["rendered_at"]) if record.get("rendered_at") else None,
        screenshot=record.get("screenshot"),
        requests=tuple(str(url) for url in record.get("requests", ())),
        not_fetched=tuple(NotFetched(str(i["url"]), str(i["why"])) for i in record.get("not_fetched", ())),
        warnings=tuple(str(warning) for warning in record.get("warnings", ())),
        hops=tuple(
            Hop(
                url=str(hop["url"]),
                at=datetime.fromisoformat(hop["at"]),
                ip=str(hop["ip"]),
                status=int(hop["status"]),
                reason=str(hop["reason"]),
                content_type=hop.get("content_type"),
                request=str(hop["request"]),
                response=str(hop["response"]),
                payload=str(hop["payload"]),
                truncated=bool(hop.get("truncated", False)),
            )
            for hop in record["hops"]
        ),
    )
