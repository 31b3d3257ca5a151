"""Engine, units of work and migrations: how Knalle talks to SQLite or PostgreSQL."""

from __future__ import annotations

import logging
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from storage import (
    register_version,
    visit_search,  # registers the search text's upkeep on every Session
)
from storage.audit import guard

if TYPE_CHECKING:
    from alembic.config import Config

logger = logging.getLogger(__name__)

# Alembic (with mako and pygments) is imported only when there is something to migrate: a
# restart on a database at head reads the revision with one SELECT (see `upgrade`).

MIGRATIONS = Path(__file__).parent / "migrations"
WRITE_OPTION = "knalle_write"
BUSY_OPTION = "knalle_busy_ms"
BUSY_TIMEOUT_MS = 30_000


class WriteTimeout(TimeoutError):
    """The write lock could not be had within the time given; nothing was written."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with SQLite tuned for many threads: WAL, foreign keys, a busy timeout."""
    # Error messages and logs never carry the statement's parameters: they hold users' text,
    # response URLs and tokens.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)
        _tune_sqlite(engine)
        _guard_text(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    engine = create_engine(url, **kwargs)
    _guard_text(engine)
    return engine


# The last line of defence behind the surfaces' own checks (bot/core/text/safe.py): no string
# with NUL, a lone surrogate, another control character (but newline and tab) or a bidi
# override reaches the database from any path, CLI and imports included. PostgreSQL refuses
# NUL outright; the others break exports and reports. (storage imports nothing of bot/.)
_UNSTORABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)


def storable(value: str) -> str:
    if value.isascii() and value.isprintable():
        return value
    return _UNSTORABLE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _storable_parameters(parameters: Any) -> Any:
    if isinstance(parameters, str):
        return storable(parameters)
    if isinstance(parameters, dict):
        return {key: _storable_parameters(value) for key, value in parameters.items()}
    if isinstance(parameters, (list, tuple)):
        return type(parameters)(_storable_parameters(value) for value in parameters)
    return parameters


def _guard_text(engine: Engine) -> None:
    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def _before_execute(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> tuple[str, Any]:
        return statement, _storable_parameters(parameters)


def _switch_to_wal(cursor: Any, attempts: int = 100) -> None:
    """Switching a new file to WAL takes an exclusive lock; several processes opening one new
    file at once can be told "database is locked" here without the busy timeout applying (seen
    with four replicas starting together). Try again for up to about 5 s."""
    import sqlite3
    import time

    for attempt in range(attempts):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.05)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, emit BEGIN, so that we can choose IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A read-then-write transaction must hold the write lock from the start, or two
        # writers deadlock and one gets "database is locked" despite the busy timeout.
        options = connection.get_execution_options()
        immediate = options.get(WRITE_OPTION, False)
        # A write with a deadline (the intake's, which must answer Slack within 3 s) waits for
        # another process's lock only that long; set per transaction, reset for the next.
        busy = int(options.get(BUSY_OPTION, BUSY_TIMEOUT_MS))
        info = connection.connection.info
        if info.get(BUSY_OPTION, BUSY_TIMEOUT_MS) != busy:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={busy}")
            info[BUSY_OPTION] = busy
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _busy_ms(remaining_ms: int) -> int:
    """A write's wait for another process's lock, rounded down to a tenth of a second."""
    return remaining_ms - remaining_ms % 100 if remaining_ms >= 100 else remaining_ms


