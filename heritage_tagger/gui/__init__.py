"""The PySide6 desktop app: main window, item models, views, dialogs, workers (the only place Qt is imported)."""
