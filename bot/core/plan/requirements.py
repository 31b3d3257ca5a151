"""What a campaign may require of a visit besides being one: today, that a politician was there.

Its own module so that counting campaigns (bot/core/plan/campaigns.py, on every start) does not
load the plan file's reader and its pydantic records (bot/core/plan/file.py)."""

from __future__ import annotations

REQUIRES_POLITICIAN = "minst en politiker"
CAMPAIGN_REQUIREMENTS = (REQUIRES_POLITICIAN,)
