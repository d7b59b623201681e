"""The PySide6 desktop app: main window, item models, views, dialogs, workers (only Qt here)."""
