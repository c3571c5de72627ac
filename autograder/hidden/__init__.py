"""Hidden test suites (instructor only): a strict superset of the public tests, graded against the reference."""
