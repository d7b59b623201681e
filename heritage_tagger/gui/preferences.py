"""Preferences kept in QSettings (reviewer, catalogue, backbone, device, suggestions and their target precision,
thumbnails, retraining, appearance)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from PySide6.QtCore import QSettings

from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP
from heritage_tagger.settings import APP_NAME, DEFAULT_BACKBONE, DEFAULT_DEVICE, default_login_name

QUEUE_ORDERS = {"needs_attention": QT_TRANSLATE_NOOP("Preferences", "Needs attention first"),
                "least_confident": QT_TRANSLATE_NOOP("Preferences", "Least confident first"),
                "most_confident": QT_TRANSLATE_NOOP("Preferences", "Most confident first"),
                "identifier": QT_TRANSLATE_NOOP("Preferences", "By identifier")}  # fmt: skip
LANGUAGE_CHOICES = ("system", "en", "fr")  # gui/i18n.py LANGUAGES: the interface language, at the next start


def default_reviewer() -> str:
    """The login name decisions are recorded under when none is set: the operating system's user."""
    return default_login_name()


@dataclass
class Preferences:
    reviewer: str = ""  # the login name every decision (and a training's lock) is recorded under
    catalogue_path: str = ""  # a file, or a team catalogue's postgresql:// connection string
    media_root: str = ""  # where this computer reaches a team catalogue's media folder ("": as recorded)
    backbone: str = DEFAULT_BACKBONE  # the defaults are declared once, in settings.py
    device: str = DEFAULT_DEVICE
    suggestions: int = 3  # proposed when the model has no label-quantity estimate
    target_precision: int = (
        50  # percent: propose a tag where at least this share was right on held-out photos
    )
    thumbnail_size: int = 128
    queue_order: str = (
        "needs_attention"  # an imported batch's review queue (services.review_queue.QUEUE_ORDERS)
    )
    retrain_after_decisions: int = 0  # offer retraining at start-up after this many decisions (0: off)
    retrain_every_days: int = 0  # ... or when the active model is this many days old (0: off)
    theme: str = "system"  # "system", "light" or "dark" (gui/appearance.py)
    text_size: int = 100  # percent of the system's default font size
    language: str = "system"  # the interface language (LANGUAGE_CHOICES), applied at the next start

    def __post_init__(self) -> None:
        self.reviewer = self.reviewer or default_reviewer()

    @classmethod
    def load(cls, settings: QSettings) -> Preferences:
        prefs = cls()
        for f in fields(cls):
            raw = settings.value(f"preferences/{f.name}")
            if raw is None or raw == "":
                continue
            try:
                setattr(prefs, f.name, int(raw) if f.type in ("int", int) else str(raw))
            except (TypeError, ValueError):
                continue
        prefs.suggestions = max(1, min(20, prefs.suggestions))
        prefs.thumbnail_size = max(64, min(320, prefs.thumbnail_size))
        prefs.target_precision = max(10, min(95, prefs.target_precision))
        if prefs.queue_order not in QUEUE_ORDERS:
            prefs.queue_order = "needs_attention"
        prefs.retrain_after_decisions = max(0, prefs.retrain_after_decisions)
        prefs.retrain_every_days = max(0, prefs.retrain_every_days)
        if prefs.theme not in ("system", "light", "dark"):
            prefs.theme = "system"
        prefs.text_size = max(50, min(300, prefs.text_size))
        if prefs.language not in LANGUAGE_CHOICES:
            prefs.language = "system"
        return prefs

    def update(self, other: Preferences) -> None:
        """Take every value of ``other``: the window's controllers share this one object."""
        for f in fields(self):
            setattr(self, f.name, getattr(other, f.name))

    def save(self, settings: QSettings) -> None:
        for f in fields(self):
            settings.setValue(f"preferences/{f.name}", getattr(self, f.name))
        settings.sync()


def app_settings(path: Path | None = None) -> QSettings:
    """The user's settings (INI format); ``path`` gives a private file (tests, screenshots, benchmarks)."""
    if path is not None:
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_NAME, APP_NAME)
