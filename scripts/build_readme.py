"""Assemble README.md from docs/readme/*.md in name order.

Each surface documents itself in its own fragment, so wording is reviewed beside its code and
parallel work never fights over one file. Run: `python scripts/build_readme.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAGMENTS = ROOT / "docs" / "readme"
NOTICE = "<!-- Generated from docs/readme/*.md by scripts/build_readme.py: edit those. -->\n"


def build() -> str:
    parts = [path.read_text(encoding="utf-8").strip() for path in sorted(FRAGMENTS.glob("*.md"))]
    return NOTICE + "\n\n".join(parts) + "\n"


def main() -> int:
    (ROOT / "README.md").write_text(build(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
