"""Every Swedish word `/aktivitet rapport` shows, in one place."""

from __future__ import annotations

WORKING = "Jag tar fram uppföljningsrapporten och skickar den till dig som DM …"
SENT = "Uppföljningsrapporten för {period} ligger nu i ditt DM med Knalle."
FILE_TITLE = "Uppföljning {period}"
FILE_COMMENT = (
    "Här är uppföljningen för {period} (läget vid uppföljningsdagen {day}), "
    "med varje aktivitet, sammanfattning, besök och nyckeltal."
)
ONLY_CURRENT = (
    "Du kan ta fram rapporten för den pågående perioden, {current}: skriv "
    "`/aktivitet rapport`. Andra perioder ({asked}) kan en administratör ta fram."
)
UPLOAD_FAILED = (
    "Rapporten blev klar men jag kunde inte skicka den till dig ({error}). Försök igen om en stund."
)
UNKNOWN_ERROR = "okänt fel"  # when Slack names no error code
