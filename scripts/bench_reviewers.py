"""Reviewers deciding on the same records at once: throughput, conflicts, lost updates, latency.

    .venv/bin/python scripts/bench_reviewers.py --server postgresql://USER@127.0.0.1:PORT/postgres \\
        [--records 1000] [--processes 2 4 8] [--sqlite-processes 2] [--max-seconds 120] [--seed 0]

A fresh catalogue (a new PostgreSQL database on ``--server``, dropped after; and an SQLite file)
holds ``--records`` records with two suggested tags each. N reviewer processes start together and
each walks every record in its own random order (``--order same``: all in one order, so every
record is contested): it reads the record as a window would (the tags
and the versions of their states), then accepts or rejects each suggestion still pending, naming
the version it saw (``services.review``), so a decision on a state another reviewer changed since
is refused (a conflict). A run is bounded: each process stops after one pass or ``--max-seconds``.

Reported per run: decisions saved per second (wall time from the start signal to the last process
ending), conflicts detected (StaleStateError), other refusals (busy: SQLite's writer lock, or a
suggestion already decided), the p50/p95 latency of one decision (the service call), and lost
updates, which must be 0: a decision a reviewer was told was saved but is not in the log; a log
entry whose previous state is not the state the entry before it left (an overwritten decision);
a tag decided twice from "suggested"; or a tag whose final state is not its last entry's.
The machine's load average and CPU count are printed with the figures.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LABELS = ("Barns", "Farms")


@dataclass
class WorkerResult:
    name: str
    saved: list[int] = field(default_factory=list)  # decision ids the service returned
    conflicts: int = 0
    refused: int = 0  # ReviewError: no longer pending (read after another's commit)
    busy: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def make_catalogue(location: str | Path, media_root: Path | None, n_records: int) -> None:
    from heritage_tagger.db.tables import Record
    from heritage_tagger.db.tagging import get_or_create_tags, set_record_tag
    from heritage_tagger.domain.records import TagState
    from heritage_tagger.services.catalogue import open_catalogue

    with open_catalogue(location, media_root=media_root) as cat, cat.session() as s:
        tags = get_or_create_tags(s, LABELS)
        for i in range(n_records):
            rec = Record(identifier=f"B-{i:05d}", sha256=f"{i:064x}", title=f"Photo {i}")
            s.add(rec)
            s.flush()
            for k, label in enumerate(LABELS):
                set_record_tag(
                    s, rec.id, tags[label], TagState.SUGGESTED, score=0.9 - 0.1 * k, source="model"
                )


def reviewer(
    location: str,
    media_root: str | None,
    name: str,
    seed: int,
    order: str,
    start: Any,
    max_s: float,
    queue: Any,
) -> None:
    from heritage_tagger.domain.errors import CatalogueBusyError, StaleStateError
    from heritage_tagger.domain.records import TagState
    from heritage_tagger.services import browse, review
    from heritage_tagger.services.catalogue import open_catalogue
    from heritage_tagger.services.review import ReviewError

    result = WorkerResult(name)
    rng = random.Random(seed)
    with open_catalogue(location, media_root=media_root) as cat:
        ids = browse.ordered_ids(cat, browse.BrowseFilter(state=browse.RecordState.ALL))
        if order == "random":
            rng.shuffle(ids)
        start.wait()
        deadline = time.monotonic() + max_s
        for rid in ids:
            if time.monotonic() > deadline:
                break
            details = browse.record_details(cat, rid)  # what the reviewer sees
            for tag in details.record.tags:
                if tag.state is not TagState.SUGGESTED:
                    continue
                decide = review.accept if rng.random() < 0.5 else review.reject
                t0 = time.perf_counter()
                try:
                    decision = decide(cat, rid, tag.label, name, seen=tag.version)
                    result.saved.append(decision.id or 0)
                except StaleStateError:
                    result.conflicts += 1
                except ReviewError as exc:
                    result.refused += 1
                    if os.environ.get("BENCH_DEBUG"):
                        print(name, exc, flush=True)
                except CatalogueBusyError:
                    result.busy += 1
                except Exception as exc:  # noqa: BLE001 - counted and shown, the run goes on
                    result.errors.append(f"{type(exc).__name__}: {exc}"[:200])
                result.latencies_ms.append((time.perf_counter() - t0) * 1000)
    queue.put(result)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def lost_updates(location: str | Path, media_root: Path | None, saved: list[int]) -> dict[str, int]:
    """Check the catalogue after a run: every way an update could have been lost, counted."""
    from heritage_tagger.domain.records import TagState
    from heritage_tagger.services import browse, review
    from heritage_tagger.services.catalogue import open_catalogue

    with open_catalogue(location, media_root=media_root) as cat:
        log = review.decisions_for(cat)
        logged = {d.id for d in log}
        chains: dict[tuple[int, str], list[Any]] = defaultdict(list)
        for d in log:
            chains[(d.record_id, d.label)].append(d)
        broken = twice = final = 0
        for (rid, label), entries in chains.items():
            state: TagState | None = TagState.SUGGESTED
            from_suggested = 0
            for d in entries:
                broken += d.previous_state is not state
                from_suggested += d.previous_state is TagState.SUGGESTED
                state = d.new_state
            twice += from_suggested > 1
            final += browse.record_details(cat, rid).tags_by_label.get(label) is not state
        return {
            "saved_not_in_log": sum(1 for i in saved if i not in logged),
            "log_not_reported": len(logged - set(saved)),
            "chain_breaks": broken,
            "decided_twice": twice,
            "final_state_mismatch": final,
            "log_entries": len(log),
        }


def run(kind: str, location: str | Path, media_root: Path | None, n: int, args: argparse.Namespace) -> dict:
    ctx = mp.get_context("spawn")
    start, queue = ctx.Event(), ctx.Queue()
    root = str(media_root) if media_root else None
    procs = [
        ctx.Process(
            target=reviewer,
            args=(str(location), root, f"r{i}", args.seed + i, args.order, start, args.max_seconds, queue),
        )
        for i in range(n)
    ]
    for p in procs:
        p.start()
    time.sleep(3.0)  # every process has imported and opened the catalogue (then waits for the signal)
    t0 = time.perf_counter()
    start.set()
    results = [queue.get(timeout=args.max_seconds + 300) for _ in procs]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join(timeout=60)
    saved = [i for r in results for i in r.saved]
    latencies = [ms for r in results for ms in r.latencies_ms]
    check = lost_updates(location, media_root, saved)
    lost = (
        check["saved_not_in_log"]
        + check["chain_breaks"]
        + check["decided_twice"]
        + check["final_state_mismatch"]
    )
    errors = [e for r in results for e in r.errors]
    return {
        "engine": kind,
        "processes": n,
        "records": args.records,
        "attempts": len(latencies),
        "saved": len(saved),
        "decisions_per_s": len(saved) / wall,
        "conflicts": sum(r.conflicts for r in results),
        "refused": sum(r.refused for r in results),
        "busy": sum(r.busy for r in results),
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "lost_updates": lost,
        "check": check,
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "wall_s": wall,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=os.environ.get("HERITAGE_TAGGER_TEST_POSTGRES", ""),
                        help="a PostgreSQL connection string that may create databases")  # fmt: skip
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--processes", type=int, nargs="*", default=[2, 4, 8])
    parser.add_argument("--sqlite-processes", type=int, nargs="*", default=[2])
    parser.add_argument("--max-seconds", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--order", choices=("random", "same"), default="random",
                        help="each reviewer's own random order, or all in the same order (every record contested)")  # fmt: skip
    args = parser.parse_args()
    rows = []
    print(f"machine: {os.cpu_count()} CPUs, load average before {os.getloadavg()[0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sqlite_processes:
            path = Path(tmp) / f"bench-{n}.sqlite"
            make_catalogue(path, None, args.records)
            rows.append(run("SQLite", path, None, n, args))
            print(rows[-1], flush=True)
        if args.processes and not args.server:
            print("no --server (or HERITAGE_TAGGER_TEST_POSTGRES): PostgreSQL runs skipped")
        for n in args.processes if args.server else []:
            import psycopg
            from sqlalchemy.engine import make_url

            name = f"ht_bench_{uuid.uuid4().hex[:10]}"
            admin = args.server.replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(admin, autocommit=True) as c:
                c.execute(f'CREATE DATABASE "{name}"')
            url = make_url(admin).set(database=name).render_as_string(hide_password=False)
            media = Path(tmp) / f"media-{n}"
            try:
                make_catalogue(url, media, args.records)
                rows.append(run("PostgreSQL", url, media, n, args))
                print(rows[-1], flush=True)
            finally:
                with psycopg.connect(admin, autocommit=True) as c:
                    c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"load average after {os.getloadavg()[0]:.2f}")
    print()
    print(f"order: {args.order}, {args.records:,} records with {len(LABELS)} suggestions each")
    print("| engine | reviewer processes | decisions saved | decisions/s | conflicts detected | other refusals "
          "(busy) | lost updates | p50 decision | p95 decision |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['engine']} | {r['processes']} | {r['saved']:,} of {r['attempts']:,} tried | "
            f"{r['decisions_per_s']:.0f} | {r['conflicts']:,} | {r['refused'] + r['busy']:,} ({r['busy']:,}) | "
            f"{r['lost_updates']} | {r['p50_ms']:.1f} ms | {r['p95_ms']:.1f} ms |"
        )
    return 1 if any(r["lost_updates"] or r["errors"] for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
