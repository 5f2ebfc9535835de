"""Imported first by every Python script here: re-run the script under the project's .venv.

`make setup` (or `make test`/`make demo`) creates .venv; without it the scripts say so instead of
failing on a missing import.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_VENV = ROOT / ".venv"

if Path(sys.prefix).resolve() != _VENV.resolve():
    python = _VENV / "bin" / "python"
    if not python.exists():
        sys.exit(f"{Path(sys.argv[0]).name}: no .venv in {ROOT}; run `make setup` first")
    os.execv(python, [str(python), *sys.argv])
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
