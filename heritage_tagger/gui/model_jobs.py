"""Model > Retrain and Model > Versions: retrain, compare, activate (re-suggesting), roll back and remove."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heritage_tagger.gui.dialogs.job_dialog import JobDialog
from heritage_tagger.gui.dialogs.retrain_dialog import RetrainDialog
from heritage_tagger.gui.dialogs.versions_dialog import VersionsDialog
from heritage_tagger.gui.workers import describe_error

if TYPE_CHECKING:
    from heritage_tagger.gui.main_window import MainWindow


def _catalogue(w: MainWindow) -> Any | None:
    if w.catalogue is None:
        w.show_error("Open a catalogue first (File > Open catalogue…).")
    return w.catalogue


def activate_version(
    w: MainWindow, version: str, on_done: Callable[[str], None], on_error: Callable[[str], None]
) -> JobDialog | None:
    """Activate ``version`` (atomic) and re-suggest pending suggestions of older models, in a worker."""
    cat = _catalogue(w)
    if cat is None:
        return None
    from heritage_tagger.services.retraining import activate_candidate

    def done(result: Any) -> None:
        info, report = result
        text = (
            f"{info.version} is now the active model; {report.suggestions} suggestions refreshed for "
            f"{report.annotated + report.done_before} photos."
        )
        w.show_status(text)
        w.panel_cache.clear()
        w.refresh_model_info()
        w.model.reload()
        on_done(text)

    def failed(text: str) -> None:
        w.show_error(f"Activating {version}: {text}")
        on_error(text)

    dialog = JobDialog(
        w, w.runner, f"Activating {version}",
        lambda progress, cancel: activate_candidate(cat, version, progress, cancel), done, failed,
    )  # fmt: skip
    w.job_dialog = dialog  # type: ignore[attr-defined]
    return dialog


# ---------------------------------------------------------------- Model > Retrain


def retrain(w: MainWindow, *, epochs: int | None = None) -> None:
    """Count the decisions since the active model in a worker, then open the retrain dialog."""
    cat = _catalogue(w)
    if cat is None:
        return
    from heritage_tagger.services.retraining import decisions_since_active

    def done(result: tuple[int, Any]) -> None:
        open_retrain_dialog(w, *result, epochs=epochs)

    w.runner.run(lambda: decisions_since_active(cat), done, lambda exc: w.show_error(describe_error(exc)))


def open_retrain_dialog(
    w: MainWindow, decisions_since: int, active: Any, *, epochs: int | None = None
) -> RetrainDialog:
    dialog = RetrainDialog(decisions_since, active, w)
    scratch = tempfile.TemporaryDirectory(prefix="heritage-retrain-")
    dialog.finished.connect(lambda _: scratch.cleanup())
    dialog.start_requested.connect(lambda: _start_retrain(w, dialog, Path(scratch.name), epochs))
    dialog.activate_requested.connect(
        lambda version: activate_version(w, version, dialog.decision_done, dialog.decision_failed)
    )
    dialog.discard_requested.connect(lambda version: _discard(w, dialog, version))
    dialog.open()
    w.retrain_dialog = dialog  # type: ignore[attr-defined]
    return dialog


def _start_retrain(w: MainWindow, dialog: RetrainDialog, scratch: Path, epochs: int | None) -> None:
    cat = w.catalogue
    if cat is None:
        dialog.training_failed("No catalogue is open.")
        return
    from heritage_tagger.services.retraining import retrain as service
    from heritage_tagger.services.retraining import save_plot

    device = w.prefs.device

    def work(progress: Any, cancel: Any) -> tuple[Any, str | None]:
        outcome = service(cat, epochs=epochs, device=device, progress=progress, cancel=cancel)
        try:
            png = save_plot(outcome.comparison, outcome.candidate.version, scratch / "comparison.png")
        except Exception:  # noqa: BLE001 - the table says it all; the plot is a nicety
            return outcome, None
        return outcome, str(png)

    def done(result: tuple[Any, str | None]) -> None:
        outcome, png = result
        dialog.show_outcome(outcome, png)
        w.show_status(f"Candidate {outcome.candidate.version} trained: compare it with the active model.")

    def failed(text: str) -> None:
        dialog.training_failed(text)
        w.show_error(f"Retraining: {text}")

    job = JobDialog(dialog, w.runner, "Retraining", work, done, failed)
    w.job_dialog = job  # type: ignore[attr-defined]


def _discard(w: MainWindow, dialog: RetrainDialog, version: str) -> None:
    cat = w.catalogue
    if cat is None:
        return
    from heritage_tagger.services.model_versions import remove

    def done(_: Any) -> None:
        text = f"Discarded the candidate {version}; the active model is unchanged."
        w.show_status(text)
        dialog.decision_done(text)

    w.runner.run(
        lambda: remove(cat, version),
        done,
        lambda exc: dialog.decision_failed(describe_error(exc)),
        pool="write",
    )


# ---------------------------------------------------------------- Model > Versions


def versions(w: MainWindow) -> None:
    cat = _catalogue(w)
    if cat is None:
        return
    from heritage_tagger.services.model_versions import list_versions

    def done(found: list[Any]) -> None:
        open_versions_dialog(w, found)

    w.runner.run(lambda: list_versions(cat), done)


def open_versions_dialog(w: MainWindow, versions_list: list[Any]) -> VersionsDialog:
    dialog = VersionsDialog(versions_list, w)

    def refresh(text: str) -> None:
        cat = w.catalogue
        dialog.status.setText(text)
        if cat is None:
            return
        from heritage_tagger.services.model_versions import list_versions

        def shown(vs: list[Any]) -> None:
            dialog.set_versions(vs)
            dialog.set_busy(False)

        w.runner.run(lambda: list_versions(cat), shown)

    def failed(text: str) -> None:
        dialog.status.setText(text)
        dialog.set_busy(False)

    def remove(version: str) -> None:
        cat = w.catalogue
        if cat is None:
            return
        from heritage_tagger.services.model_versions import remove as service

        w.runner.run(
            lambda: service(cat, version), lambda info: refresh(f"Removed {info.version}."),
            lambda exc: failed(describe_error(exc)), pool="write",
        )  # fmt: skip

    dialog.activate_requested.connect(lambda version: activate_version(w, version, refresh, failed))
    dialog.remove_requested.connect(remove)
    dialog.open()
    w.versions_dialog = dialog  # type: ignore[attr-defined]
    return dialog


# ---------------------------------------------------------------- periodic retraining


def check_retrain_due(w: MainWindow) -> None:
    """When the Preferences ask for periodic retraining and it is due, offer it in the message bar."""
    cat = w.catalogue
    after, days = w.prefs.retrain_after_decisions, w.prefs.retrain_every_days
    if cat is None or (after <= 0 and days <= 0):
        return
    from heritage_tagger.services.retraining import retrain_due

    def done(status: Any) -> None:
        if status.due and w.catalogue is cat:
            w.offer_retraining(f"Retraining is due: {status.reason}.")

    w.runner.run(lambda: retrain_due(cat, after if after > 0 else None, days if days > 0 else None), done)
