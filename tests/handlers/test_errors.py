"""The one error path: user errors shown escaped, unknown errors as an apology."""

from __future__ import annotations

from bot.errors import InvalidInput
from handlers import texts
from handlers.errors import message_for


def test_user_error_text_is_escaped_so_quoted_input_cannot_ping() -> None:
    message = message_for(InvalidInput('Företaget "<!channel> & co" finns inte.'))
    assert message == 'Företaget "&lt;!channel&gt; &amp; co" finns inte.'


def test_unknown_errors_get_the_apology_not_the_details() -> None:
    assert message_for(RuntimeError("password=hunter2")) == texts.UNEXPECTED_ERROR
