"""The one error path: user errors shown escaped, unknown errors as an apology."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock

import pytest
from slack_bolt import Respond

import handlers
from bot.errors import InvalidInput, NotAllowed
from handlers import texts
from handlers.blocks import section
from handlers.errors import answers_errors, message_for


def test_user_error_text_is_escaped_so_quoted_input_cannot_ping() -> None:
    message = message_for(InvalidInput('Företaget "<!channel> & co" finns inte.'))
    assert message == 'Företaget "&lt;!channel&gt; &amp; co" finns inte.'


def test_unknown_errors_get_the_apology_not_the_details() -> None:
    assert message_for(RuntimeError("password=hunter2")) == texts.UNEXPECTED_ERROR


# -- the one wrapper every surface's entry function wears ------------------------------------

CLICK = {
    "type": "block_actions",
    "user": {"id": "UPIA"},
    "response_url": "https://hooks.slack.invalid/a",
    "actions": [{"value": "x"}],
}


@answers_errors
def _command(knalle: object, command: dict[str, Any], respond: Respond, client: Any) -> None:
    raise NotAllowed(str(command["text"]))


@answers_errors
def _click(body: dict[str, Any], respond: Respond | None, client: Any = None) -> None:
    raise InvalidInput("Knappen är för gammal: <!here>")


def test_a_command_error_is_answered_through_the_commands_own_respond() -> None:
    respond, client = MagicMock(), MagicMock()
    _command(None, {"command": "/besök", "text": "Nej & <!channel>"}, respond, client)
    reply = respond.call_args.kwargs
    assert reply["text"] == "Nej &amp; &lt;!channel&gt;" and reply["response_type"] == "ephemeral"
    assert reply["blocks"] == [section("Nej &amp; &lt;!channel&gt;")]
    assert client.chat_postMessage.call_count == 0  # no response_url: still its respond


def test_a_click_error_keeps_the_question_and_a_home_click_gets_a_dm() -> None:
    respond = MagicMock()
    _click(CLICK, respond)
    assert respond.call_args.kwargs["replace_original"] is False
    assert "&lt;!here&gt;" in respond.call_args.kwargs["text"]

    client = MagicMock()
    home = {"type": "block_actions", "user": {"id": "UPIA"}, "view": {"type": "home"}}
    _click(home, None, client)
    assert client.chat_postMessage.call_args.kwargs["channel"] == "UPIA"


def test_the_wrapper_answers_only_user_errors() -> None:
    @answers_errors
    def broken(body: dict[str, Any], respond: Respond) -> None:
        raise RuntimeError("a bug")

    respond = MagicMock()
    with pytest.raises(RuntimeError):
        broken(CLICK, respond)
    assert respond.call_count == 0  # the app's error handler or the intake apologises


def test_the_wrapper_refuses_a_handler_with_no_way_to_answer() -> None:
    def silent(body: dict[str, Any]) -> None: ...

    with pytest.raises(TypeError):
        answers_errors(silent)


# A local `except UserError` in a surface must say why the shared path cannot answer instead.
LOCAL_EXCEPTS_THAT_STAY = {
    "_picked_day": "an unreadable date becomes a field error of the form",
    "parse_pick_value": "a garbled button value is told as 'write the visit again'",
    "handle_care_submission": "the error is shown under the field; the modal stays open",
    "handle_submission": "field errors keep the modal open; /aktivitet's, after the ack, go"
    " where the receipt would",
    "fill_edit_modal": "the opened loading modal becomes a notice",
    "handle_edit": "the opened loading modal becomes a notice",
    "open_update_modal": "the opened loading modal says there is no plan",
    "precheck": "the report's refusal is the ack itself, before anything is saved",
    "handle_pause_submission": "refused after validation (a race): logged, the Home tab refreshed",
    "answering": "the wrapper itself",
}


def _catches_user_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return False
    named = {n.id for n in ast.walk(handler.type) if isinstance(n, ast.Name)}
    named |= {n.attr for n in ast.walk(handler.type) if isinstance(n, ast.Attribute)}
    return "UserError" in named


def _functions_catching_user_errors(tree: ast.AST) -> set[str]:
    """The innermost function around each `except …UserError…`."""
    found: set[str] = set()

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ExceptHandler) and _catches_user_error(child):
                found.add(function)
            inner = child.name if isinstance(child, ast.FunctionDef) else function
            visit(child, inner)

    visit(tree, "<module>")
    return found


def test_user_errors_are_caught_locally_only_where_the_shared_path_cannot_answer() -> None:
    found: set[str] = set()
    for path in Path(handlers.__file__).parent.rglob("*.py"):
        found |= _functions_catching_user_errors(ast.parse(path.read_text(encoding="utf-8")))
    assert found <= set(LOCAL_EXCEPTS_THAT_STAY), found - set(LOCAL_EXCEPTS_THAT_STAY)
    sample = "def f():\n    try:\n        g()\n    except (ValueError, UserError):\n        pass\n"
    assert _functions_catching_user_errors(ast.parse(sample)) == {"f"}
