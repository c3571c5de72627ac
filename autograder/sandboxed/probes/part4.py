"""Part 4 probes: run a learner's function on one of the test models, built next to it.

A test cannot hand a Python callable across the sandbox boundary, so it sends
a model spec (``lm_models``) instead; the model is built here, the learner's
function calls it, and the result comes back together with the model's call log.
"""

from autograder.sandboxed.probes import probe
from autograder.shared import lm_models


@probe
def with_model(function, spec: dict, *args, **kwargs) -> dict:
    """``function(model, *args, **kwargs)`` for the model ``spec`` describes: ``{"out": result, **call log}``.

    The log also says whether the call changed the model's weights (``unchanged``).
    """
    model = lm_models.build(spec)
    weights = {name: value.detach().clone() for name, value in spec.items() if hasattr(value, "detach")}
    out = function(model, *args, **kwargs)
    unchanged = all(value.equal(getattr(model, name)) for name, value in weights.items())
    return {"out": out, **model.log(), "unchanged": unchanged}
