"""`knalle console`: the real Bolt app and handlers in a terminal, against a local Slack stand-in.

Each line typed becomes the request Slack would send (signed, form-encoded), dispatched to the
same app `knalle serve` runs; whatever the bot sends back to "Slack" is printed as text.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import itertools
import json
import os
import re
import sys
import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from typing import Any, TextIO

from slack_bolt import App

from bot.console.signing import block_actions_body, event_body, sign_request, slash_command_body
from bot.console.standin import RecordedCall, SlackStandIn
from bot.context import Knalle
from bot.core.text import mrkdwn
from bot.slack.app import build_slack_app
from bot.slack.client import make_web_client
from bot.slack.wsgi import to_bolt_request
from handlers.blocks import clip
from handlers.terminal_text import render_blocks, render_view
from storage import staff
from storage.db import serving_lock
from storage.plans import all_plans
from storage.staff import CONSOLE_ID_PREFIX

CONSOLE_USER = "U0KONSOL"
CONSOLE_CHANNEL = "C0KONSOL"
PROMPT = "knalle> "

HELP = """\
Skriv kommandon som i Slack, t.ex.
  /besök Ellos AB igår med KSO, pratade kompetensförsörjning
  /besök lista          /besök hjälp
  /aktivitet mina       /aktivitet hjälp
Konsolens egna kommandon:
  klicka N              tryck på knapp [N] i det senaste svaret
  hem                   visa din hemflik (App Home)
  jag NAMN              var en annan i personallistan (t.ex. "jag Anna M") eller ett Slack-id
  påminn [DATUM]        visa påminnelserna som skulle gå ut DATUM (ÅÅÅÅ-MM-DD; utan: idag)
  sammanfattning [DATUM] visa måndagens sammanfattning som den skulle se ut DATUM
  hjälp                 den här texten
  sluta                 avsluta (eller Ctrl-D)
