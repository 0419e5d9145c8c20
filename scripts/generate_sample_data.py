#!/usr/bin/env python3
"""Entry point of the sample-data generator; the code is the package scripts/sample_data/.

python scripts/generate_sample_data.py --seed 42 --scale 1 --out data/sample
"""

import sys
from pathlib import Path

if not __package__:
    # Run as a file (the build does so from a fresh checkout, before the venv and its editable
    # install exist), Python puts scripts/ on sys.path, not the repo root that holds `scripts`.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.sample_data import main

if __name__ == "__main__":
    sys.exit(main())
