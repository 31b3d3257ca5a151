"""What scheduled sends say: reminders, digests and visit follow-ups as Block Kit."""
