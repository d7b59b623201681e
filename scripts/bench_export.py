"""Benchmark the export on a synthetic catalogue: wall time and peak RSS per format (memory must stay flat).

Usage: ``python scripts/bench_export.py --records 100000 [--records 10000 ...] [--workdir DIR] [--scopes]``.
Each export runs in a fresh child process so that its peak RSS is its own. ``--scopes`` exports CSV
once per scope instead (whole catalogue, a filter, a selection of every tenth id, an import batch of
every other record), side by side in one run.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import resource, sys, time
from heritage_tagger.services.catalogue import open_catalogue
from heritage_tagger.services.export_request import BrowseFilter, ExportRequest, RecordScope
from heritage_tagger.services.exporting import run_export
catalogue, fmt, out, scope_name = sys.argv[1:5]
start = time.perf_counter()
with open_catalogue(catalogue, create=False) as cat:
    scope = {
        "all": RecordScope(),
        "filter": RecordScope.matching(BrowseFilter(location="new york")),
        "selection": RecordScope.selected(range(1, int(sys.argv[5]) + 1, 10)),
        "batch": RecordScope.batch(1),
    }[scope_name]
    request = ExportRequest(fmt, out, scope=scope, include_suggestions=True, excel_safe=fmt == "csv")
    summary = run_export(cat, request)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(summary.records, summary.subjects, time.perf_counter() - start, peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024)
"""


def build_catalogue(path: Path, n: int, seed: int = 0) -> None:
    """``n`` records with 1-6 tags each (catalogued, accepted, suggested, rejected) from 2,000 labels."""
    from sqlalchemy import insert

    from heritage_tagger.db import tables
    from heritage_tagger.services.catalogue import open_catalogue

    rng = random.Random(seed)
    states = ["catalogued", "catalogued", "accepted", "suggested", "rejected"]
    with open_catalogue(path) as catalogue, catalogue.session() as session:
        session.execute(insert(tables.ImportBatch), [{"id": 1, "folder": "/photos", "status": "done"}])
        session.execute(
            insert(tables.Tag),
            [{"id": i, "label": f"tag {i} & <{i}>", "lemma": f"tag {i}"} for i in range(1, 2001)],
        )
        for lo in range(0, n, 10_000):
            ids = range(lo + 1, min(n, lo + 10_000) + 1)
            session.execute(
                insert(tables.Record),
                [
                    {
                        "id": i,
                        "identifier": f"syn-{i:07d}",
                        "title": f'Synthetic photograph {i}, "quoted" & <angled>',
                        "description": "A street scene with a horse-drawn cart,\nshop fronts and people. "
                        * 3,
                        "location": rng.choice(["Washington, D.C.", "New York", "-33.86, 151.21"]),
                        "date_text": f"{1900 + i % 100}",
                        "creator": "Photographer, Unknown",
                        "rights": "No known restrictions",
                        "source_path": f"/photos/{i}.jpg",
                        "sha256": f"{i:064x}",
                        "mime_type": "image/jpeg",
                        "batch_id": 1 if i % 2 == 0 else None,
                    }
                    for i in ids
                ],
            )
            rows = []
            for i in ids:
                for tag_id in rng.sample(range(1, 2001), rng.randint(1, 6)):
                    state = rng.choice(states)
                    score = round(rng.random(), 3) if state in ("suggested", "rejected") else None
                    rows.append({"record_id": i, "tag_id": tag_id, "state": state, "score": score})
            session.execute(insert(tables.RecordTag), rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, action="append", help="catalogue sizes (default 100000)")
    parser.add_argument("--workdir", type=Path, help="where catalogues and exports go (default: a temp dir)")
    parser.add_argument("--scopes", action="store_true", help="CSV once per scope instead of once per format")
    args = parser.parse_args()
    sizes = args.records or [100_000]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-export-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, workdir {workdir}")
    print(
        f"{'records':>8} {'format':<16} {'exported':>8} {'subjects':>9} {'seconds':>8} {'MB out':>8} {'peak RSS MiB':>13}"
    )
    for n in sizes:
        catalogue = workdir / f"synthetic-{n}.sqlite"
        if not catalogue.exists():
            start = time.perf_counter()
            build_catalogue(catalogue, n)
            print(f"built {n} records in {time.perf_counter() - start:.1f} s")
        runs = (
            [("csv", s) for s in ("all", "filter", "selection", "batch")]
            if args.scopes
            else [(f, "all") for f in ("csv", "dc-xml", "dc-jsonld")]
        )
        for fmt, scope in runs:
            out = workdir / f"synthetic-{n}-{scope}.{fmt}"
            result = subprocess.run(
                [sys.executable, "-c", CHILD, str(catalogue), fmt, str(out), scope, str(n)],
                capture_output=True,
                text=True,
                check=True,
            )
            exported, subjects, seconds, peak = result.stdout.split()
            size = out.stat().st_size / 1e6
            print(
                f"{n:>8} {fmt + ' ' + scope:<16} {exported:>8} {subjects:>9} {float(seconds):>8.1f} {size:>8.1f} {float(peak):>13.1f}"
            )


if __name__ == "__main__":
    main()
