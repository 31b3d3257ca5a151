"""Every Swedish word the /aktivitet command, its modal and the Home tab show, in one place."""

from __future__ import annotations

from bot.core.plan.lights import NOT_REPORTED, NOT_REPORTED_SYMBOL, SYMBOL, Light


def light_label(light: Light | None) -> str:
    if light is None:
        return f"{NOT_REPORTED_SYMBOL} {NOT_REPORTED}"
    return f"{SYMBOL[light]} {light.value}"


HELP = """\
*`/aktivitet` – rapportera verksamhetsplanens aktiviteter*
• `/aktivitet NAMN-ELLER-NUMMER LJUS KOMMENTAR` sparar en uppdatering, t.ex.
   `/aktivitet Företagsamt gul Decembernumret försenat` eller `/aktivitet 1.5.6 grön Klart`.
   Namnet kan vara en del av aktivitetens namn; finns flera som passar får du välja.
• `/aktivitet` utan text öppnar ett formulär med dina aktiviteter först.
• `/aktivitet mina` visar dina aktiviteter med ljus och senaste uppdatering.
• `/aktivitet visa NAMN` visar en aktivitet med syfte, mål, ägare, prio och hela historiken.
• `/aktivitet paus till 10 augusti` pausar Knalles DM (påminnelser och sammanfattningar) \
till ett datum; `/aktivitet fortsätt` slår på dem igen.
• `/aktivitet hjälp` visar den här texten.
*Ljusen:* {legend}
Vem som helst får uppdatera en aktivitet; ägarna ser vem som gjorde det."""

# -- replies to a recorded update --------------------------------------------------------------
SAVED_FALLBACK = "Sparat: {activity} {light}"
SAVED = "Sparat: {symbol} *{activity}* – {light}"
ALREADY_SAVED = "Redan sparat (samma uppdatering skickades två gånger): {symbol} *{activity}*"
SAVED_CONTEXT = "Period {period} · ägare: {owners} · av {author}"
PICK_PROMPT = "{question} Välj en, så sparas {symbol} {light} med din kommentar."
PICK_FALLBACK = "Flera aktiviteter passar – välj en."
NO_OWNERS = "inga"
AUTHOR_PLAN_FILE = "planfilen"  # an update imported with the plan: written before Knalle
AUTHOR_UNKNOWN = "okänd"
OWNER_TOLD = "{author} uppdaterade din aktivitet {symbol} *{activity}* – {light}"
OWNER_TOLD_FALLBACK = "{author} uppdaterade {activity}"

# -- /aktivitet mina --------------------------------------------------------------------------
MINE_HEADER = "Dina aktiviteter ({name}) – period {period}"
MINE_EMPTY = (
    "Inga aktiviteter i planen har dig ({name}) eller \u201dAlla\u201d som ägare. "
    "`/aktivitet visa NAMN` visar vilken aktivitet som helst."
)
HELP_FALLBACK = "Så använder du /aktivitet"
MEANT_COMMAND = "Menade du `/aktivitet {command}`?"
MEANT_FALLBACK = "Menade du /aktivitet {command}?"
BUTTON_RUN_COMMAND = "Ja, /aktivitet {command}"
NOT_LINKED_FALLBACK = "Du är inte kopplad i personallistan"
NOT_LINKED = (
    "Knalle vet inte vem du är i verksamhetsplanen: ditt Slack-konto är inte kopplat till ett "
    "namn i personallistan. Be en administratör köra `knalle staff link DITT-NAMN {user_id}` "
    "(t.ex. `knalle staff link \u201dAnna M\u201d {user_id}`)."
)
LAST_UPDATE = "senast {light}: {comment} ({author}, {date})"
NO_UPDATE = "ingen uppdatering än"
TRUNCATED = "…och {count} till. Alla finns i formuläret under «Uppdatera en aktivitet»."
UPDATE_BUTTON = "Uppdatera"
UPDATE_ANY_BUTTON = "Uppdatera en aktivitet"  # opens the form with every activity

# -- /aktivitet visa --------------------------------------------------------------------------
SHOW_USAGE = (
    "Skriv vilken aktivitet du vill se, t.ex. `/aktivitet visa Företagsamt` "
    "eller `/aktivitet visa 1.5.6`."
)
SHOW_FIELDS = (
    "*Syfte:* {purpose}",
    "*Mål:* {goal}",
)
SHOW_META = "*Ägare:* {owners}   *Prio:* {priority}   *När:* {years}   *Uppföljning:* {rule}"
SHOW_ACTIONS = "*Åtgärder:*\n{actions}"
SHOW_HISTORY = "*Historik* ({count} uppdateringar, äldst först)"
SHOW_NO_HISTORY = "*Historik:* ingen uppdatering än."
HISTORY_LINE = "{date} · {period} · {light} · {author}\n>{comment}"
HISTORY_TRUNCATED = "…och {count} äldre uppdateringar som inte får plats här."
NOTHING = "–"

