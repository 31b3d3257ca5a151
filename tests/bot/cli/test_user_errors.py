"""The terminal's one error path: a user error's Swedish message on the verb's stderr, exit 1."""

from __future__ import annotations

import io
from typing import TextIO

import pytest

from bot.cli.common import exits_on_user_error
from bot.errors import NotFound


@exits_on_user_error
def _with_err(name: str, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    raise NotFound(f"Ingen som heter {name} finns i personallistan.")


@exits_on_user_error
def _with_stderr(stdout: TextIO, stderr: TextIO) -> int:
    stdout.write("påbörjat\n")
    raise NotFound("Perioden 2031-H1 har ingen plan.")


def test_the_message_goes_to_the_stream_the_verb_was_given() -> None:
    err = io.StringIO()
    assert _with_err("Åsa Öberg", err=err) == 1
    assert err.getvalue() == "Ingen som heter Åsa Öberg finns i personallistan.\n"

    out, stderr = io.StringIO(), io.StringIO()
    assert _with_stderr(out, stderr) == 1
    assert stderr.getvalue() == "Perioden 2031-H1 har ingen plan.\n"
    assert out.getvalue() == "påbörjat\n"


def test_without_a_stream_the_message_goes_to_the_process_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _with_err("Pia") == 1
    captured = capsys.readouterr()
    assert captured.err == "Ingen som heter Pia finns i personallistan.\n" and captured.out == ""


def test_other_errors_are_not_caught() -> None:
    @exits_on_user_error
    def broken(err: TextIO | None = None) -> int:
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError):
        broken(err=io.StringIO())
