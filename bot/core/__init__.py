"""The core: what Knalle knows and does, with no knowledge of Slack."""
