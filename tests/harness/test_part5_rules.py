"""Part 5's rules: one-call versions caught by name or by the module their code lives in; its own code allowed;
and an Optimizer subclass that never imports torch._dynamo (a sandboxed worker cannot)."""

import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F

from autograder.sandboxed.recording import Recording
from autograder.shared.api import PART5
from autograder.shared.paths import REPO_ROOT


def uses(fn):
    with Recording(modules=True) as record:
        fn()
    return record.forbidden_uses(
        PART5.forbidden, PART5.autograd_allowed, PART5.torch_nn_allowed, PART5.forbidden_modules, PART5.allowed_modules
    )


def _torch_adamw_step():
    p = torch.nn.Parameter(torch.ones(3))
    p.grad = torch.ones(3)
    torch.optim.AdamW([p]).step()


def _scheduler_step():
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=1.0)
    torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 0.5)


def _clip():
    p = torch.nn.Parameter(torch.ones(3))
    p.grad = torch.ones(3)
    torch.nn.utils.clip_grad_norm_([p], 0.1)


@pytest.mark.parametrize(
    "spelling",
    [
        lambda: F.rms_norm(torch.ones(2, 3), (3,)),
        lambda: torch.nn.RMSNorm(3)(torch.ones(2, 3)),
        lambda: F.silu(torch.ones(2)),
        lambda: torch.nn.SiLU()(torch.ones(2)),
        lambda: F.scaled_dot_product_attention(torch.ones(1, 2, 4), torch.ones(1, 2, 4), torch.ones(1, 2, 4)),
        _torch_adamw_step,
        _scheduler_step,
        _clip,
    ],
    ids=["rms_norm", "nn.RMSNorm", "silu", "nn.SiLU", "sdpa", "optim.AdamW.step", "lr_scheduler", "clip_grad_norm_"],
)
def test_part5_one_call_versions_are_caught(spelling):
    assert uses(spelling)


def test_part5_own_code_and_the_optimizer_base_class_are_allowed():
    class Plain(torch.optim.Optimizer):
        def __init__(self, params):
            super().__init__(params, {"lr": 0.1})

        @torch.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    p.sub_(group["lr"] * torch.sigmoid(p.grad) * torch.rsqrt(p.grad**2 + 1))

    def run():
        p = torch.nn.Parameter(torch.ones(3))
        p.grad = torch.ones(3)
        optimizer = Plain([p])
        optimizer.step()
        optimizer.zero_grad()
        torch.softmax(torch.cos(p) @ torch.sin(p)[None].T, -1)

    assert uses(run) == []


def test_an_optimizer_subclass_never_imports_dynamo():
    script = (
        "import sys, torch\n"
        "import autograder.sandboxed.loader\n"
        "from solutions.part5.adamw import AdamW\n"
        "p = torch.nn.Parameter(torch.ones(2)); p.grad = torch.ones(2)\n"
        "o = AdamW([p]); o.step(); o.zero_grad(); o.load_state_dict(o.state_dict())\n"
        "print('torch._dynamo' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_file_that_imports_a_tokenizer_library_earns_nothing_for_its_names(tmp_path, monkeypatch):
    from autograder.sandboxed.loader import Implementation
    from autograder.shared.verdicts import ForbiddenCall

    library = tmp_path / "lib" / "sentencepiece"
    library.mkdir(parents=True)
    (library / "__init__.py").write_text("def train(text):\n    return {}, []\n")
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    monkeypatch.delitem(sys.modules, "sentencepiece", raising=False)
    part5 = tmp_path / "impl" / "part5"
    part5.mkdir(parents=True)
    (part5 / "bpe.py").write_text(
        "import sentencepiece\n\n"
        "def train_bpe(text, vocab_size, special_tokens=()):\n    return sentencepiece.train(text)\n"
    )
    (part5 / "schedule.py").write_text(
        "def cosine_lr(step, max_lr, min_lr, warmup_steps, total_steps):\n    return 0.0\n"
    )
    impl = Implementation(tmp_path / "impl")
    with pytest.raises(ForbiddenCall, match="sentencepiece"):
        impl.train_bpe("abc", 300)
    assert impl.cosine_lr(0, 1.0, 0.0, 0, 10) == 0.0  # the other files keep their credit
