"""The words of the probes, the test models and the device check: misused models and tensors off the device.

The learner reads them when a probe finds their module's parameters or state_dict
keys off the contract, when they call a Part 4 test model wrongly, and when their
code mixes devices, reads values back to the CPU or returns something else on an
accelerator. Imported by both sides: the sandboxed probes and placement check
(``probes/*.py``, ``placement.py``), ``shared/lm_models.py``, and the trusted
device check (``harness/device_check.py``).
"""


def model_wants_token_ids(got: str) -> str:
    """A Part 4 test model was called with something else than a (B, T) int64 tensor (``got`` describes it)."""
    return f"a model takes (B, T) int64 token ids, got {got}"


def model_needs_tokens(shape: tuple) -> str:
    return f"a model needs at least one row and one token, got shape {shape}"


def model_context_exceeded(context: int, tokens: int) -> str:
    return f"this model sees at most max_len={context} tokens, it was given {tokens}"


def token_ids_out_of_range(vocab_size: int) -> str:
    return f"token ids must lie in [0, {vocab_size})"


def parameter_count(expected: int, layers: int, got: int) -> str:
    return f"expected {expected} tensors for {layers} Linear layers, got {got}"


def state_dict_keys(missing: list[str], extra: list[str]) -> str:
    """A module's state_dict keys, said in the contract's terms before load_state_dict says it in its own."""
    return (
        f"the module's state_dict keys must be the contract's: missing {', '.join(missing) or 'none'}; "
        f"not in the contract {', '.join(extra) or 'none'}"
    )


SIMULATED_GPU = "a simulated GPU"  # how the simulated accelerator of a device check is named
MAKE_ON_DEVICE = (
    "a tensor made without the inputs' device; pass device=<input>.device (or use torch.zeros_like and friends)"
)
KEEP_IN_TORCH = "keep the computation in tensor operations"
OUTSIDE_LEARNER_CODE = "outside your code"
NOT_MADE_HERE = "made before this call: a plain tensor attribute? register_buffer it, so that .to(device) moves it"


def reached_from(line: str, function: str, outer_line: str) -> str:
    """The learner's innermost line, in a helper, and the outermost one that called it."""
    return f"{line} (in {function}, reached from {outer_line})"


def made_by(call: str, where: str) -> str:
    """Where a tensor off the device was made."""
    return f"made by {call} at {where}"


def named_tensor(name: str = "", derived: bool = False, description: str = "") -> str:
    """'`mask` (bool (5, 5) on cpu)', 'a tensor computed from `mask` (...)', or 'a tensor (...)'."""
    if not name:
        named = "a tensor"
    else:
        named = f"a tensor computed from `{name}`" if derived else f"`{name}`"
    return f"{named} ({description})" if description else named


def hands_to_numpy(tensor: str, call: str, where: str) -> str:
    return (
        f"hands {tensor} to NumPy ({call})\n  at {where}\n"
        f"likely cause: NumPy arrays live on the CPU only; {KEEP_IN_TORCH}"
    )


def reads_values_back(tensor: str, call: str, where: str) -> str:
    return (
        f"reads the values of {tensor} back into Python ({call})\n"
        f"  at {where}\nlikely cause: on a GPU that copies them to the CPU, and a tensor made from "
        f"them lands there; {KEEP_IN_TORCH}"
    )


def mixes_devices_in(call: str, where: str) -> str:
    """Devices were mixed, and no tensor off the device could be named."""
    return f"mixes devices in {call}\n  at {where}\nlikely cause: {MAKE_ON_DEVICE}"


def mixes_devices(tensor: str, device: str, origin: str, call: str, met: str, where: str) -> str:
    """``tensor`` is not on ``device``; ``met`` describes the on-device tensor it met in ``call`` ('' if none)."""
    met_text = f" with {met}" if met else ""
    return (
        f"mixes devices: {tensor} is not on the inputs' device ({device})\n  {origin}\n"
        f"  used by {call}{met_text} at {where}\nlikely cause: {MAKE_ON_DEVICE}"
    )


def mixes_two_devices(raised: str) -> str:
    """Torch's own device-mismatch error, on a real GPU outside any device check."""
    return f"mixes tensors of two devices: {raised}\nlikely cause: {MAKE_ON_DEVICE}"


def raised_on_device(device: str, what: str) -> str:
    return f"works on the CPU but raised on {device}: {what}"


def returns_off_device(path: str, device: str, inputs_device: str, origin: str = "") -> str:
    return (
        f"returns `{path}` on {device} while its inputs are on {inputs_device}\n"
        + (f"  {origin}\n" if origin else "")
        + f"likely cause: {MAKE_ON_DEVICE}"
    )


def device_check_unreadable(api: str, device: str) -> str:
    return f"{api} on {device}: the device check sent back no readable answer"


def differs_from_cpu(api: str, device: str, expected: str, got: str) -> str:
    return (
        f"{api} on {device} returns something else than on the CPU\n"
        f"expected (as on the CPU): {expected}\n"
        f"got: {got}\n"
        "likely cause: a dtype or shape that depends on the device, e.g. a tensor made with a default dtype"
    )
