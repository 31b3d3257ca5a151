"""The Slack runtime: the Bolt app factory, the Web API client, WSGI and serving."""
