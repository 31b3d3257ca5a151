"""Slack's room: one package per surface, each with `register(app, knalle)`, its Block Kit
builders and its Swedish texts; beside them what every surface shares. bot/slack/app.py
registers them all."""
