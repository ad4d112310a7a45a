"""``python -m orkg_sync``: the CLI; a Ctrl-C while the modules are still importing is one line too."""

import sys

try:
    from orkg_sync.cli.main import main
except KeyboardInterrupt:
    print("error: interrupted (Ctrl-C)", file=sys.stderr)
    sys.exit(130)

main()
