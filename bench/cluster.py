"""The 1,000- and 10,000-message exports on a Dask LocalCluster of 2 worker processes against
`--jobs 2` on this machine, in the same run: the time and the coordinator's peak memory (the
process the user runs; the cluster's workers are measured by nobody here, as on a real cluster).
The same mailboxes as the memory rows; EPUB and WARC, so that the work shared out is reading.
Then the corpus as a PDF (files read and parts rendered on the workers): over the shared disk,
through a --store (file://, so what it measures is the store's own cost, not a network's), and
with --jobs 2."""

from __future__ import annotations

import sys
from pathlib import Path

from common import timed

Row = tuple[str, str, float, float | None, str]
FORMATS = ["--format", "epub", "--format", "warc"]


def cluster_rows(boxes: dict[int, Path], corpus: Path, work: Path) -> list[Row]:
    try:
        from distributed import LocalCluster
    except ImportError:
        print("cluster rows skipped: pip install 'archiver[cluster]'", file=sys.stderr)
        return []
    archiver = str(Path(sys.executable).parent / "archiver")
    rows: list[Row] = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        for size, box in boxes.items():
            # Not offline: the coordinator talks to the scheduler over loopback.
            there, there_mib = timed(
                [archiver, "export", str(box), "--out", str(work / f"cluster-{size}"), *FORMATS, "-q",
                 "--cluster", local.scheduler_address],
                offline_too=False,
            )  # fmt: skip
            here, here_mib = timed(
                [
                    archiver,
                    "export",
                    str(box),
                    "--out",
                    str(work / f"jobs2-{size}"),
                    *FORMATS,
                    "-q",
                    "--jobs",
                    "2",
                ]
            )
            rows += [
                (
                    f"mailbox {size}",
                    "archiver --cluster (LocalCluster, 2 workers)",
                    there,
                    there_mib,
                    f"{size / there:.0f} messages/s; {there / here:.2f}x the time of --jobs 2",
                ),
                (f"mailbox {size}", "archiver --jobs 2", here, here_mib, f"{size / here:.0f} messages/s"),
            ]
        pdf = [archiver, "export", str(corpus), "--format", "pdf", "-q"]
        shared, shared_mib = timed(
            [*pdf, "--out", str(work / "cluster-pdf"), "--cluster", local.scheduler_address],
            offline_too=False,
        )
        store = (work / "store").as_uri()
        stored, stored_mib = timed(
            [*pdf, "--out", str(work / "store-pdf"), "--cluster", local.scheduler_address, "--store", store],
            offline_too=False,
        )
    here, here_mib = timed([*pdf, "--out", str(work / "jobs2-pdf"), "--jobs", "2"])
    rows += [
        (
            "pdf corpus",
            "archiver --cluster (shared disk)",
            shared,
            shared_mib,
            f"{shared / here:.2f}x --jobs 2",
        ),
        (
            "pdf corpus",
            "archiver --cluster --store file://",
            stored,
            stored_mib,
            f"{stored / here:.2f}x --jobs 2",
        ),
        ("pdf corpus", "archiver --jobs 2", here, here_mib, ""),
    ]
    return rows
