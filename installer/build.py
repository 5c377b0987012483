"""Build a desktop bundle with PyInstaller: `python installer/build.py` (pip install pyinstaller).

Produces dist/cbs/ (one folder: the `cbs` executable with Qt, migrations and resources beside
it). On Windows, compile installer/cbs-python.iss with Inno Setup afterwards; on Linux, copy
installer/cbs-python.desktop to ~/.local/share/applications/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        print("PyInstaller is not installed: pip install pyinstaller", file=sys.stderr)
        return 1
    spec = HERE / "cbs.spec"
    return subprocess.call([sys.executable, "-m", "PyInstaller", "--noconfirm", str(spec)],
                           cwd=HERE.parent)


if __name__ == "__main__":
    sys.exit(main())
