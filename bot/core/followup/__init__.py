"""The half-yearly follow-up: periods, the calendar, reminders, digests, pauses."""
