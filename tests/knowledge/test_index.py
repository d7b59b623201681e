"""The faiss neighbour index: exact squared distances, self excluded, k clamped, serialised round trip."""

from __future__ import annotations

import numpy as np
import pytest

from heritage_tagger.domain.errors import CancelledError
from heritage_tagger.domain.progress import CancelToken
from heritage_tagger.knowledge.index import NeighbourIndex

# four points on a line at 0, 1, 3, 7
LINE = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0], [7.0, 0.0]], dtype=np.float32)


def test_search_gives_squared_distances_nearest_first() -> None:
    index = NeighbourIndex(LINE)
    assert len(index) == 4 and index.dim == 2
    dist2, idx = index.search(np.array([[2.2, 0.0]], np.float32), k=3)
    assert idx.dtype == np.int64 and dist2.dtype == np.float32
    assert idx.tolist() == [[2, 1, 0]]
    assert dist2[0] == pytest.approx([0.64, 1.44, 4.84], rel=1e-5)


def test_exclude_self() -> None:
    index = NeighbourIndex(LINE)
    dist2, idx = index.search(LINE, k=2, exclude_self=True)
    assert idx.tolist() == [[1, 2], [0, 2], [1, 0], [2, 1]]
    assert dist2.tolist() == [[1, 9], [1, 4], [4, 9], [16, 36]]
    _, with_self = index.search(LINE, k=1)
    assert with_self[:, 0].tolist() == [0, 1, 2, 3]


def test_exclude_self_with_duplicates_and_self_ids() -> None:
    gx = np.array([[0, 0], [0, 0], [0, 0], [5, 5]], np.float32)  # three identical rows
    index = NeighbourIndex(gx)
    dist2, idx = index.search(gx, k=2, exclude_self=True)
    for row in range(4):
        assert row not in idx[row]
    assert set(idx[1].tolist()) == {0, 2} and dist2[1].tolist() == [0, 0]
    # queries given out of order, each naming its own training row
    _, idx = index.search(gx[[3, 1]], k=1, exclude_self=True, self_ids=np.array([3, 1]))
    assert idx[0, 0] in (0, 1, 2) and idx[1, 0] in (0, 2)


def test_k_is_clamped() -> None:
    index = NeighbourIndex(LINE)
    dist2, idx = index.search(LINE, k=10, exclude_self=True)
    assert idx.shape == dist2.shape == (4, 3) and np.all(idx >= 0)
    _, idx = index.search(LINE[:1], k=10)
    assert idx.shape == (1, 4)
    _, idx = index.search(LINE, k=0)
    assert idx.shape == (4, 0)


def test_serialise_round_trip() -> None:
    rng = np.random.default_rng(0)
    gx = rng.normal(size=(300, 16)).astype(np.float32)
    index = NeighbourIndex(gx)
    data = index.serialize()
    assert isinstance(data, bytes) and len(data) > gx.nbytes
    back = NeighbourIndex.deserialize(data)
    queries = rng.normal(size=(20, 16)).astype(np.float32)
    d1, i1 = index.search(queries, k=5)
    d2, i2 = back.search(queries, k=5)
    assert np.array_equal(i1, i2) and np.array_equal(d1, d2)
    # exact: the same as a brute-force computation
    full = ((queries[:, None, :] - gx[None, :, :]) ** 2).sum(-1)
    assert np.array_equal(i1, np.argsort(full, axis=1, kind="stable")[:, :5])
    assert d1 == pytest.approx(np.sort(full, axis=1)[:, :5], rel=1e-4)


def test_batches_and_cancel() -> None:
    rng = np.random.default_rng(1)
    gx = rng.normal(size=(50, 4)).astype(np.float32)
    index = NeighbourIndex(gx)
    d_all, i_all = index.search(gx, k=3, exclude_self=True)
    d_b, i_b = index.search(gx, k=3, exclude_self=True, batch_size=7)
    assert np.array_equal(i_all, i_b) and np.array_equal(d_all, d_b)
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        index.search(gx, k=3, cancel=token)


def test_wrong_dimension_is_refused() -> None:
    with pytest.raises(ValueError, match="dimensions"):
        NeighbourIndex(LINE).search(np.zeros((1, 3), np.float32), k=1)


def test_nearest_pads_and_excludes_each_querys_own_row() -> None:
    index = NeighbourIndex(LINE)
    # the first query is row 1 (excluded), the second a new point (nothing excluded)
    rows, dist2 = index.nearest(np.array([[1.0, 0.0], [3.5, 0.0]], np.float32), 5, np.array([1, -1]))
    assert rows.tolist() == [[0, 2, 3, -1, -1], [2, 1, 0, 3, -1]]
    assert dist2[0, :3].tolist() == [1, 4, 36] and np.isinf(dist2[0, 3:]).all()
    assert dist2[1, :4] == pytest.approx([0.25, 6.25, 12.25, 12.25])
    with pytest.raises(ValueError, match="one row"):
        index.nearest(LINE, 2, np.array([0]))


