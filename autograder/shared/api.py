"""The course API as data: which part, which file and which names make up each assignment.

This mirrors ``docs/course_api.md`` (the contract, whose names are fixed). Everything
that needs to know where a name lives (the loader, the stub generator, the
report) reads it from here rather than keeping its own list.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Part:
    number: int
    title: str
    folder: str  # folder name under solutions/ and assignments/
    files: dict[str, tuple[str, ...]]  # file stem -> API names it defines
    # Built-in one-call versions and other calls this part may not use.
    forbidden: frozenset[str] = field(default_factory=frozenset)
    autograd_allowed: bool = False
    torch_nn_allowed: bool = False  # torch.nn modules and torch.nn.functional (Parts 3 and 5)
    # Python modules whose code the learner's may not run (dotted prefixes, e.g. "torch.optim."), and the
    # exceptions to them; seen by a trace of the Python functions a call enters, and by what a file imports.
    forbidden_modules: tuple[str, ...] = ()
    allowed_modules: tuple[str, ...] = ()

    @property
    def api_names(self) -> tuple[str, ...]:
        return tuple(name for names in self.files.values() for name in names)

    def file_of(self, api_name: str) -> str:
        for stem, names in self.files.items():
            if api_name in names:
                return stem
        raise KeyError(api_name)


# Names of the one-call versions of what Parts 1 and 2 implement. They are
# matched against both the Python-level function name and the ATen operator
# name recorded while learner code runs (see recording.py), so that aliases
# such as torch.special.expit or Tensor.sigmoid_ are caught too.
_ONE_CALL_VERSIONS = frozenset(
    {
        "softmax",
        "log_softmax",
        "sigmoid",
        "logsumexp",
        "tanh",
        "relu",
        "expit",
        "softplus",
        "log_sigmoid",
        "log_sigmoid_forward",
        "nll_loss",
        "nll_loss_forward",
        "nll_loss2d_forward",
        "cross_entropy_loss",
        "binary_cross_entropy",
        "binary_cross_entropy_with_logits",
        "mse_loss",
        "multi_margin_loss",
        "soft_margin_loss",
        "hinge_embedding_loss",
        "one_hot",
        "linear",
    }
)

PART1 = Part(
    number=1,
    title="linear and log-linear models",
    folder="part1",
    files={
        "linear": ("linear", "predict_sign", "predict_class"),
        "probabilities": ("sigmoid", "softmax", "log_softmax"),
        "features": ("xor_features",),
        "losses": (
            "mse_loss",
            "hinge_loss",
            "multiclass_hinge_loss",
            "binary_cross_entropy",
            "cross_entropy",
        ),
        "gradients": ("cross_entropy_grad", "linear_backward"),
        "sgd": ("sgd_step",),
        "log_linear": ("train_log_linear",),
    },
    forbidden=_ONE_CALL_VERSIONS,
)

# Part 2 may call the built-ins of what Part 1 already graded.
PART2 = Part(
    number=2,
    title="multi-layer perceptrons and backpropagation",
    folder="part2",
    files={
        "activations": ("relu", "relu_backward", "tanh", "tanh_backward", "sigmoid_backward"),
        "layers": ("Linear", "ReLU", "Tanh", "Sigmoid"),
        "mlp": ("MLP",),
        "mlp_training": ("train_mlp",),
    },
    forbidden=_ONE_CALL_VERSIONS - {"softmax", "log_softmax", "sigmoid", "expit"},
)

PART3 = Part(
    number=3,
    title="attention and the Transformer",
    folder="part3",
    files={
        "attention": ("scaled_dot_product_attention", "causal_mask"),
        "multi_head": ("MultiHeadAttention",),
        "layer_norm": ("LayerNorm",),
        "transformer": ("FeedForward", "TransformerBlock"),
        "language_model": ("TransformerLM",),
    },
    forbidden=frozenset(
        {
            "layer_norm",
            "native_layer_norm",
            "scaled_dot_product_attention",
            "_scaled_dot_product_attention_math",
            "_scaled_dot_product_flash_attention",
            "_scaled_dot_product_efficient_attention",
            "_scaled_dot_product_flash_attention_for_cpu",
            "_scaled_dot_product_cudnn_attention",
            "multi_head_attention_forward",
            "_native_multi_head_attention",
            "_transformer_encoder_layer_fwd",
        }
    ),
    autograd_allowed=True,
    torch_nn_allowed=True,
)

# Part 4 may use what Part 3 may (torch.topk, torch.sort, torch.cumsum, torch.multinomial and torch.log_softmax
# are not forbidden anywhere from Part 3 on); dotted entries forbid whole libraries, by the module calling torch.
PART4 = Part(
    number=4,
    title="using a language model: scoring and decoding",
    folder="part4",
    files={
        "scoring": ("token_log_probs", "sequence_log_prob"),
        "perplexity": ("perplexity",),
        "multiple_choice": ("score_options",),
        "sampling": ("sample_next_token",),
        "generation": ("generate",),
        "beam_search": ("beam_search",),
    },
    forbidden=PART3.forbidden | {"torch.distributions", "transformers"},
    autograd_allowed=True,
    torch_nn_allowed=True,
)

# Part 5 may use everything Part 3 may, plus torch.sigmoid, torch.rsqrt and torch.optim.Optimizer as a base
# class. The one-call versions of its exercises are caught by name (RMSNorm and SiLU calls, the scaled-dot-product
# kernels) or by the module their code lives in (an optimizer's step, a learning-rate scheduler, clip_grad_norm_,
# tokenizer libraries).
PART5 = Part(
    number=5,
    title="a modern language model",
    folder="part5",
    files={
        "rms_norm": ("RMSNorm",),
        "swiglu": ("silu", "SwiGLU"),
        "rope": ("rope",),
        "masks": ("sliding_window_mask",),
        "gqa": ("GroupedQueryAttention",),
        "modern_block": ("ModernBlock",),
        "modern_lm": ("ModernLM",),
        "batches": ("get_batch",),
        "adamw": ("AdamW",),
        "schedule": ("cosine_lr",),
        "clipping": ("clip_grad_norm",),
        "bpe": ("train_bpe", "BPETokenizer"),
        "lm_training": ("train_lm",),
    },
    forbidden=PART3.forbidden
    | {"rms_norm", "_fused_rms_norm", "silu", "_foreach_norm", "_fused_adamw", "_fused_adam", "_fused_sgd"},
    autograd_allowed=True,
    torch_nn_allowed=True,
    forbidden_modules=(
        "torch.optim.",
        "torch.nn.utils.clip_grad",
        "torch.nn.modules.normalization",
        "tiktoken",
        "tokenizers",
        "sentencepiece",
    ),
    allowed_modules=("torch.optim.optimizer",),
)

PARTS: dict[int, Part] = {1: PART1, 2: PART2, 3: PART3, 4: PART4, 5: PART5}


def part_of(api_name: str) -> Part:
    """The part that defines ``api_name``."""
    for part in PARTS.values():
        if api_name in part.api_names:
            return part
    raise KeyError(f"{api_name!r} is not a course API name")


def all_api_names() -> tuple[str, ...]:
    return tuple(name for part in PARTS.values() for name in part.api_names)


def is_long_running(name: str) -> bool:
    """A call of many small steps: training (``train_log_linear``, ``train_mlp``, the
    ``train_language_model`` probe) and ``generate``. Such calls get a longer timeout in
    the grader and are recorded at the function level only (see ``Recording``)."""
    return name.startswith("train_") or name == "generate"
