"""Swedish texts shared by every surface; each command keeps its own wording in its module."""

UNEXPECTED_ERROR = (
    "Oj, något gick fel hos Knalle. Inget sparades. Försök igen om en stund, "
    "och säg till en administratör om det händer igen."
)

REPLAYED_PREFIX = "(Knalle startade om innan svaret hann fram. Ditt kommando är nu utfört.)"

NOT_TAKEN = (
    "Knalle hann inte ta emot kommandot just nu, så inget sparades. Försök igen om en stund."
)
