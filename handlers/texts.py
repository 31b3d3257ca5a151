"""Swedish texts shared by every surface; each command keeps its own wording in its module."""

UNEXPECTED_ERROR = (
    "Oj, något gick fel hos Knalle. Inget sparades. Försök igen om en stund, "
    "och säg till en administratör om det händer igen."
)

REPLAYED_PREFIX = "(Knalle startade om innan svaret hann fram. Ditt kommando är nu utfört.)"

NOT_TAKEN = (
    "Knalle hann inte ta emot kommandot just nu, så inget sparades. Försök igen om en stund."
)

BAD_USER_ID = "Begäran saknar ett giltigt Slack-id för användaren."
BAD_FIELD_TYPE = "Ett fält i begäran har fel typ. Försök igen från Slack."
BAD_ID = "Knalle känner inte igen det här valet. Skriv kommandot igen så får du nya knappar."
BAD_DATE = "Datumet kunde inte läsas. Välj ett datum i kalendern (ÅÅÅÅ-MM-DD)."
NOT_STAFF = (
    "Knalle är bara öppen för Näringslivsenhetens personal, och du finns inte i "
    "personallistan. Be {admins} att lägga till dig (knalle staff link)."
)
NO_ADMIN_NAMED = "en administratör"
ERROR_TITLE = "Knalle"  # a modal's title when the clicked one had none
ERROR_CLOSE = "Stäng"
