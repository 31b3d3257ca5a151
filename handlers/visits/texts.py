"""Every Swedish text of `/besök`, and the sv-SE date formats its replies use, in one place."""

from __future__ import annotations

from bot.core.text import sv

# The sv-SE dates live in bot/core/text/sv.py; these names are what handlers/visits/command.py uses.
MONTHS = sv.MONTHS
MONTH_NAMES = sv.MONTH_NAMES
long_date = sv.sv_long_date  # "tis 24 nov 2026": the confirmation, weekday to catch mistakes
short_date = sv.sv_day  # "tis 24 nov" in lists (with `today`, the year when not this year's)
plain_date = sv.sv_date  # "24 nov 2026"


# -- the confirmation --------------------------------------------------------------------------

SAVED = ":white_check_mark: Besöket är sparat. Så här förstod jag det:"
ALREADY_SAVED = (
    ":white_check_mark: Det här besöket var redan sparat för en stund sedan "
    "(samma företag, dag och anteckning):"
)
EDITED = ":pencil2: Besöket är ändrat:"
FALLBACK_SAVED = "Besöket hos {company} {date} är sparat."
LABEL_COMPANY = "Företag"
LABEL_DATE = "Datum"
LABEL_STAFF = "Från enheten"
LABEL_OTHERS = "Övriga"
LABEL_FORM = "Form"
LABEL_NOTES = "Anteckning"
LABEL_FOLLOW_UP = "Följ upp"
LABEL_SOURCE = "Från"
MESSAGE_LINK = "meddelandet i Slack"
NONE = "–"
FOLLOW_UP_NOTE = "(påminnelse till dig den dagen)"
BUTTON_EDIT = "Ändra"
BUTTON_UNDO = "Ångra"
UNDO_CONFIRM_TITLE = "Ångra besöket?"
UNDO_CONFIRM_TEXT = "Besöket hos {company} {date} tas bort ur räkningen."
UNDO_CONFIRM_YES = "Ja, ångra"
UNDONE = ":wastebasket: Besöket hos *{company}* {date} är ångrat och räknas inte längre."

# -- an unsure company -------------------------------------------------------------------------

UNSURE = (
    "Jag är inte säker på vilket företag du menar med *{name}*. "
    "Välj ett av de här, eller ett nytt företag, så sparas besöket:"
)
UNSURE_FALLBACK = "Vilket företag menar du med {name}?"
UNSURE_NOTHING_SAVED = "Inget är sparat än."
BUTTON_NEW_COMPANY = "Nytt företag: {name}"
PENDING_EXPIRED = (
    "Det här valet gick inte att läsa (knappen är för gammal). Skriv besöket igen med `/besök`."
)

# -- questions before anything is stored -------------------------------------------------------

QUESTION_FALLBACK = "Knalle behöver ett svar innan besöket sparas."
SAVE_EACH = "Spara {count} besök, ett per företag"
SAVED_EACH = ":white_check_mark: {count} besök sparade: {names}."
UNSURE_IN_EACH = (
    "Inte sparat: {names} liknar flera företag i registret. Logga det för sig, "
    "t.ex. `/besök {first} …`, så får du välja."
)
BUTTON_UPDATE_EARLIER = "Uppdatera besöket"
BUTTON_SAVE_AS_NEW = "Spara som ett nytt besök"
MEANT_COMMAND = "Menade du `/besök {command}`?"
BUTTON_RUN_COMMAND = "Ja, /besök {command}"
BUTTON_SAVE_LINE = "Nej, logga besök hos {name}"
MEANT_FALLBACK = "Menade du /besök {command}?"

# -- an admin's care of the register (/besök företag NAMN) ----------------------------------

BUTTON_COMPANY_RENAME = "Byt namn"
BUTTON_COMPANY_MERGE = "Slå ihop med …"
BUTTON_COMPANY_REMOVE = "Ta bort"
REMOVE_CONFIRM_TITLE = "Ta bort företaget?"
REMOVE_CONFIRM_TEXT = "{name} tas bort ur registret{visits}. Det går inte att ångra."
REMOVE_CONFIRM_VISITS = " tillsammans med dess {count} besök"
REMOVE_CONFIRM_YES = "Ja, ta bort"
RENAME_TITLE = "Byt namn"
RENAME_LABEL = "Nytt namn på {name}"
RENAME_HINT = "Det gamla namnet hittar företaget fortfarande."
MERGE_TITLE = "Slå ihop"
MERGE_LABEL = "Företaget som {name} ska gå upp i"
MERGE_HINT = "Besöken flyttas dit, och {name} blir ett namn som hittar det företaget."
CARE_SAVE = "Spara"
CARE_DONE = ":white_check_mark: {line}"

