"""Every Swedish word of the scheduled sends (reminders, digests, visit follow-ups) in one place."""

from __future__ import annotations


def days_text(days: int) -> str:
    return "1 dag" if days == 1 else f"{days} dagar"


def activities_text(count: int) -> str:
    return "1 aktivitet" if count == 1 else f"{count} aktiviteter"


def visits_text(count: int) -> str:
    return "1 besök" if count == 1 else f"{count} besök"


# -- follow-up reminders ---------------------------------------------------------------------

REMINDER_HEADER = "Dags att rapportera inför uppföljningen"
REMINDER_LAST_HEADER = "Sista påminnelsen inför uppföljningen"
REMINDER_INTRO = (
    "Hej {name}! Uppföljningen av verksamhetsplanen är *{followup}* ({period}). "
    "Du har *{count}* som inte är rapporterade den här perioden."
)
REMINDER_DAYS_LEFT = "Det är *{days} kvar* till uppföljningen."
REMINDER_FALLBACK = "{days} kvar till uppföljningen {followup}: {count} att rapportera."
REMINDER_HOW = (
    "Tryck *Uppdatera*, eller skriv `/aktivitet NUMMER grön|gul|röd|grå kommentar`. "
    "Vill du slippa påminnelser en tid: `/aktivitet paus till 10 augusti`."
)
UPDATE_BUTTON = "Uppdatera"
UPDATE_ANY_BUTTON = "Uppdatera en aktivitet"  # opens the form with every activity
LAST_SAID = "Senast: {symbol} {light} – {comment} ({period})"
LAST_SAID_NO_COMMENT = "Senast: {symbol} {light} ({period})"
NEVER_REPORTED = "Senast: {symbol} ej rapporterad än"
MORE_ACTIVITIES = "…och {count} till. Se alla med `/aktivitet mina`."

# -- the team digest -------------------------------------------------------------------------

DIGEST_HEADER = "Veckans Knalle – vecka {week}"
DIGEST_FALLBACK = (
    "Veckans Knalle: {visits} förra veckan, {year_count} av {target} i år, "
    "nästa uppföljning {followup}."
)
DIGEST_VISITS = "*Besök förra veckan* ({start}–{end}): *{count}*"
DIGEST_NO_VISITS = "*Besök förra veckan* ({start}–{end}): inga registrerade."
DIGEST_COMPANIES = "Företag: {companies}"
DIGEST_WHO = "Vem: {people}"
DIGEST_YEAR = (
    "*Året hittills:* {count} av {target} besök. En jämn takt mot målet hade varit {pace} nu"
    " ({state})."
)
DIGEST_AHEAD = "{diff} före"
DIGEST_BEHIND = "{diff} efter"
DIGEST_ON_PACE = "precis i fas"
DIGEST_LIGHTS = "*Aktiviteter efter senaste ljus* ({count}): {lights}"
DIGEST_NO_PLAN = "*Aktiviteter:* ingen verksamhetsplan är inläst (`knalle plan import FIL`)."
DIGEST_NOT_REPORTED = "*Ej rapporterade i {period}* ({count} av {total}):"
DIGEST_ALL_REPORTED = "*Alla aktiviteter är rapporterade i {period}.* 🎉"
DIGEST_NEXT_FOLLOWUP = "*Nästa uppföljning:* {day} (om {days})."
DIGEST_CHART_TITLE = "Besök per månad {year} mot målet {target}"
DIGEST_CHART_FILENAME = "besok-{year}-v{week}.png"
DIGEST_MORE = "…och {count} till."
DIGEST_NO_CHANNEL = (
    "Ingen kanal för veckans sammanfattning: sätt KNALLE_DIGEST_CHANNEL i .env, "
    "eller kör `knalle config set digest_channel C0123ABCD` (kanalens id)."
)

# -- the personal digest ---------------------------------------------------------------------

PERSONAL_HEADER = "Din vecka med Knalle"
PERSONAL_FALLBACK = "Din vecka: {visits} förra veckan, {count} att rapportera."
PERSONAL_VISITS = "*Dina besök förra veckan:* {count}"
PERSONAL_NO_VISITS = "*Dina besök förra veckan:* inga registrerade."
PERSONAL_DUE = "*Att rapportera före uppföljningen {followup}* ({period}): {count}"
PERSONAL_NOTHING_DUE = "*Alla dina aktiviteter är rapporterade i {period}.* Tack!"

# -- visit follow-ups ------------------------------------------------------------------------

VISIT_FOLLOWUP_TEXT = "Dags att följa upp besöket hos *{company}* ({day})."
VISIT_FOLLOWUP_FALLBACK = "Dags att följa upp besöket hos {company}."
VISIT_FOLLOWUP_NOTES = "Du skrev: {notes}"
VISIT_FOLLOWUP_HOW = "Du bad om den här påminnelsen när du registrerade besöket med /besök."

# -- runs (CLI and logs) ---------------------------------------------------------------------

DRY_RUN_ITEM = "── skulle skicka {kind} till {label} ({period}){note}"
# What each kind of send (the ledger's key) is called where an operator or user reads it.
KIND_NAMES = {
    "digest": "veckans sammanfattning",
    "digest-chart": "sammanfattningens diagram",
    "digest-personal": "den personliga sammanfattningen",
    "visit-followup": "påminnelsen om ett besök",
}
REMINDER_KIND = "påminnelsen {days} dagar före"


def kind_name(kind: str) -> str:
    """ "reminder-14" → "påminnelsen 14 dagar före"; an unknown kind as it is."""
    prefix, _, days = kind.partition("reminder-")
    if not prefix and days.isdigit():
        return REMINDER_KIND.format(days=days)
    return KIND_NAMES.get(kind, kind)


DRY_RUN_ALREADY = " – redan skickad, skickas inte igen"
DRY_RUN_FILE = "   + bild: {filename} ({size} byte) till samma kanal"
RUN_SENT = "Skickade {count}."
RUN_ALREADY = "Redan skickade tidigare: {count}."
RUN_FAILED = (
    "Misslyckades: {count} ({items}). Ett misslyckat utskick försöks igen vid nästa körning, "
    "högst 3 gånger."
)
RUN_GAVE_UP = "gav upp efter {attempts} försök ({error})"
RUN_SKIPPED = "Hoppade över {name}: {reason}."
RUN_NOTHING_DUE = "Inga påminnelser ska gå ut {day}. Nästa: {kind} {next_day} inför {followup}."

DIGEST_CAMPAIGNS = "*Kampanjer*"
