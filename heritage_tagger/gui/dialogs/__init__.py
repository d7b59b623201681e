"""Dialogs of the main window: jobs with progress, preferences, shortcuts, model versions, add a tag."""
