"""Start the desktop app: QApplication, appearance (style, palette, font), main window; or render a screenshot."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from heritage_tagger.settings import APP_NAME, resources_dir


def resource(name: str) -> Path | None:
    """A file of the resources folder (installed package data or the repository's), if present."""
    try:
        path = resources_dir() / name
    except FileNotFoundError:
        return None
    return path if path.is_file() else None


def application(argv: list[str] | None = None, settings_path: Path | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv or [sys.argv[0]])
    from heritage_tagger.gui.i18n import install_translations
    from heritage_tagger.gui.preferences import app_settings

    install_translations(app, app_settings(settings_path))  # before any widget is built
    # workers run Python too (queries, row building): hand the GIL back to the GUI thread sooner
    sys.setswitchinterval(0.001)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("Heritage Tagger")
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("heritage-tagger")
    from heritage_tagger.gui.appearance import apply_appearance
    from heritage_tagger.gui.preferences import Preferences, app_settings

    prefs = Preferences.load(app_settings())  # Fusion, light or dark palette, text size, style.qss
    apply_appearance(prefs.theme, prefs.text_size, app)
    icon = resource("icons/heritage-tagger.svg")
    if icon is not None:
        app.setWindowIcon(QIcon(str(icon)))
    return app


def saved_catalogue_path(settings_path: Path | None = None) -> str:
    """The catalogue chosen in Preferences ("" when none)."""
    from heritage_tagger.gui.preferences import Preferences, app_settings

    application(settings_path=settings_path)
    return Preferences.load(app_settings(settings_path)).catalogue_path


def run_gui(
    catalogue: Path | str,
    *,
    screenshot: Path | None = None,
    select: int | None = None,
    size: tuple[int, int] = (1400, 900),
    settings_path: Path | None = None,
    timeout_s: float = 120.0,
) -> int:
    """Open ``catalogue`` in the main window; with ``screenshot``, save the rendered window and return."""
    app = application(settings_path=settings_path)
    from heritage_tagger.gui.main_window import MainWindow
    from heritage_tagger.gui.preferences import app_settings

    settings = app_settings(settings_path)
    import_folder: Path | None = None
    demo = False
    if screenshot is None:
        from heritage_tagger.gui.welcome import WelcomeChoice, needs_welcome, run_welcome

        if needs_welcome(catalogue):  # first run: create, open or import, before the main window
            choice = run_welcome()
            if choice is None:
                return 0
            catalogue = choice.catalogue
            if choice.choice is WelcomeChoice.IMPORT:
                import_folder = choice.import_folder
            demo = choice.choice is WelcomeChoice.DEMO
            if choice.choice is WelcomeChoice.CONNECT:  # the team catalogue opens at every start from now on
                from heritage_tagger.gui.preferences import Preferences

                prefs = Preferences.load(settings)
                prefs.catalogue_path = str(catalogue)
                prefs.media_root = str(choice.media_root or "")
                prefs.save(settings)
    window = MainWindow(settings)
    # what is loaded by now (Qt, SQLAlchemy, the window) lives as long as the app: keep it out of
    # the garbage collector's full passes, which otherwise pause the GUI for ~100 ms at a time
    gc.freeze()
    if screenshot is not None:
        window.resize(*size)
    window.show()
    if demo:  # the demo catalogue: opened, filled from the sample and trained in the background
        window.demo.open_demo(Path(catalogue))
    else:
        window.open_path(catalogue)
    if screenshot is None:  # periodic retraining (Preferences): offered once, for the first catalogue

        def check_once(_catalogue: object) -> None:
            window.catalogue_opened.disconnect(check_once)
            window.model_jobs.check_retrain_due()

        window.catalogue_opened.connect(check_once)
    if import_folder is not None:
        folder, pending = str(import_folder), [True]

        def import_once(_catalogue: object) -> None:  # the welcome's import, for the first catalogue only
            if pending and pending.pop():
                window.jobs.import_folder(folder)

        window.catalogue_opened.connect(import_once)
    if screenshot is not None:
        from heritage_tagger.gui.screenshot import take_screenshot

        code = take_screenshot(window, Path(screenshot), select, timeout_s)
        window.shut_down()  # as a close would: no worker left running while the interpreter tears Qt down
        return code
    return app.exec()
