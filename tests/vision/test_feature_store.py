"""FeatureStore: keyed by SHA-256, append-only, memory-mapped, and safe after a crash mid-write."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.vision.feature_store import DATA_FILE, KEYS_FILE, FeatureStore


def key(i: int) -> str:
    return hashlib.sha256(str(i).encode()).hexdigest()


def rows(start: int, count: int, dim: int = 4) -> np.ndarray:
    return np.arange(start * dim, (start + count) * dim, dtype=np.float32).reshape(count, dim)


def test_add_get_and_reopen(tmp_path: Path) -> None:
    store = FeatureStore(tmp_path, "tiny-0123456789abcdef", 4)
    assert len(store) == 0
    assert store.add([key(0), key(1)], rows(0, 2)) == 2
    # present keys are ignored, new ones appended, duplicates within a batch stored once
    assert store.add([key(1), key(2), key(2)], np.vstack([rows(9, 1), rows(2, 1), rows(2, 1)])) == 1
    matrix, present = store.get([key(2), key(5), key(0), key(1)])
    assert present.tolist() == [True, False, True, True]
    np.testing.assert_array_equal(matrix[0], rows(2, 1)[0])
    np.testing.assert_array_equal(matrix[1], np.zeros(4, np.float32))
    np.testing.assert_array_equal(matrix[2:], rows(0, 2))
    assert key(1) in store and key(7) not in store

    reopened = FeatureStore(tmp_path, "tiny-0123456789abcdef", 4)
    assert len(reopened) == 3 and reopened.keys() == [key(0), key(1), key(2)]
    again, present = reopened.get([key(0), key(1), key(2)])
    assert present.all()
    np.testing.assert_array_equal(again, rows(0, 3))
    assert isinstance(reopened._matrix(), np.memmap)  # read through a memory map, not loaded whole
    assert (tmp_path / "tiny-0123456789abcdef" / DATA_FILE).stat().st_size == 3 * 4 * 4


def test_crash_leftovers_are_ignored_and_cut_off(tmp_path: Path) -> None:
    store = FeatureStore(tmp_path, "space", 4)
    store.add([key(i) for i in range(3)], rows(0, 3))
    folder = tmp_path / "space"
    # a crash after writing the data of a fourth row and half its key, then half a fifth row
    with open(folder / DATA_FILE, "ab") as handle:
        handle.write(rows(3, 1).tobytes() + b"\x00" * 7)
    with open(folder / KEYS_FILE, "ab") as handle:
        handle.write(key(3)[:30].encode())
    reopened = FeatureStore(tmp_path, "space", 4)
    assert len(reopened) == 3
    _, present = reopened.get([key(3)])
    assert not present.any()
    # appending after the repair lines rows and keys up again
    reopened.add([key(4)], rows(4, 1))
    final = FeatureStore(tmp_path, "space", 4)
    matrix, present = final.get([key(0), key(1), key(2), key(4)])
    assert present.all()
    np.testing.assert_array_equal(matrix, np.vstack([rows(0, 3), rows(4, 1)]))
    assert (folder / DATA_FILE).stat().st_size == 4 * 16


def test_keys_written_but_data_short_trusts_the_minimum(tmp_path: Path) -> None:
    store = FeatureStore(tmp_path, "space", 4)
    store.add([key(0), key(1)], rows(0, 2))
    data = tmp_path / "space" / DATA_FILE
    data.write_bytes(data.read_bytes()[:20])  # one full row and a bit
    reopened = FeatureStore(tmp_path, "space", 4)
    assert reopened.keys() == [key(0)]


def test_wrong_dimension_and_bad_input(tmp_path: Path) -> None:
    FeatureStore(tmp_path, "space", 4).add([key(0)], rows(0, 1))
    with pytest.raises(HeritageTaggerError, match="4-d"):
        FeatureStore(tmp_path, "space", 8)
    store = FeatureStore(tmp_path, "space", 4)
    with pytest.raises(ValueError):
        store.add([key(1)], rows(0, 2))
    with pytest.raises(ValueError):
        store.add(["not-a-hash"], rows(0, 1))
    with pytest.raises(ValueError):
        store.add([key(2)], np.full((1, 4), np.nan, np.float32))
    assert len(FeatureStore(tmp_path, "space", 4)) == 1


def test_writers_taking_turns_keep_every_key_with_its_row(tmp_path: Path) -> None:
    first = FeatureStore(tmp_path, "tiny-0123456789abcdef", 4)
    second = FeatureStore(tmp_path, "tiny-0123456789abcdef", 4)  # opened before the first wrote
    assert first.add([key(0), key(1)], rows(0, 2)) == 2
    assert second.add([key(1), key(2)], rows(1, 2)) == 1  # sees the first's rows, keeps them
    assert first.refresh() == 1 and len(first) == 3
    fresh = FeatureStore(tmp_path, "tiny-0123456789abcdef", 4)
    matrix, present = fresh.get([key(0), key(1), key(2)])
    assert present.all()
    np.testing.assert_array_equal(matrix, rows(0, 3))


def test_the_shared_store_is_opened_once_and_kept_up_to_date(tmp_path: Path) -> None:
    shared = FeatureStore.shared(tmp_path, "tiny-0123456789abcdef", 4)
    assert FeatureStore.shared(tmp_path, "tiny-0123456789abcdef", 4) is shared
    FeatureStore(tmp_path, "tiny-0123456789abcdef", 4).add([key(5)], rows(5, 1))  # another process
    again = FeatureStore.shared(tmp_path, "tiny-0123456789abcdef", 4)
    assert again is shared and key(5) in again
    np.testing.assert_array_equal(again.get([key(5)])[0], rows(5, 1))


def _append_many(folder: str, start: int) -> None:
    store = FeatureStore(folder, "tiny-0123456789abcdef", 4)
    for i in range(start, start + 40, 4):
        store.add([key(j) for j in range(i, i + 4)], rows(i, 4))


def test_two_processes_appending_at_once_keep_the_store_consistent(tmp_path: Path) -> None:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_append_many, args=(str(tmp_path), s)) for s in (0, 1000)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    store = FeatureStore(tmp_path, "tiny-0123456789abcdef", 4)
    wanted = [*range(0, 40), *range(1000, 1040)]
    assert len(store) == 80
    matrix, present = store.get([key(i) for i in wanted])
    assert present.all()
    np.testing.assert_array_equal(matrix, np.vstack([rows(i, 1) for i in wanted]))
