"""The plan's activities: their traffic-light updates and the lights' words."""