# -- the modal ---------------------------------------------------------------------------------

MODAL_NEW_TITLE = "Logga besök"
MODAL_EDIT_TITLE = "Ändra besök"
MODAL_SAVE = "Spara"
MODAL_LOADING = "Hämtar besöket …"
FIELD_COMPANY = "Företag"
FIELD_COMPANY_HINT = "Börja skriva: företag som redan finns föreslås."
FIELD_COMPANY_PLACEHOLDER = "Sök eller skriv ett nytt företag"
FIELD_DATE = "Datum för besöket"
FIELD_COLLEAGUES = "Kollegor som var med"
FIELD_COLLEAGUES_HINT = "Du själv räknas alltid med."
FIELD_OTHERS = "Övriga deltagare"
FIELD_OTHERS_HINT = "T.ex. KSO, kommunalrådet Annette Carlson. Skilj med kommatecken."
FIELD_FORM = "Form"
FORM_ON_SITE = "På plats"
FORM_DIGITAL = "Digitalt (Teams m.m.)"
FIELD_NOTES = "Anteckning"
FIELD_NOTES_HINT = "Vad pratade ni om? Synpunkter, behov, idéer."
FIELD_FOLLOW_UP = "Följ upp (valfritt)"
FIELD_FOLLOW_UP_HINT = "Knalle påminner dig den dagen."
NEW_COMPANY_OPTION = "Nytt företag: {name}"
DATE_MISSING = "Välj dagen då besöket gjordes."
HISTORY_TITLE = "*Historik* (bara admins ser den)"
HISTORY_LINE = "• {when} – {who} via {surface}: {what}"
HISTORY_CHANGED = " ({fields})"
HISTORY_OLDER = "…och {count} äldre. Hela historiken: `knalle audit --visit {visit}`"
HISTORY_EMPTY = "Inga ändringar sparade (besöket loggades före granskningsloggen)."
SURFACES = {"slack": "Slack", "console": "konsolen", "cli": "terminalen", "import": "import"}

# -- lists -------------------------------------------------------------------------------------

LIST_MINE = "Dina senaste besök"
LIST_WEEK = "Besök vecka {week} ({start}–{end})"
LIST_MONTH = "Besök i {month} {year}"
LIST_YEAR = "Besök {year}"
LIST_EMPTY = "Inga besök här än. Logga ett med `/besök Företag AB igår`."
LIST_MORE = "… och {count} till. Skriv `/besök sök ORD` för att hitta ett visst besök."
LIST_COUNT = "{count} besök"
SEARCH_TITLE = "Sökträffar för {query}"
SEARCH_EMPTY = (
    "Inga besök matchar {query}. Sök på företag, ord i anteckningen eller en person, "
    "t.ex. `/besök sök Ellos` eller `/besök sök @pia`."
)
SEARCH_MAX = "Visar de {count} senaste träffarna. Lägg till fler ord för att smalna av."
HISTORY_NONE = "Inga besök loggade hos {name} än."
HISTORY_COUNT = "{count} besök, senast {last}"
HISTORY_DETAILS = "Kluster: {cluster} · Org.nr: {org}"
UNKNOWN = "okänt"
FOLLOW_UP_SHORT = "följ upp {date}"

# -- statistics --------------------------------------------------------------------------------

STATS_TITLE = "Företagsbesök {year}"
STATS_SUMMARY = "*{total}* besök av målet *{target}* ({percent} %)."
STATS_PACE_AHEAD = "Före målets takt: jämnt fördelat skulle vi ha haft {expected} besök {date}."
STATS_PACE_BEHIND = (
    "Efter målets takt: jämnt fördelat skulle vi ha haft {expected} besök {date}. "
    "{left} besök kvar till målet."
)
STATS_PACE_DONE = "Målet är nått. :tada:"
STATS_YEAR_MISSED = "Året slutade {left} besök från målet."
STATS_BY_MONTH = "*Per månad*"
STATS_BY_CLUSTER = "*Per kluster*"
STATS_NO_CLUSTER = "Inga besök registrerade."

# -- errors and help ---------------------------------------------------------------------------


