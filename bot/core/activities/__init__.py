"""The plan's activities: finding them and recording their traffic-light updates."""