class Database:
    """Opens units of work. Query functions take the Session and never commit; this does."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writes = sessionmaker(
            bind=engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        self._reads = sessionmaker(bind=engine, expire_on_commit=False)
        # The audit trail is append-only: these sessions refuse to change or delete its rows.
        guard(self._writes)
        guard(self._reads)
        # SQLite has one writer at a time. Threads of this process queue on a Python lock,
        # which wakes the next writer the moment the last commits; left to SQLite's busy
        # handler they would sleep in growing steps (1, 2, 5, 10 … ms) and a burst of commands
        # would wait far longer than the writes take. Other processes still meet busy_timeout.
        self._deadline_binds: dict[int, Engine] = {}
        self._write_turn: AbstractContextManager[object] = (
            threading.RLock() if self.is_sqlite else nullcontext()
        )
        # SQLite: `sqlite_write`'s own connection, and its commits not yet checkpointed.
        self._saves: Any = None
        self._unchecked_saves = 0

    @contextmanager
    def write(self, *, timeout: float | None = None) -> Iterator[Session]:
        """One transaction that commits on success and rolls back on any error.

        With `timeout` (seconds), waiting for the write lock (this process's turn, then
        SQLite's lock held by another process) raises WriteTimeout after that long.
        """
        if timeout is None:
            with self._write_turn, self._writes() as session, session.begin():
                yield session
            return
        turn = self._write_turn
        started = time.monotonic()
        if isinstance(turn, type(threading.RLock())) and not turn.acquire(timeout=timeout):
            raise WriteTimeout("no write turn in time")
        try:
            remaining_ms = max(1, int((timeout - (time.monotonic() - started)) * 1000))
            bind = self._deadline_bind(remaining_ms)
            with Session(bind=bind, expire_on_commit=False) as session, session.begin():
                yield session
        finally:
            if isinstance(turn, type(threading.RLock())):
                turn.release()

    def _deadline_bind(self, remaining_ms: int) -> Engine:
        """The engine for a write that may wait `remaining_ms` for another process's lock.

        Rounded down to a tenth of a second (never up: the deadline holds), so that writes
        with about the same deadline share one value and SQLite is not sent a
        `PRAGMA busy_timeout` before each of them (the intake writes before every ack).
        """
        busy_ms = _busy_ms(remaining_ms)
        bind = self._deadline_binds.get(busy_ms)
        if bind is None:
            bind = self.engine.execution_options(**{WRITE_OPTION: True, BUSY_OPTION: busy_ms})
            if len(self._deadline_binds) < 256:
                self._deadline_binds[busy_ms] = bind
        return bind

    @contextmanager
    def sqlite_write(self, *, timeout: float | None = None) -> Iterator[Any]:
        """SQLite only: one write transaction on the driver's own cursor, for the statements
        that run before every ack (storage/intake.py's `*_sqlite` functions), where the
        Session's and the Core's work per statement was most of the ack's cost.

        The same turn, deadline and BEGIN IMMEDIATE as `write`; commits on success and rolls
        back on any error. Strings bound here skip the engine's text guard: the callers pass
        them through `storable` themselves.

        Always on one connection of its own, which never checkpoints the WAL: SQLite runs an
        automatic checkpoint inside the commit that fills the WAL past 1,000 pages, 6-8 ms here
        (it syncs the file), and every ack waiting for the save would wait for it too. Writes
        through `write` still checkpoint as before, and `checkpoint_if_due` does it in a
        quiet moment (bot/upkeep.py).
        """
        if not self.is_sqlite:
            raise TypeError("sqlite_write is for SQLite")
        turn: Any = self._write_turn  # an RLock on SQLite
        started = time.monotonic()
        if not turn.acquire(timeout=-1 if timeout is None else timeout):
            raise WriteTimeout("no write turn in time")
        try:
            busy_ms = BUSY_TIMEOUT_MS
            if timeout is not None:
                busy_ms = _busy_ms(max(1, int((timeout - (time.monotonic() - started)) * 1000)))
            connection = self._save_connection()
            try:
                cursor = connection.cursor()
                if connection.info.get(BUSY_OPTION, BUSY_TIMEOUT_MS) != busy_ms:
                    cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
                    connection.info[BUSY_OPTION] = busy_ms
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    yield cursor
                except BaseException:
                    connection.rollback()
                    raise
                connection.commit()
                self._unchecked_saves += 1
            except BaseException:
                self._drop_save_connection()  # opened afresh for the next save
                raise
        finally:
            turn.release()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reads() as session, session.begin():
            yield session

    def ping(self) -> None:
        """Raises when the database cannot answer (the health check's question)."""
        with self.read() as session:
            session.execute(text("SELECT 1"))

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def _save_connection(self) -> Any:
        """The connection `sqlite_write` runs on, opened on first use (under the write turn)."""
        if self._saves is None:
            connection = self.engine.raw_connection()
            connection.cursor().execute("PRAGMA wal_autocheckpoint=0")
            self._saves = connection
        return self._saves

    def _drop_save_connection(self) -> None:
        connection, self._saves = self._saves, None
        if connection is not None:
            try:
                connection.invalidate()  # closed, never back in the pool with its pragma
            except Exception as error:
                logger.warning("could not close the saves' connection (%s)", type(error).__name__)

    def checkpoint_if_due(self) -> bool:
        """SQLite: checkpoint the WAL when `sqlite_write` has committed since the last time
        (those commits never do it themselves). Does nothing while another write is going
        on, and waits for nobody: a PASSIVE checkpoint copies what no reader still needs."""
        if self._unchecked_saves == 0 or not self.is_sqlite:
            return False
        turn: Any = self._write_turn
        if not turn.acquire(blocking=False):
            return False
        try:
            self._unchecked_saves = 0
            self._save_connection().cursor().execute("PRAGMA wal_checkpoint(PASSIVE)")
            return True
        except Exception:
            self._drop_save_connection()
            raise
        finally:
            turn.release()

    def dispose(self) -> None:
        turn: Any = self._write_turn
        if self._saves is not None and turn.acquire(timeout=5):  # not under a save
            try:
                self._drop_save_connection()
            finally:
                turn.release()
        self.engine.dispose()


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    # Config's default stdout is the sys.stdout of the moment alembic.config was first
    # imported; it is imported lazily now, so that could be a stream closed since.
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


# Any number of replicas may start at once: one migrates, the others wait and then find the
# schema at head. (Unserialised, two Alembic runs on an empty PostgreSQL database race to
# create alembic_version and one dies with UniqueViolation.)
MIGRATION_LOCK_KEY = 0x4B4E414C  # "KNAL": one advisory lock id for the whole application


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Held while the schema (or another shared table) is created or changed.

    PostgreSQL: `pg_advisory_lock` on a connection of its own, released when that connection
    ends even if the process dies. SQLite: an exclusive `flock` on `<file>.migrate.lock` next to
    the database, likewise released by the kernel when the process dies.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
                connection.commit()
        return
    path = sqlite_file(engine)
    if path is None:  # in memory: one process by definition
        yield
        return
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.migrate.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sqlite_file(engine: Engine) -> Path | None:
    """The database file of a SQLite engine; None for PostgreSQL or an in-memory database."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`; the schema changes only through migrations."""
    heads = head_revisions()
    # Connect before any lock file is made: a database that cannot be reached (a SQLite path in
    # a missing folder) fails here with its own error, and no folder is created for it.
    current_revision(engine)
    # Everything that may write the schema runs under the lock, the triggers re-created at
    # start too: four processes starting at once on one SQLite file otherwise met "database
    # is locked" there (a read-then-write transaction gets SQLITE_BUSY without waiting).
    with migration_lock(engine):
        if not (revision == "head" and len(heads) == 1 and current_revision(engine) == heads[0]):
            from alembic import command

            command.upgrade(alembic_config(engine), revision)
        visit_search.ensure_index(engine)
        register_version.ensure_triggers(engine)


def current_revision(engine: Engine) -> str | None:
    """The database's migration revision; None before the first migration."""
    with engine.connect() as connection:
        try:
            versions = list(connection.scalars(text("SELECT version_num FROM alembic_version")))
        except DBAPIError:  # no alembic_version table yet
            connection.rollback()
            return None
    if len(versions) > 1:
        raise RuntimeError(f"the database has several migration heads: {versions}")
    return versions[0] if versions else None


def backup_sqlite(engine: Engine, target: Path) -> None:
    """A consistent copy of a live SQLite database (the online backup API: writers may go on).

    PostgreSQL has its own tools (pg_dump); this refuses anything but SQLite.
    """
    if engine.dialect.name != "sqlite":
        raise ValueError("backup_sqlite needs a SQLite database")
    import sqlite3

    target.parent.mkdir(parents=True, exist_ok=True)
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        raw.close()


_heads: dict[str, tuple[str, ...]] = {}


_REVISION = re.compile(r'^revision(?:: str)? = "([^"]+)"', re.M)
_DOWN = re.compile(r'^down_revision(?:: str \| None)? = (?:"([^"]+)"|None)', re.M)


def head_revisions() -> tuple[str, ...]:
    """The migrations' head(s) in this release, read once from the scripts' own lines
    (`revision = "…"`, `down_revision = "…"`) without importing Alembic."""
    if "heads" not in _heads:
        revisions: set[str] = set()
        parents: set[str] = set()
        for script in (MIGRATIONS / "versions").glob("*.py"):
            source = script.read_text(encoding="utf-8")
            found = _REVISION.search(source)
            if found is None:
                continue
            revisions.add(found.group(1))
            down = _DOWN.search(source)
            if down is not None and down.group(1):
                parents.add(down.group(1))
        _heads["heads"] = tuple(sorted(revisions - parents))
    return _heads["heads"]


def migrations_current(engine: Engine) -> bool:
    """True when the database's revision is this release's head (what /readyz asks)."""
    return current_revision(engine) in head_revisions()


class DatabaseInUse(RuntimeError):
    """A `knalle serve` holds the database: it must stop before a restore."""


class NotABackup(ValueError):
    """The file is not a whole SQLite database of Knalle's."""


@contextmanager
def serving_lock(engine: Engine) -> Iterator[None]:
    """Held (shared, so replicas on one file may share it) while `knalle serve` runs on a
    SQLite file; the kernel releases it when the process ends, even by kill -9."""
    path = sqlite_file(engine)
    if path is None:
        yield
        return
    import fcntl

    with open(f"{path}.serve.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def restore_sqlite(engine: Engine, source: Path, keep_current: Path | None = None) -> None:
    """Put the backup `source` in place of the live database, safely after a crash.

    Copying a file over knalle.db leaves the old knalle.db-wal beside it, and the next start
    replays that over the copy ("database disk image is malformed", or newer rows back).
    Instead, the backup is written into the database through SQLite's backup API, which goes
    through the WAL like any writer, and the WAL is then checkpointed and truncated. Refuses
    while a `knalle serve` runs on the file (DatabaseInUse) or when `source` is not a sound
    SQLite database with Knalle's schema (NotABackup). `keep_current` gets a copy of what
    is replaced.
    """
    import fcntl
    import sqlite3

    target = sqlite_file(engine)
    if target is None:
        raise ValueError("restore_sqlite needs a SQLite database file")
    try:
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            ok = backup.execute("PRAGMA quick_check").fetchone()
            tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master")}
        finally:
            backup.close()
    except sqlite3.DatabaseError as error:
        raise NotABackup(str(source)) from error
    if not ok or ok[0] != "ok" or "alembic_version" not in tables:
        raise NotABackup(str(source))
    engine.dispose()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{target}.serve.lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise DatabaseInUse(str(target)) from error
        try:
            live = sqlite3.connect(target)
            try:
                live.execute("PRAGMA journal_mode=WAL")
                if keep_current is not None:
                    copy = sqlite3.connect(keep_current)
                    try:
                        live.backup(copy)
                    finally:
                        copy.close()
                backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
                try:
                    backup.backup(live)
                finally:
                    backup.close()
                live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                live.close()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