HELP = """\
*Logga ett företagsbesök på en rad:*
`/besök Ellos AB igår med @pia, pratade kompetensförsörjning`
`/besök Textile Fashion Center i tisdags och KSO digitalt`
`/besök Maj's Bageri 3 mars med @jonas och kommunalrådet Annette Carlson, följ upp om 2 veckor`
Först företaget, sedan datum (idag, i morse, igår em, i förrgår, i tisdags, förra fredagen, \
måndag v.47, för 3 dagar sedan, den 3:e, 3 mars, 3/2, 30.11, 2023-02-03; utan datum gäller \
idag; en vecka utan dag ger en fråga om dagen), sedan vilka som var med: \
kollegor med @ och andra med "och …". "digitalt" eller "Teams" ger formen digitalt. \
Allt efter ett kommatecken blir anteckning. "följ upp om 2 veckor" ger en påminnelse.

*Annat du kan skriva:*
`/besök` – ett formulär med alla fält
`/besök lista` – dina senaste besök (`lista vecka`, `lista månad`, `lista år` för hela enheten)
`/besök sök kompetens` – sök bland företag, anteckningar och personer
`/besök företag Ellos` – alla besök hos ett företag
`/besök statistik` – årets besök mot målet, per månad och kluster (`statistik 2025`)
`/besök synpunkter` – vad företagen tog upp, per tema (`synpunkter 2025`)
`/besök ångra` – ångra ditt senaste besök
`/besök hjälp` – den här texten

Heter företaget som ett kommando (t.ex. Företag & Co), skriv namnet inom citattecken: \
`/besök "Företag & Co" igår`.

*Besök du redan skrivit i Slack:*
På ett meddelande: ⋯ → *Spara som besök* öppnar formuläret ifyllt från meddelandet.
I besökskanalen frågar Knalle dig (bara dig) när ditt meddelande låter som ett besök, \
t.ex. "Besökte Ellos AB idag med @pia" eller "Var hos Hemtex igår": Spara, Ändra eller \
Inte ett besök.

Ändra och ångra kan bara den som loggade besöket, eller en admin.\
"""
HELP_FALLBACK = "Så loggar du besök med /besök"

FIELD_THEMES = "Teman"
FIELD_THEMES_HINT = (
    "Knalle föreslår teman ur anteckningen. Ändrar du här gäller ditt val, även när listan ändras."
)
FIELD_THEMES_PLACEHOLDER = "Välj teman"

SYNPUNKTER_TITLE = "Synpunkter {year}"
SYNPUNKTER_SUMMARY = (
    "{visits} besök t.o.m. {date}, varav {tagged} med minst ett tema. Ett besök kan ha flera teman."
)
SYNPUNKTER_NONE = "Inga besök med teman {year} än."
SYNPUNKTER_COUNTS = "*Per tema* (antal besök)"
SYNPUNKTER_THEME = "*{name}* – {count} besök"
SYNPUNKTER_BY_CLUSTER = "Per kluster: {clusters}"
SYNPUNKTER_QUOTE = "> {company}, {date}: ”{excerpt}”"
SYNPUNKTER_MORE = (
    "Hela sammanställningen med alla citat: `knalle synpunkter --year {year} --format docx`."
)
SYNPUNKTER_FALLBACK = "Synpunkter {year}: {tagged} av {visits} besök med tema"
LABEL_THEMES = "Teman"
STATS_CAMPAIGNS = "*Kampanjer*"


# -- visits from messages: the shortcut "Spara som besök" and the visit channel ----------------

ALREADY_FROM_MESSAGE = ":white_check_mark: Det här meddelandet är redan sparat som besök:"
MODAL_FROM_MESSAGE_TITLE = "Spara som besök"
MODAL_FROM_MESSAGE_LOADING = "Läser meddelandet …"
MODAL_SAVED_TITLE = "Redan sparat"
FROM_MESSAGE_NOT_READ = (
    "Jag kunde inte läsa ett besök i meddelandet ({reason}). Fyll i fälten; meddelandet står "
    "i anteckningen."
)
FROM_MESSAGE_UNSURE = "Kontrollera: {reason}."
FROM_MESSAGE_CONTEXT = "Från <@{author}>s meddelande {date}."
QUESTION = "Var det här ett företagsbesök? Så här läste jag ditt meddelande:"
QUESTION_UPDATED = "Du ändrade meddelandet. Så här läser jag det nu:"
QUESTION_FALLBACK = "Spara ditt meddelande om {company} som besök?"
QUESTION_UNSURE = "Osäkert: {reason}."
BUTTON_SAVE = "Spara"
BUTTON_NOT_A_VISIT = "Inte ett besök"
DISMISSED = "Okej, meddelandet räknas inte som besök."
MESSAGE_GONE = "Meddelandet finns inte längre, så det går inte att spara."
MESSAGE_NOT_A_VISIT_NOW = (
    "Meddelandet läses inte längre som ett besök ({reason}). Använd genvägen "
    "Spara som besök på meddelandet, eller /besök."
)
MESSAGE_UNSURE_COMPANY = (
    "{name} liknar ett företag i registret. Tryck Ändra och välj rätt företag, eller Nytt företag."
)
