"""The yearly plan: its file, its lights, its import, next year's draft, campaign targets."""
