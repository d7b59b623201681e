"""Run a long job in a child process: its progress and result come back through a pipe, Cancel goes through an event.

The GUI runs training and retraining this way, so that no amount of model work in the job can
hold its interpreter lock or its event loop: the window keeps answering while the child works on a
catalogue of its own (opened again by ``catalogue.location``, a file or a team catalogue's
``postgresql://`` URL, with the same media root, settings and user). The child is started with
``spawn`` (safe beside Qt's threads). Two one-way pipes join them: results and progress come back
on one, a Cancel goes out on the other; the child stops at its next cancel check when asked, and
also when that pipe breaks (the process that started it went away). No lock or event is shared, so
a child that dies at any moment can never leave the parent waiting. A job that does not stop
within ``grace`` seconds of a Cancel is terminated. Every long job already leaves the catalogue consistent when it stops at any
point (the active model unchanged, chunks committed with their cursor), so the caller sees a
``CancelledError`` or a plain-words error, never a half-written state.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import pickle
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from heritage_tagger.domain.errors import CancelledError, HeritageTaggerError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.services.catalogue import Catalogue, open_catalogue
from heritage_tagger.settings import Settings

log = logging.getLogger(__name__)

CANCEL = "cancel"
GRACE_SECONDS = 60.0  # after a Cancel, how long the child may take to reach its next cancel check
PROCESS_GONE = (
    "The job's worker process ended unexpectedly (exit code {code}). Nothing it was doing was kept "
    "half-done; the active model is unchanged. Try again, or run the same job from the command line "
    "to see why."
)


class PipeToken(CancelToken):
    """The child's cancel token: set by a "cancel" from the parent, or when the parent's end is gone."""

    def __init__(self, control: Connection) -> None:
        super().__init__()
        self._control = control
        self._lock = threading.Lock()

    @property
    def cancelled(self) -> bool:
        if not self._event.is_set():
            with self._lock:
                try:
                    while self._control.poll():
                        if self._control.recv() == CANCEL:
                            self._event.set()
                except (EOFError, OSError):  # the window that started the job is gone
                    self._event.set()
        return self._event.is_set()

    def check(self) -> None:
        if self.cancelled:
            raise CancelledError("Cancelled by the user.")


@dataclass(frozen=True)
class _Opening:
    """What the child needs to open the parent's catalogue again (picklable: no engine, no session)."""

    location: str  # the catalogue file, or a team catalogue's connection string
    media_root: str | None  # a team catalogue's shared media folder as this computer reaches it
    settings: Settings
    user: str  # who a training's lock and the jobs are recorded for

    @classmethod
    def of(cls, catalogue: Catalogue) -> _Opening:
        root = catalogue.media_root
        return cls(
            str(catalogue.location), None if root is None else str(root), catalogue.settings, catalogue.user
        )

    def open(self) -> Catalogue:
        catalogue = open_catalogue(
            self.location, create=False, settings=self.settings, media_root=self.media_root
        )
        catalogue.user = self.user
        return catalogue


def _sendable(exc: BaseException) -> BaseException:
    """``exc`` when it survives pickling, else a plain-words error carrying its text."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - anything unpicklable is replaced
        return HeritageTaggerError(f"{type(exc).__name__}: {exc}")
    return exc


def _child(
    conn: Connection, control: Connection, opening: _Opening, target: str, kwargs: dict[str, Any]
) -> None:
    token = PipeToken(control)

    def progress(p: Progress) -> None:
        try:
            conn.send(("progress", p))
        except OSError:  # the parent closed its end: nobody is waiting for this job any more
            token.cancel()

    try:
        module, name = target.split(":")
        fn = getattr(importlib.import_module(module), name)
        with opening.open() as catalogue:
            result = fn(catalogue, progress=progress, cancel=token, **kwargs)
        conn.send(("done", result))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        if not isinstance(exc, HeritageTaggerError):
            log.error("job %s failed in its worker process:\n%s", target, traceback.format_exc())
        try:
            conn.send(("failed", _sendable(exc)))
        except OSError:
            pass
    finally:
        conn.close()


def run_in_process(
    catalogue: Catalogue,
    target: str,
    kwargs: dict[str, Any] | None = None,
    *,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    grace: float = GRACE_SECONDS,
    poll: float = 0.1,
) -> Any:
    """``module:function(catalogue, progress=, cancel=, **kwargs)`` in a child process; its return value.

    Blocks the calling thread (a worker thread of the GUI) until the child finishes; relays its
    progress to ``progress``; raises what the child raised (``CancelledError`` after a Cancel).
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)  # child -> parent: progress and the outcome
    control_in, control_out = context.Pipe(duplex=False)  # parent -> child: a cancel
    process = context.Process(
        target=_child,
        args=(sender, control_in, _Opening.of(catalogue), target, dict(kwargs or {})),
        name=f"heritage-tagger job {target}",
        daemon=True,
    )
    process.start()
    sender.close()
    control_in.close()

    def stop() -> None:
        try:
            control_out.send(CANCEL)
        except OSError:  # the child is gone already
            pass

    cancelled_at: float | None = None
    try:
        while True:
            if cancel is not None and cancel.cancelled and cancelled_at is None:
                stop()
                cancelled_at = time.monotonic()
            if cancelled_at is not None and time.monotonic() - cancelled_at > grace:
                raise CancelledError("Cancelled by the user (the job was stopped).")
            try:
                ready = receiver.poll(poll)
            except (EOFError, OSError):
                ready = False
            if ready:
                try:
                    kind, payload = receiver.recv()
                except EOFError:
                    break  # the child closed its end without an answer: it died
                except Exception as exc:  # noqa: BLE001 - an answer that cannot be read back
                    raise HeritageTaggerError(f"The job's answer could not be read: {exc}") from None
                if kind == "progress":
                    progress(payload)
                elif kind == "done":
                    return payload
                else:
                    raise payload
            elif not process.is_alive():
                if receiver.poll(0):
                    continue  # its last words are still in the pipe
                break
        process.join(5)
        raise HeritageTaggerError(PROCESS_GONE.format(code=process.exitcode))
    finally:
        if process.is_alive():
            stop()
            process.join(min(grace, 5.0) if cancelled_at is None else 1.0)
        if process.is_alive():
            process.terminate()
            process.join(5)
        receiver.close()
        control_out.close()
