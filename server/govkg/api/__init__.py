"""Named questions: every ``queries/*.rq`` file served as a typed REST operation."""
