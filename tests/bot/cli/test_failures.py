"""Clear Swedish lines, never tracebacks: bad settings, an unreachable database, Ctrl-C/Ctrl-D."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot import cli
from bot.config import Settings
from bot.console.session import GOODBYE, INTERRUPTED, enable_line_editing, run_console
from bot.context import Knalle
from bot.slack.serve import missing_slack_settings


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.err + captured.out


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no .env of the worktree
    monkeypatch.setenv("KNALLE_DATABASE_URL", f"sqlite:///{tmp_path / 'k.db'}")
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "KNALLE_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_a_bad_timezone_names_the_setting(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("KNALLE_TIMEZONE", "Mars/Olympus")
    code, text = run(capsys, "company", "list")
    assert code == 2
    assert "KNALLE_TIMEZONE" in text and "Europe/Stockholm" in text
    assert "Traceback" not in text and len(text.strip().splitlines()) <= 2


def test_a_bad_database_url_names_the_setting(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("KNALLE_DATABASE_URL", "nonsense://x")
    code, text = run(capsys, "company", "list")
    assert code == 2 and "KNALLE_DATABASE_URL kan inte läsas" in text and "sqlite:///" in text
    assert "Traceback" not in text and len(text.strip().splitlines()) <= 2


@pytest.mark.parametrize(
    "url",
    ["postgresql+psycopg://knalle:hemligt@127.0.0.1:1/knalle", "sqlite:////nonexistent/dir/k.db"],
)
def test_an_unreachable_database_says_so_and_hides_the_password(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    env.setenv("KNALLE_DATABASE_URL", url)
    code, text = run(capsys, "company", "list")
    assert code == 1 and "Databasen går inte att nå" in text and "KNALLE_DATABASE_URL" in text
    assert "hemligt" not in text and "Traceback" not in text


def test_only_one_slack_setting_names_the_missing_one() -> None:
    bot_only = Settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="")
    secret_only = Settings(SLACK_BOT_TOKEN="", SLACK_SIGNING_SECRET="s3")
    assert missing_slack_settings(bot_only).startswith("SLACK_SIGNING_SECRET saknas")
    assert missing_slack_settings(secret_only).startswith("SLACK_BOT_TOKEN saknas")


def test_serve_with_one_token_exits_non_zero(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    with pytest.raises(SystemExit) as stopped:
        cli.main(["serve"])
    assert "SLACK_SIGNING_SECRET saknas" in str(stopped.value.code)


class Terminal(io.StringIO):
    """A typing person: a tty whose lines run out (Ctrl-D) or who presses Ctrl-C."""

    def __init__(self, text: str = "", *, interrupt: bool = False) -> None:
        super().__init__(text)
        self.interrupt = interrupt

    def isatty(self) -> bool:
        return True

    # typeshed gives `_io._IOBase.readline` a bytes result and silences the same clash on
    # StringIO's own readline; a text stream's readline returns str.
    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        line = super().readline()
        if not line and self.interrupt:
            raise KeyboardInterrupt
        return line


def test_ctrl_d_ends_the_console_with_a_goodbye(sqlite_knalle: Knalle) -> None:
    out = io.StringIO()
    assert run_console(sqlite_knalle, Terminal("/besök hjälp\n"), out) == 0
    assert out.getvalue().rstrip().endswith(GOODBYE) and "Traceback" not in out.getvalue()


def test_ctrl_c_ends_the_console_in_swedish_and_non_zero(sqlite_knalle: Knalle) -> None:
    out = io.StringIO()
    assert run_console(sqlite_knalle, Terminal(interrupt=True), out) == 130
    assert INTERRUPTED in out.getvalue() and "Traceback" not in out.getvalue()


def test_line_editing_keeps_a_history(tmp_path: Path) -> None:
    readline = pytest.importorskip("readline")
    history = tmp_path / "history"
    history.write_text("/besök lista\n")
    assert enable_line_editing(str(history)) is True
    assert readline.get_history_item(readline.get_current_history_length()) == "/besök lista"


def test_a_restore_is_refused_while_the_console_runs(sqlite_knalle: Knalle, tmp_path: Path) -> None:
    # The console is the whole bot on the same file: a restore under it is as unsafe as under
    # `knalle serve`, and is refused the same way.
    import sqlite3

    from storage.db import DatabaseInUse, restore_sqlite

    copy = tmp_path / "kopia.db"
    source, target = sqlite3.connect(tmp_path / "knalle.db"), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    tried: list[BaseException | None] = []

    class Restorer(Terminal):
        def readline(self, size: int | None = -1) -> str:  # type: ignore[override]  # as above
            if not tried:
                try:
                    restore_sqlite(sqlite_knalle.db.engine, copy)
                    tried.append(None)
                except DatabaseInUse as error:
                    tried.append(error)
            return super().readline(size)

    assert run_console(sqlite_knalle, Restorer("/besök hjälp\n"), io.StringIO()) == 0
    assert len(tried) == 1 and isinstance(tried[0], DatabaseInUse), tried
    restore_sqlite(sqlite_knalle.db.engine, copy)  # once the console has ended, it goes ahead
