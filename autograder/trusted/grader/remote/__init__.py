"""The trusted side of the sandbox boundary: start the fork server, drive one worker per submission, proxy its objects.

One concept per file: ``client`` (the fork server's client), ``session`` (one
submission's worker, with deadlines and restarts), ``failures`` (how the
worker's failures read here), ``objects`` (proxies of learner objects and
callables) and ``implementation`` (the ``impl`` tests see during grading).
"""
