"""`knalle staff sync|link|list|admin`: the plan's names connected to Slack users.

Examples: `knalle staff sync` (after `knalle plan import`), `knalle staff link "Anna M" U012AB3CD`,
`knalle staff list`, `knalle staff admin Pia` / `knalle staff admin Pia --av`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any, Protocol, TextIO

from bot.cli.common import audit_cli, exits_on_user_error, run_with_knalle
from bot.context import Knalle
from bot.core.staff.directory import (
    SlackUser,
    SyncReport,
    directory,
    link_staff,
    set_admin,
    sync_directory,
)

SYNC_HELP = "koppla planens namn till Slack-användare (users.list); osäkra namn listas"
LINK_HELP = "koppla ett namn till en Slack-användare för hand: NAMN U…"
LIST_HELP = "visa personalregistret: namn, Slack-id, admin, pausade påminnelser"
ADMIN_HELP = "gör någon till admin i Knalle (--av tar bort det)"
DESCRIPTION = (
    "Personalregistret kopplar planens namn till Slack-användare. Exempel: `knalle staff sync` "
    '(efter `knalle plan import`), `knalle staff link "Anna M" U012AB3CD`, '
    "`knalle staff list`, `knalle staff admin Pia` / `knalle staff admin Pia --av`."
)
NO_TOKEN = (
    "SLACK_BOT_TOKEN saknas: sätt den (i miljön eller .env) för att kunna läsa Slacks användare."
)
NO_STAFF = (
    "Personalregistret är tomt. Kör `knalle plan import FIL` (planens `personal`) "
    "eller `knalle staff link NAMN U… --ny`."
)
PAGE_SIZE = 200


class UsersListClient(Protocol):
    def users_list(self, **kwargs: Any) -> Any: ...


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("staff", help="personalregistret: planens namn ↔ Slack")
    verbs = parser.add_subparsers(dest="staff_command", metavar="VERB", required=True)
    sync = verbs.add_parser("sync", help=SYNC_HELP, description=DESCRIPTION)
    sync.set_defaults(run=_sync)
    link = verbs.add_parser("link", help=LINK_HELP, description=DESCRIPTION)
    link.add_argument("name", metavar="NAMN", help="namnet som planen använder, t.ex. ”Anna M”")
    link.add_argument("user_id", metavar="ANVÄNDAR_ID", help="Slack-id, t.ex. U012AB3CD")
    link.add_argument(
        "--ny", action="store_true", help="lägg till namnet om det inte finns i registret"
    )
    link.set_defaults(run=_link)
    lst = verbs.add_parser("list", help=LIST_HELP, description=DESCRIPTION)
    lst.set_defaults(run=_list)
    admin = verbs.add_parser("admin", help=ADMIN_HELP, description=DESCRIPTION)
    admin.add_argument("name", metavar="NAMN", help="namnet i personalregistret, t.ex. Pia")
    admin.add_argument("--av", "--off", dest="off", action="store_true", help="ta bort admin")
    admin.set_defaults(run=_admin)


def _sync(args: argparse.Namespace) -> int:
    return run_with_knalle(run_sync)


def _link(args: argparse.Namespace) -> int:
    return run_with_knalle(
        lambda knalle: run_link(knalle, args.name, args.user_id, create=args.ny)
    )


def _list(args: argparse.Namespace) -> int:
    return run_with_knalle(run_list)


def _admin(args: argparse.Namespace) -> int:
    return run_with_knalle(lambda knalle: run_admin(knalle, args.name, admin=not args.off))


def fetch_users(client: UsersListClient) -> Iterator[dict[str, Any]]:
    """Every member of the workspace, page by page (users.list is cursor-paginated)."""
    cursor: str | None = None
    while True:
        kwargs: dict[str, Any] = {"limit": PAGE_SIZE}
        if cursor:
            kwargs["cursor"] = cursor
        response = client.users_list(**kwargs)
        yield from response.get("members") or []
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return


def run_sync(
    knalle: Knalle,
    *,
    client: UsersListClient | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    if client is None:
        if not knalle.settings.slack_bot_token:
            print(NO_TOKEN, file=err)
            return 1
        from bot.slack.client import make_web_client

        client = make_web_client(knalle.settings.slack_bot_token, knalle.settings.slack_api_url)
    from slack_sdk.errors import SlackClientError

    try:
        users = [SlackUser.from_member(member) for member in fetch_users(client)]
    except (SlackClientError, OSError) as exc:  # an API error or no connection: store nothing
        print(f"Kunde inte hämta användarna från Slack (users.list): {exc}", file=err)
        return 1
    with knalle.db.write() as session:
        report = sync_directory(session, users)
        if report.linked:
            audit_cli(
                knalle, session, "staff.sync", "staff", "sync",
                after={"linked": {m.name: m.user.id for m in report.linked}},
            )
    print(sync_summary(report, len(users)), file=out)
    return 0


def sync_summary(report: SyncReport, fetched: int) -> str:
    lines = [f"Hämtade {fetched} användare från Slack."]
    if report.linked:
        lines.append(f"Kopplade {len(report.linked)} namn:")
        lines += [f"  {m.name} → {m.user.label}" for m in report.linked]
    else:
        lines.append("Inga nya kopplingar.")
    unplaced = [f"  {name}: ingen aktiv användare passar" for name in report.result.unmatched]
    unplaced += [
        f"  {name}: passar flera – {', '.join(u.label for u in users)}"
        if len(users) > 1
        else f"  {name}: samma användare passar flera namn – {users[0].label}"
        for name, users in report.result.ambiguous.items()
    ]
    unplaced += [
        f"  {m.name}: {m.user.label} är redan kopplad till {other}" for m, other in report.taken
    ]
    if unplaced:
        lines.append("Kunde inte placeras (koppla för hand med `knalle staff link NAMN U…`):")
        lines += unplaced
    if report.already_linked:
        lines.append(f"Redan kopplade sedan tidigare: {report.already_linked}.")
    return "\n".join(lines)


@exits_on_user_error
def run_link(
    knalle: Knalle,
    name: str,
    user_id: str,
    *,
    create: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    with knalle.db.write() as session:
        linked = link_staff(session, name, user_id, knalle.clock.now(), create=create)
        audit_cli(
            knalle, session, "staff.link", "staff", linked.name,
            before={"slack_user_id": linked.replaced},
            after={"slack_user_id": linked.slack_user_id},
        )
    print(f"{linked.name} är kopplad till {linked.slack_user_id}.", file=out)
    if linked.replaced:
        print(f"(Tidigare: {linked.replaced}.)", file=out)
    return 0


@exits_on_user_error
def run_admin(
    knalle: Knalle,
    name: str,
    *,
    admin: bool,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    with knalle.db.write() as session:
        member = set_admin(session, name, admin=admin)
        member_name = member.name
        audit_cli(
            knalle, session, "staff.admin", "staff", member_name,
            before={"is_admin": not admin}, after={"is_admin": admin},
        )
    state = "är nu admin" if admin else "är inte längre admin"
    print(f"{member_name} {state} i Knalle.", file=out)
    return 0


def run_list(knalle: Knalle, *, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    with knalle.db.read() as session:
        rows = directory(session, knalle.clock.now().date(), knalle.settings.admins)
    if not rows:
        print(NO_STAFF, file=out)
        return 0
    table = [("NAMN", "SLACK-ID", "NAMN I SLACK", "ADMIN", "PÅMINNELSER")]
    for row in rows:
        admin = "ja" if row.admin else ""
        if row.admin_from_settings:
            admin = "ja (KNALLE_ADMINS)"
        paused = f"pausade t.o.m. {row.paused_until.isoformat()}" if row.paused_until else ""
        if not row.active:
            paused = "inaktiv"
        table.append(
            (row.name, row.slack_user_id or "– ej kopplad", row.full_name or "", admin, paused)
        )
    widths = [max(len(cells[i]) for cells in table) for i in range(len(table[0]))]
    for cells in table:
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip(), file=out)
    unlinked = sum(1 for row in rows if not row.slack_user_id)
    if unlinked:
        print(
            f"\n{unlinked} namn saknar Slack-id: kör `knalle staff sync` eller "
            "`knalle staff link NAMN U…`.",
            file=out,
        )
    return 0
