"""Scheduling: APScheduler's jobs and the exactly-once delivery of scheduled sends."""