# -- the update modal -------------------------------------------------------------------------
MODAL_TITLE = "Uppdatera aktivitet"
MODAL_LOADING_TITLE = "Knalle"
MODAL_LOADING = "Hämtar aktiviteterna…"
MODAL_SUBMIT = "Spara"
MODAL_NO_PLAN_TITLE = "Ingen plan"
ACTIVITY_LABEL = "Aktivitet"
ACTIVITY_PLACEHOLDER = "Välj aktivitet"
GROUP_MINE = "Mina aktiviteter"
GROUP_ALL = "Alla aktiviteter"
GROUP_CHAPTER = "Kapitel {chapter}"
LIGHT_LABEL = "Ljus"
COMMENT_LABEL = "Kommentar"
COMMENT_PLACEHOLDER = "Vad har hänt sedan sist? T.ex. Decembernumret försenat."
MODAL_HINT = "Vem som helst får uppdatera; ägarna ser vem som gjorde det. Period {period}."
ERROR_NO_ACTIVITY = "Välj vilken aktivitet du uppdaterar."
ERROR_NO_LIGHT = "Välj ett ljus: grön, gul, röd eller grå."

# -- pauses -----------------------------------------------------------------------------------
PAUSE_USAGE = (
    "Skriv när DM:en ska komma igen, t.ex. `/aktivitet paus till 10 augusti` eller "
    "`/aktivitet paus om 2 veckor`."
)
PAUSE_UNREADABLE = (
    "\u201d{phrase}\u201d kan jag inte läsa som ett datum. Skriv t.ex. "
    "`/aktivitet paus till 10 augusti`, `/aktivitet paus om 2 veckor` "
    "eller ett datum som 2026-08-10."
)
PAUSED = (
    "Pausat: du får inga DM från Knalle (påminnelser och sammanfattningar) förrän {date}. "
    "`/aktivitet fortsätt` slår på dem igen."
)
RESUMED = "Klart: du får Knalles DM igen."
NOT_PAUSED = "Dina DM var inte pausade; du får dem som vanligt."
PAUSE_MODAL_TITLE = "Pausa DM"
PAUSE_MODAL_SUBMIT = "Pausa"
PAUSE_MODAL_TEXT = (
    "Knalle skickar inga påminnelser eller sammanfattningar till dig före datumet du väljer."
)
PAUSE_MODAL_LABEL = "Pausa till och med dagen före"
PAUSE_MODAL_NO_DATE = "Välj ett datum efter i dag."

# -- Home tab ---------------------------------------------------------------------------------
HOME_HEADER = "Knalle – din översikt"
HOME_NOT_LINKED = NOT_LINKED
HOME_MINE = "*Mina aktiviteter* – period {period}, uppföljning {followup}"
HOME_NO_ACTIVITIES = "Du äger inga aktiviteter i planen just nu."
HOME_ACTIVITY = "{symbol} *{activity}*\n{last}"
HOME_TRUNCATED = "…och {count} aktiviteter till som inte får plats. `/aktivitet mina` visar alla."
HOME_DUE = "*Att rapportera före uppföljningen {followup}* ({days})"
HOME_DUE_DAYS = "om {days} dagar"
HOME_DUE_TODAY = "i dag"
HOME_DUE_NONE = "*Att rapportera:* allt är rapporterat för {period}. Tack!"
HOME_VISITS = "*Mina senaste besök*"
HOME_NO_VISITS = "*Mina senaste besök:* inga än. Logga ett med `/besök Företag igår`."
HOME_VISIT = "• {date} – {company} ({form})"
HOME_VISIT_LINK = " · {link}"  # the Slack message the visit was read from
HOME_TEAM = (
    "*Teamets besök {year}:* {count} av målet {target}. "
    "I jämn takt skulle vi ha varit på {pace} i dag{verdict}."
)
HOME_AHEAD = " – vi ligger {diff} före"
HOME_BEHIND = " – vi ligger {diff} efter"
HOME_ON_PACE = " – precis i takt"
HOME_KEY_FIGURES = "*Nyckeltal {year}*"
HOME_KEY_FIGURE = "• {name}: mål {target}, utfall {outcome}{met}"
HOME_MET = " ✅"
HOME_NOT_MET = " ❌"
HOME_PAUSED = "🔕 Dina DM från Knalle är pausade till {date}."
HOME_NOT_PAUSED = "🔔 Knalle skickar påminnelser och sammanfattningar till dig som DM."
HOME_PAUSE_BUTTON = "Pausa DM"
HOME_RESUME_BUTTON = "Slå på DM igen"

HOME_CAMPAIGNS = "*Kampanjer*"
