"""Knalle: the Slack bot of Näringslivsenheten, Borås Stad."""
