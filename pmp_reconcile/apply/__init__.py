"""Executing a plan: staleness check, start, poll, retry, resume, report."""
