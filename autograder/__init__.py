"""The grader: the test harness learners run, the hidden suites, and the tools that build the course.

- ``harness/``: what every test run needs (fixtures, tolerances, hints, the score
  table). It holds no solution and no hidden test, so it ships to learners.
- ``hidden/``: the hidden test suites, a strict superset of the public ones.
- ``build/``: generators that turn ``solutions/`` into the learner's stubs.
- ``catalog/``: realistic learner bugs and correct variants that prove the tests
  catch the first and never punish the second.
"""
