"""`python -m groupleader` starts the program, exactly like the `groupleader` command."""

import sys

from groupleader.cli import main

sys.exit(main())