"""
NO_PLAN_HINT = "Ingen plan än? Kör 'knalle plan import data/plans/boras-2022.yaml' först.\n"

SLASH_COMMANDS = ("/besök", "/besok", "/aktivitet")
REFUSED = "Slack vägrade ({method}): {error} – användaren ser ingenting."
RED, RESET = "\x1b[31m", "\x1b[0m"
EMOJI = {":white_check_mark:": "✅", ":wastebasket:": "🗑", ":tada:": "🎉"}
_USER_ID = re.compile(r"@(U[A-Z0-9]{2,})")
_BOLD = re.compile(r"\*([^*]+)\*")


@dataclass
class _Button:
    action_id: str
    value: str
    block_id: str
    label: str


@dataclass
class ConsoleSession:
    """The state of one terminal conversation: who is typing and which buttons are on screen."""

    knalle: Knalle
    app: App
    standin: SlackStandIn
    out: TextIO
    user_id: str = CONSOLE_USER
    buttons: list[_Button] = field(default_factory=list)
    seen_calls: int = 0
    color: bool = False  # a refusal in red (ANSI) when a person is reading
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    # Slack's identities (trigger_id, event_id) stay unique across sessions on one database.
    _session: str = field(default_factory=lambda: uuid.uuid4().hex[:10])

    # -- input ---------------------------------------------------------------------------

    def handle_line(self, line: str) -> bool:
        """Run one typed line; False when the user wants to leave."""
        line = unicodedata.normalize("NFC", line.strip())
        if not line:
            return True
        word, _, rest = line.partition(" ")
        lowered = word.lower()
        if lowered in {"sluta", "quit", "exit", ":q"}:
            return False
        if lowered in {"hjälp", "help", "?"}:
            self.out.write(HELP)
            with self.knalle.db.read() as session:
                if not all_plans(session):
                    self.out.write(NO_PLAN_HINT)
        elif line.startswith("/"):
            self.slash_command(word, rest)
        elif lowered == "klicka":
            self.click(rest.strip())
        elif lowered == "hem":
            self.open_home()
        elif lowered == "jag":
            self.switch_user(rest.strip())
        elif lowered in {"påminn", "påminnelser"}:
            self.dry_run("reminders", rest.strip())
        elif lowered in {"sammanfattning", "måndag", "digest"}:
            self.dry_run("digest", rest.strip())
        else:
            self.out.write("Det förstod jag inte. Kommandon börjar med / – skriv 'hjälp'.\n")
        return True

    def slash_command(self, command: str, text: str) -> None:
        if command.lower() not in SLASH_COMMANDS:
            self.out.write(
                f"Okänt kommando {command}. Knalle har /besök och /aktivitet – skriv 'hjälp'.\n"
            )
            return
        self._link_mentioned(text)
        name = f"konsol-{next(self._counter)}"
        body = slash_command_body(
            # Slack finds a command whatever its case and sends the name as the manifest has it.
            command.lower(),
            # What Slack does to typed text before it reaches the bot.
            mrkdwn.escape(text),
            self.user_id,
            channel_id=CONSOLE_CHANNEL,
            response_url=self.standin.response_url(name),
            trigger_id=f"{name}.{self._session}.trigger",
        )
        self._dispatch(body)

    def _link_mentioned(self, text: str) -> None:
        """Colleagues typed as "@jonas" get a console id, as Slack's @-list gives a real one.

        In Slack an @-mention is a linked account; in the console the plan's staff have none
        until 'knalle staff sync', so the README's "med @jonas" would name nobody.
        """
        wanted = {m.group(1).casefold() for m in mrkdwn.TYPED_NAME.finditer(text)}
        if not wanted:
            return
        with self.knalle.db.write() as session:
            members = staff.all_staff(session)
            for name in wanted:
                fits = [m for m in members if m.name.casefold() == name] or [
                    m for m in members if m.name.split()[0].casefold() == name
                ]
                if len(fits) == 1 and fits[0].slack_user_id is None:
                    staff.link(session, fits[0], f"{CONSOLE_ID_PREFIX}{fits[0].id:03d}", None)

    def click(self, which: str) -> None:
        if not which.isdigit() or not 1 <= int(which) <= len(self.buttons):
            self.out.write(
                "Ange numret på en knapp i det senaste svaret, t.ex. 'klicka 1'.\n"
                if self.buttons
                else "Det finns ingen knapp att trycka på just nu.\n"
            )
            return
        chosen = self.buttons[int(which) - 1]
        name = f"konsol-{next(self._counter)}"
        payload = {
            "type": "block_actions",
            "user": {"id": self.user_id, "username": self.user_id, "team_id": "T0KNALLE"},
            "team": {"id": "T0KNALLE", "domain": "knalle"},
            "api_app_id": "A0KNALLE",
            "trigger_id": f"{name}.trigger",
            "response_url": self.standin.response_url(name),
            "container": {"type": "message", "channel_id": CONSOLE_CHANNEL, "is_ephemeral": True},
            "channel": {"id": CONSOLE_CHANNEL},
            "actions": [
                {
                    "type": "button",
                    "action_id": chosen.action_id,
                    "block_id": chosen.block_id,
                    "value": chosen.value,
                    "text": {"type": "plain_text", "text": chosen.label},
                }
            ],
        }
        self._dispatch(block_actions_body(payload))

    def open_home(self) -> None:
        event = {
            "type": "app_home_opened",
            "user": self.user_id,
            "channel": "D0HOME",
            "tab": "home",
        }
        self._dispatch(event_body(event, event_id=f"EvKonsol{self._session}{next(self._counter)}"))

    def switch_user(self, who: str) -> None:
        who = who.strip().strip("\"'")
        if not who:
            self.out.write(f"Du är {self._name(self.user_id)}. Skriv 'jag NAMN' för att byta.\n")
            return
        with self.knalle.db.write() as session:
            member = staff.by_name(session, who) or staff.by_slack_id(session, who)
            if member is not None and member.slack_user_id is None:
                console_id = f"{CONSOLE_ID_PREFIX}{member.id:03d}"
                staff.link(session, member, console_id, None)
                self.out.write(
                    f"({member.name} har inget Slack-konto än; i konsolen heter hen {console_id}. "
                    "'knalle staff sync' eller 'staff link' ger det riktiga.)\n"
                )
            user_id = member.slack_user_id if member else None
        if user_id is None and who.upper().startswith("U") and who.isalnum():
            user_id = who.upper()
        if user_id is None:
            self.out.write(
                f'"{who}" finns inte i personallistan. Den fylls av planen '
                "('knalle plan import FIL') och 'knalle staff sync'; du kan också ange ett "
                "Slack-id, t.ex. 'jag U0123ABC'.\n"
            )
            return
        self.user_id = user_id
        self.buttons = []  # the last reply's buttons were someone else's
        self.out.write(f"Du är nu {self._name(user_id)}.\n")

    def dry_run(self, what: str, when: str) -> None:
        """What the scheduler would send on a day, printed and not recorded as sent."""
        from bot.schedule.sends import ScheduledSends

        try:
            day = dt.date.fromisoformat(when) if when else self.knalle.clock.now().date()
        except ValueError:
            self.out.write(f'"{when}" är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-12-01.\n')
            return
        # The team digest is previewed for the console's channel when none is configured.
        with self.knalle.db.read() as session:
            channel = self.knalle.settings_in(session).digest_channel or CONSOLE_CHANNEL
        knalle = replace(
            self.knalle,
            settings=self.knalle.settings.model_copy(update={"digest_channel": channel}),
        )
        sends = ScheduledSends(knalle, None, dry_run=True, out=self.out)
        report = sends.reminders(day) if what == "reminders" else sends.digest(day)
        self.out.write((report.summary() or "Inget att skicka.") + "\n")

    # -- output --------------------------------------------------------------------------

    def _dispatch(self, body: str) -> None:
        headers = sign_request(body, self.knalle.settings.slack_signing_secret or "")
        request = to_bolt_request(body, {k.lower(): v for k, v in headers.items()}, "")
        response = self.app.dispatch(request)
        if response.status != 200:
            self.out.write(f"(Knalle svarade {response.status}: {response.body})\n")
        elif response.body and response.body.strip() not in ("", "{}"):
            self._print_ack(response.body)
        self._print_new_calls()

    def _print_ack(self, body: str) -> None:
        try:
            data = json.loads(body)
        except ValueError:
            self.out.write(body + "\n")
            return
        if isinstance(data, dict) and ("text" in data or "blocks" in data):
            self._print_message("Knalle", data)

    def _print_new_calls(self) -> None:
        calls = self.standin.calls()
        new, self.seen_calls = calls[self.seen_calls :], len(calls)
        for call in new:
            self._print_call(call)

    def _print_call(self, call: RecordedCall) -> None:
        args = call.args
        if args.get("_refused"):
            self._print_refusal(call)
            return
        if call.method == "response_url":
            if args.get("delete_original"):
                return
            self._print_message("Knalle (bara för dig)", args)
        elif call.method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            channel = str(args.get("channel", ""))
            if channel.startswith("D"):
                where = f"DM till {self._name(channel[1:])}"
            elif channel.startswith("U"):
                where = f"DM till {self._name(channel)}"
            else:
                where = channel
            self._print_message(f"Knalle → {where}", args)
        elif call.method in ("views.open", "views.push", "views.update"):
            view = args.get("view") or {}
            self.out.write(self._readable(render_view(view)) + "\n")
            self._collect_buttons(view.get("blocks") or [])
            self.out.write(
                "(Formulär fylls i i Slack. I konsolen skriver du kommandot med text.)\n"
            )
        elif call.method == "views.publish":
            self.out.write(f"── Hemflik för {self._name(str(args.get('user_id')))} ──\n")
            view = args.get("view") or {}
            self.out.write(self._readable(render_view(view)) + "\n")
            self._collect_buttons(view.get("blocks") or [])
        elif call.method == "files.completeUploadExternal":
            for uploaded in self.standin.uploaded_files():
                self.out.write(f"[fil: {uploaded.filename}, {len(uploaded.content)} byte]\n")

    def _print_refusal(self, call: RecordedCall) -> None:
        """What Slack would answer instead of showing the message: its error, in red."""
        refusal = next(
            (r.refusal for r in reversed(self.standin.refusals()) if r.args is call.args), None
        )
        details = "".join(f"\n  {line}" for line in (refusal.messages if refusal else ()))
        text = REFUSED.format(method=call.method, error=call.args["_refused"]) + details
        if self.color:
            text = f"{RED}{text}{RESET}"
        self.out.write(text + "\n")

    def _print_message(self, title: str, message: dict[str, Any]) -> None:
        blocks = message.get("blocks") or []
        self.out.write(f"── {title} ──\n")
        self.out.write(self._readable(render_blocks(blocks, message.get("text"))) + "\n")
        self._collect_buttons(blocks)

    def _readable(self, text: str) -> str:
        """Names for Slack ids and pictures for emoji codes, as Slack would show them."""
        for code, picture in EMOJI.items():
            text = text.replace(code, picture)
        return _USER_ID.sub(lambda match: "@" + self._name(match.group(1)), text)

    def _collect_buttons(self, blocks: list[dict[str, Any]]) -> None:
        found: list[_Button] = []
        for block in blocks:
            elements = block.get("elements") if block.get("type") == "actions" else None
            accessory = block.get("accessory")
            candidates = list(elements or []) + ([accessory] if accessory else [])
            # A button beside a text ("Uppdatera" per activity) is named by that text's subject.
            subject = (
                _BOLD.search(str((block.get("text") or {}).get("text", ""))) if accessory else None
            )
            for element in candidates:
                if element.get("type") == "button":
                    label = (element.get("text") or {}).get("text", "")
                    if subject:
                        label = f"{label} ({clip(subject.group(1), 40)})"
                    found.append(
                        _Button(
                            action_id=element.get("action_id", ""),
                            value=element.get("value", ""),
                            block_id=block.get("block_id", ""),
                            label=label,
                        )
                    )
        self.buttons = found  # "klicka N" means the newest reply, even one without buttons
        if found:
            listing = "  ".join(f"[{i}] {b.label}" for i, b in enumerate(found, start=1))
            self.out.write(f"Knappar: {listing}   (skriv 'klicka N')\n")

    def _name(self, user_id: str) -> str:
        if user_id == CONSOLE_USER:
            return "du (konsolen)"
        with self.knalle.db.read() as session:
            member = staff.by_slack_id(session, user_id)
        return member.name if member else user_id


def open_console(knalle: Knalle, out: TextIO, *, user: str | None = None) -> ConsoleSession:
    """Start the stand-in and the app; the caller feeds lines and closes the stand-in."""
    from bot.slack.serve import warm_up

    standin = SlackStandIn().start()
    # The person at the console owns the local database: let them do what an admin may.
    settings = knalle.settings.model_copy(
        update={
            "admins": [*knalle.settings.admins, CONSOLE_USER],
            "slack_api_url": standin.api_url,
            "slack_signing_secret": knalle.settings.slack_signing_secret or "knalle-konsol",
        }
    )
    console_knalle = Knalle(settings=settings, db=knalle.db, clock=knalle.clock, surface="console")
    client = make_web_client("xoxb-knalle-konsol", standin.api_url)
    app = build_slack_app(console_knalle, client=client, process_before_response=True)
    warm_up()
    session = ConsoleSession(
        knalle=console_knalle, app=app, standin=standin, out=out, color=_is_terminal(out)
    )
    session.seen_calls = len(standin.calls())
    if user:
        session.switch_user(user)
    return session


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


HISTORY_FILE = "~/.knalle_history"
GOODBYE = "Hej då."
INTERRUPTED = "Avbrutet (Ctrl-C). Hej då."


def enable_line_editing(history: str | None = HISTORY_FILE) -> bool:
    """Line editing and history for a person typing (the standard library's readline).

    Arrow keys move in the line and through earlier lines; the history is kept in
    ~/.knalle_history between sessions. False where readline is missing (Windows).
    """
    try:
        import readline
    except ImportError:
        return False
    readline.set_history_length(1000)
    if history:
        path = os.path.expanduser(history)
        with contextlib.suppress(OSError):
            readline.read_history_file(path)

        def save() -> None:
            with contextlib.suppress(OSError):
                readline.write_history_file(path)

        atexit.register(save)
    return True


def _read(stdin: TextIO, out: TextIO, *, interactive: bool, edited: bool) -> str:
    """One line, "" at the end (Ctrl-D); input() when readline edits the line."""
    if edited:
        try:
            return input(PROMPT) + "\n"
        except EOFError:
            return ""
    if interactive:
        out.write(PROMPT)
        out.flush()
    return stdin.readline()


def run_console(knalle: Knalle, stdin: TextIO, out: TextIO, *, user: str | None = None) -> int:
    """Read lines until EOF (Ctrl-D) or 'sluta'; prompts only when a person is typing.

    Ctrl-C ends the session with a Swedish line and exit code 130, never a traceback.
    """
    # `knalle db restore` refuses while this is held, as while `knalle serve` runs (SQLite).
    with serving_lock(knalle.db.engine):
        return _run_console(knalle, stdin, out, user=user)


def _run_console(knalle: Knalle, stdin: TextIO, out: TextIO, *, user: str | None) -> int:
    session = open_console(knalle, out, user=user)
    interactive = _is_terminal(stdin)
    edited = interactive and stdin is sys.stdin and out is sys.stdout and enable_line_editing()
    try:
        if interactive:
            out.write("Knalle i terminalen. Skriv 'hjälp' för exempel, 'sluta' för att avsluta.\n")
        while True:
            line = _read(stdin, out, interactive=interactive, edited=edited)
            if not line:
                if interactive:
                    out.write(f"\n{GOODBYE}\n")
                break
            if not interactive:
                out.write(f"{PROMPT}{line.rstrip()}\n")
            if not session.handle_line(line):
                break
            out.flush()
    except KeyboardInterrupt:
        out.write(f"\n{INTERRUPTED}\n")
        out.flush()
        return 130
    finally:
        session.standin.stop()
    return 0
