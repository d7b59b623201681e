"""Pictures off the GUI thread: decode with QImageReader in a worker, keep thumbnails in an LRU cache."""

from __future__ import annotations

from collections import OrderedDict
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap

from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.gui.workers import TaskRunner


class ImageReadError(HeritageTaggerError):
    """A picture that cannot be shown (missing, unreadable, not an image)."""


def load_image(paths: list[Path], max_side: int) -> QImage:
    """Decode the first readable of ``paths``, scaled so its longer side is at most ``max_side`` (worker-safe)."""
    reasons = []
    missing = 0
    for path in paths:
        if not path.is_file():
            missing += 1
            continue
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid() and max(size.width(), size.height()) > max_side:
            reader.setScaledSize(size.scaled(QSize(max_side, max_side), Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
        if not image.isNull():
            return image
        reasons.append(f"{path.name}: {reader.errorString()}")
    if not paths:
        raise ImageReadError(QCoreApplication.translate("ImageView", "This record has no picture."))
    if missing == len(paths):
        raise ImageReadError(
            QCoreApplication.translate(
                "ImageView", "The picture file is missing (looked for {paths})."
            ).format(paths=paths[0])
        )
    raise ImageReadError(
        QCoreApplication.translate("ImageView", "Cannot read the picture ({reasons}).").format(
            reasons="; ".join(reasons)
        )
    )


class ThumbnailCache(QObject):
    """Thumbnails by key (the image's SHA-256): ``get`` answers from memory or asks a worker and emits ``ready``.

    Requests are served newest first and only the newest few hundred are kept, so that a fast
    scroll does not queue work for rows already out of sight.
    """

    ready = Signal(str)

    def __init__(
        self, runner: TaskRunner, size: int = 160, capacity: int = 3000, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.runner, self.size, self.capacity = runner, size, capacity
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._failed: dict[str, str] = {}
        self._wanted: OrderedDict[str, list[Path]] = OrderedDict()
        self._active: set[str] = set()
        self.max_active = 4
        self.max_wanted = 400

    def set_size(self, size: int) -> None:
        if size != self.size:
            self.size = size
            self._cache.clear()

    def failure(self, key: str) -> str | None:
        return self._failed.get(key)

    def get(self, key: str, paths: list[Path]) -> QPixmap | None:
        pixmap = self._cache.get(key)
        if pixmap is not None:
            self._cache.move_to_end(key)
            return pixmap
        if key in self._failed or key in self._active:
            return None
        self._wanted[key] = paths
        self._wanted.move_to_end(key)
        while len(self._wanted) > self.max_wanted:
            self._wanted.popitem(last=False)
        self._pump()
        return None

    @property
    def busy(self) -> bool:
        return bool(self._wanted or self._active)

    def _pump(self) -> None:
        while self._wanted and len(self._active) < self.max_active:
            key, paths = self._wanted.popitem(last=True)
            self._active.add(key)
            self.runner.run(
                partial(load_image, paths, self.size),
                partial(self._loaded, key),
                partial(self._broken, key),
                pool="images",
            )

    def _loaded(self, key: str, image: object) -> None:
        self._active.discard(key)
        assert isinstance(image, QImage)
        self._cache[key] = QPixmap.fromImage(image)
        while len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
        self.ready.emit(key)
        self._pump()

    def _broken(self, key: str, exc: BaseException) -> None:
        self._active.discard(key)
        self._failed[key] = str(exc)
        self.ready.emit(key)
        self._pump()
