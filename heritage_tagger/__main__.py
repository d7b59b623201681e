"""``python -m heritage_tagger``."""

import sys

from heritage_tagger.cli import main

if __name__ == "__main__":  # a worker process (services/worker_process.py, spawn) imports this module too
    sys.exit(main())