def clustered(n: int = 3000, dim: int = 24, centres: int = 30, seed: int = 0) -> np.ndarray:
    """Points around a few dozen centres: neighbours that mean something, as GX has."""
    rng = np.random.default_rng(seed)
    middle = rng.normal(size=(centres, dim)) * 4
    return (middle[rng.integers(0, centres, n)] + rng.normal(size=(n, dim))).astype(np.float32)


def test_small_collections_are_searched_exactly_and_large_ones_by_a_calibrated_graph(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from heritage_tagger.knowledge import index as module

    gx = clustered()
    assert NeighbourIndex(gx).describe()["kind"] == "exact"
    monkeypatch.setattr(module, "APPROXIMATE_FROM", 2000)  # the rule is by size
    approx = NeighbourIndex(gx, recall_k=10)
    info = approx.describe()
    assert approx.approximate and info["kind"] == "hnsw" and info["rows"] == 3000
    assert info["recall"] >= module.RECALL_TARGET and info["recall_k"] == 10 and info["ef_search"] >= 22
    # measured again on other queries, against exact search, the recall holds
    exact = NeighbourIndex(gx, approximate=False)
    queries = np.arange(0, 3000, 7)
    want, _ = exact.nearest(gx[queries], 10, queries)
    got, dist = approx.nearest(gx[queries], 10, queries)
    assert module.recall_at(want, got) >= 0.95
    assert all(q not in row for q, row in zip(queries, got, strict=True))  # itself excluded
    assert np.all(np.diff(dist, axis=1) >= 0)


def test_the_graph_gives_way_to_exact_search_when_it_cannot_reach_the_recall(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from heritage_tagger.knowledge import index as module

    monkeypatch.setattr(module, "RECALL_TARGET", 1.01)  # unreachable
    index = NeighbourIndex(clustered(n=500), approximate=True, recall_k=5)
    assert not index.approximate and index.describe()["kind"] == "exact"
    assert "recall target" in index.describe()["note"]


@pytest.mark.parametrize("approximate", [False, True])
def test_structure_holds_no_vectors_and_rebuilds_the_same_index(approximate: bool) -> None:
    gx = clustered(n=1500)
    index = NeighbourIndex(gx, approximate=approximate, recall_k=8)
    data = index.structure()
    assert NeighbourIndex.is_structure(data) and not NeighbourIndex.is_structure(index.serialize())
    # GX is not in it (the bundle keeps GX once, in arrays.npz): the whole index is GX bigger
    assert len(index.serialize()) - len(data) >= gx.nbytes - 256
    back = NeighbourIndex.from_structure(gx, data)
    assert back.describe() == index.describe() and back.approximate == approximate
    d1, i1 = index.search(gx[:50], 8, exclude_self=True)
    d2, i2 = back.search(gx[:50], 8, exclude_self=True)
    assert np.array_equal(i1, i2) and np.array_equal(d1, d2)
    with pytest.raises(ValueError, match="rows"):
        NeighbourIndex.from_structure(gx[:100], data)


def test_vectors_are_a_view_that_keeps_the_index_alive() -> None:
    import gc

    gx = clustered(n=200)
    view = NeighbourIndex(gx).vectors()  # the index itself is no longer referenced
    gc.collect()
    np.testing.assert_array_equal(view, gx)
    assert not view.flags.writeable and not view.flags.owndata


def test_a_few_queries_search_on_one_thread_and_give_what_all_threads_give(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from heritage_tagger.knowledge import index as module

    faiss = module._faiss()
    x = np.random.default_rng(4).standard_normal((500, 16)).astype(np.float32)
    idx = NeighbourIndex(x)
    seen: list[int] = []
    search = idx._index.search
    monkeypatch.setattr(
        idx._index, "search", lambda q, k: seen.append(faiss.omp_get_max_threads()) or search(q, k)
    )
    before = faiss.omp_get_max_threads()
    few = idx.nearest(x[:3], 5, np.arange(3))
    many = idx.nearest(x[: module.ONE_THREAD_UP_TO + 1], 5, np.arange(module.ONE_THREAD_UP_TO + 1))
    assert seen == [1, before] and faiss.omp_get_max_threads() == before  # the setting is put back
    np.testing.assert_array_equal(few[0], many[0][:3])
    np.testing.assert_allclose(few[1], many[1][:3], rtol=1e-6)
