"""Walks over broader/narrower edges that survive the cycles and polyhierarchies of real vocabularies."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

#: ``edges(ids) -> {id: [neighbour ids]}``: one query per level, so deep walks stay cheap.
EdgeLookup = Callable[[Collection[int]], dict[int, list[int]]]

MAX_DEPTH = 64


def broader_paths(
    starts: Iterable[int], parents: EdgeLookup, max_depth: int = MAX_DEPTH
) -> dict[int, list[int]]:
    """For each start, its chain of broader concepts from the top down (the start itself excluded).

    Where a concept has several broader concepts the first (lowest id, as ``parents`` orders them)
    is followed; a cycle or ``max_depth`` ends the chain.
    """
    chains: dict[int, list[int]] = {s: [] for s in starts}
    heads = {s: s for s in chains}  # start -> concept whose parent is looked up next
    for _ in range(max_depth):
        if not heads:
            break
        found = parents(set(heads.values()))
        next_heads: dict[int, int] = {}
        for start, head in heads.items():
            options = [p for p in found.get(head, []) if p != start and p not in chains[start]]
            if options:
                chains[start].append(options[0])
                next_heads[start] = options[0]
        heads = next_heads
    return {s: list(reversed(chain)) for s, chain in chains.items()}


def narrower_closure(start: int, children: EdgeLookup, limit: int = 1_000_000) -> set[int]:
    """``start`` and every concept below it (breadth first, each visited once)."""
    seen = {start}
    frontier = {start}
    while frontier and len(seen) < limit:
        found = children(frontier)
        frontier = {c for kids in found.values() for c in kids} - seen
        seen |= frontier
    return seen
