"""The yearly plan: its file, its import, next year's draft, campaign targets."""
