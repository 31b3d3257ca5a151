"""Developer tool: `python -m storage.migrations.revise "message"` autogenerates a migration."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from storage.db import alembic_config, make_engine, upgrade


def main(message: str) -> None:
    # Compare the models against a scratch database at head, so the diff is exactly the change.
    with tempfile.NamedTemporaryFile(suffix=".db") as scratch:
        engine = make_engine(f"sqlite:///{scratch.name}")
        upgrade(engine)
        command.revision(
            alembic_config(engine), message=message, autogenerate=True, rev_id=next_revision_id()
        )


def next_revision_id() -> str:
    """Numbered revisions ("0002") read in order, unlike alembic's random hex ids."""
    versions = Path(__file__).parent / "versions"
    numbers = [int(p.name[:4]) for p in versions.glob("[0-9][0-9][0-9][0-9]_*.py")]
    return f"{max(numbers, default=0) + 1:04d}"


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]) or "change")
