"""Generators that derive learner material from ``solutions/`` (the single source of truth)."""
