"""`/aktivitet rapport`: the follow-up report sent by DM."""
