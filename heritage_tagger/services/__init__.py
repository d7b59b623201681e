"""Use cases shared by the command line and the GUI: import, annotate, review, retrain, export."""
