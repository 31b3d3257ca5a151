"""Text as people write it: Swedish dates, sv-SE formats, text made safe, Slack's format."""
