"""`knalle console`: the console, its local Slack stand-in and its terminal renderer."""
