"""``python -m heritage_tagger``."""

import sys

from heritage_tagger.cli import main

sys.exit(main())
