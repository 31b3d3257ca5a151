"""`python -m bot` is `knalle`."""

import sys

from bot.cli import main

sys.exit(main())
