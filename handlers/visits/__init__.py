"""`/besök`: the command, its message shortcut, its blocks and its Swedish texts."""
