"""The core: what the bot knows and does, with no knowledge of Slack."""
