"""The bundled app's entry point: what `chronology-app` runs (see chronology.spec)."""

import sys

from chronology_app.gui.app import main

if __name__ == "__main__":
    sys.exit(main())
