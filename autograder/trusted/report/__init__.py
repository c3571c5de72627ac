"""What an instructor reads about a graded class.

- ``report``: ``report.html``, the score distribution and the pass rate of each test;
- ``mistakes``: failures grouped by API, kind and likely cause (``common_mistakes.csv``);
- ``regrade``: what changed since the previous grading (``tests.csv``, ``regrade.csv``);
- ``similarity``: copydetect's ranking of suspiciously similar submissions;
- ``browser``: headless Chromium that checks what a person will look at.
"""
