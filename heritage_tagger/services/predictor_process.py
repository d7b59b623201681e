"""Suggestions from a helper process: the model and its C extensions load there, never in the window's.

Loading a bundle imports faiss (and, for a photo whose features are not cached yet, torch and the
backbone); an import of a C extension holds the interpreter lock for as long as it runs, so in
the window's own process the event loop stalls for hundreds of milliseconds however the work is
threaded. ``SuggestionProcess`` runs ``services.suggesting.suggest_for_record`` in a child
process (``multiprocessing`` "spawn", a pipe) that opens the same catalogue by its location (a
file, or a team catalogue's ``postgresql://`` URL with this computer's media root) without
maintenance, and loads the active model as soon as it starts (``start``), with the word vectors
and the lemmatiser when the model reads the record's text, so the first photo's suggestions are
usually ready when asked for. Requests are answered one at a time, in order; the typed
``Prediction`` comes back pickled whole (calibrated tags, sources, threshold, served_by). A librarian's error (``HeritageTaggerError``) is raised again
in the caller as it was raised in the child; when the child dies, the next request starts a new one.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import traceback
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.domain.location import is_server_url
from heritage_tagger.settings import Settings

if TYPE_CHECKING:
    from heritage_tagger.services.catalogue import Catalogue

log = logging.getLogger(__name__)

__all__ = ["SuggestionProcess"]

_CLOSE_WAIT_S = 5.0


class SuggestionProcess:
    """The active model of one catalogue, in a child process; thread-safe, one request at a time."""

    def __init__(
        self,
        location: Path | str,
        settings: Settings | None = None,
        media_root: Path | str | None = None,
    ) -> None:
        """``location``: what opens the catalogue (``Catalogue.location``: its file or its connection
        string); ``media_root``: where this computer reaches a team catalogue's media folder."""
        self.location: Path | str = location if is_server_url(str(location)) else Path(location)
        self.settings = settings or Settings()
        self.media_root = None if media_root is None else Path(media_root)
        self._lock = threading.Lock()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._warming = False  # a "warm" request's answer is still to be read
        self.model_version: str | None = None  # what the child loaded last

    @classmethod
    def of(cls, catalogue: Catalogue) -> SuggestionProcess:
        """The suggestion process of an open catalogue (the same location, settings and media root)."""
        return cls(catalogue.location, catalogue.settings, catalogue.media_root)

    def serves(self, catalogue: Catalogue) -> bool:
        """Whether this process opens ``catalogue`` as it is open here (the target precision aside: each
        request names its own, so a changed preference needs no new process)."""
        mine = replace(
            self.settings,
            model=replace(self.settings.model, target_precision=catalogue.settings.model.target_precision),
        )
        return (self.location, mine, self.media_root) == (
            catalogue.location,
            catalogue.settings,
            catalogue.media_root,
        )

    # -- the child's life ---------------------------------------------------------------------

    def start(self) -> None:
        """Start the child (if it is not running) and have it load the active model right away."""
        with self._lock:
            self._ensure()

    def _ensure(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        self._stop()
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve,
            args=(child, str(self.location), self.settings, self.media_root),
            name="heritage-tagger-suggestions",
            daemon=True,
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        parent.send(("warm",))
        self._warming = True
        return parent

    def _stop(self) -> None:
        conn, process = self._conn, self._process
        self._conn = self._process = None
        self._warming = False
        if conn is not None:
            try:
                conn.send(("close",))
            except (OSError, ValueError):
                pass
            conn.close()
        if process is not None:
            process.join(_CLOSE_WAIT_S)
            if process.is_alive():
                process.terminate()
                process.join(_CLOSE_WAIT_S)

    def close(self, wait_s: float = 1.0) -> None:
        """Stop the child: politely once the request in hand is answered, or, after ``wait_s``,
        at once (a window closing does not wait for a backbone to load)."""
        if self._lock.acquire(timeout=wait_s):
            try:
                self._stop()
            finally:
                self._lock.release()
            return
        process = self._process
        if process is not None and process.is_alive():
            process.terminate()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    # -- requests -----------------------------------------------------------------------------

    def _call(self, request: tuple[Any, ...]) -> Any:
        with self._lock:
            conn = self._ensure()
            try:
                if self._warming:
                    self._warming = False
                    self._answer(conn)  # the warm-up's answer (an error there is asked again below)
                conn.send(request)
                return self._answer(conn, raise_errors=True)
            except (EOFError, OSError, BrokenPipeError) as exc:
                self._stop()
                raise HeritageTaggerError(
                    "The process computing suggestions stopped unexpectedly; it is started again for "
                    "the next photo."
                ) from exc

    def _answer(self, conn: Connection, raise_errors: bool = False) -> Any:
        kind, payload, version = conn.recv()
        if version is not None:
            self.model_version = version
        if kind == "error" and raise_errors:
            raise payload
        return payload if kind == "ok" else None

    def warm(self) -> str | None:
        """Load the active model now; its version (None when the catalogue has none)."""
        return self._call(("warm",))  # type: ignore[no-any-return]

    def suggest_for_record(self, record_id: int | str, *, target_precision: float | None = None) -> Any:
        """``services.suggesting.suggest_for_record`` for this catalogue, computed in the child
        (``target_precision``: None for the settings the process was started with)."""
        return self._call(("suggest", record_id, target_precision))


def _warm(catalogue: Catalogue) -> str | None:
    """Load the active model (its version; None when there is none) and, when it reads the record's
    text, the word vectors, the lemmatiser and the catalogue's lexicon: the first request then waits
    for none of them."""
    from heritage_tagger.annotator.text_inputs import RecordText
    from heritage_tagger.domain.errors import ModelNotTrainedError
    from heritage_tagger.services.suggesting import active_predictor, catalogue_lexicon

    try:
        predictor, info = active_predictor(catalogue)
    except ModelNotTrainedError:
        return None
    if predictor.reads_text:
        predictor.encode([RecordText("Photographs of the collection", "", "")])
        catalogue_lexicon(catalogue)
    return info.version


def _serve(conn: Connection, location: str, settings: Settings, media_root: Path | None) -> None:
    """The child: open the catalogue, then answer requests until told to close (or the pipe breaks)."""
    from heritage_tagger.services.catalogue import open_catalogue
    from heritage_tagger.services.suggesting import suggest_for_record

    catalogue = open_catalogue(
        location, create=False, settings=settings, media_root=media_root, maintenance=False
    )
    try:
        while True:
            try:
                request = conn.recv()
            except (EOFError, OSError):
                return
            if request[0] == "close":
                return
            version = None
            try:
                if request[0] == "warm":
                    version = _warm(catalogue)
                    answer: tuple[str, Any, str | None] = ("ok", version, version)
                else:
                    target = request[2] if len(request) > 2 else None
                    prediction = suggest_for_record(catalogue, request[1], target_precision=target)
                    answer = ("ok", prediction, prediction.model_version)
            except HeritageTaggerError as exc:
                answer = ("error", exc, None)
            except Exception as exc:  # noqa: BLE001 - reported to the window, not raised in the child
                log.error("suggestion process:\n%s", traceback.format_exc())
                answer = (
                    "error",
                    HeritageTaggerError(f"Unexpected error: {type(exc).__name__}: {exc}"),
                    None,
                )
            try:
                conn.send(answer)
            except (OSError, ValueError):
                return
    finally:
        catalogue.close()
        conn.close()
