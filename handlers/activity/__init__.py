"""`/aktivitet`: the command, the update form, its blocks and its Swedish texts."""
