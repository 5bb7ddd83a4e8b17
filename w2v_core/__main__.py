"""Entry point of ``python -m w2v_core``."""

import sys

from .cli import main

sys.exit(main())
