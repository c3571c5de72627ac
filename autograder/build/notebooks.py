"""Generate the learners' exploration notebooks (``notebooks/partN.ipynb``) and run them headless.

One notebook per part. Each imports the learner's own files from
``assignments/partN/`` (or the reference in ``solutions/`` when the environment
variable ``COURSE_IMPL=solutions`` is set, which is how ``make check`` runs them),
runs that part's public tests through ``run_suite`` and draws what prose cannot
show: decision boundaries, loss curves, attention weights, generated text. The
learner edits the ``.py`` files; the notebook is for looking at them.

The cells are written here, in Python strings, and nowhere else: the committed
notebooks are output, and ``--check`` fails when they drift from this file.

    python -m autograder.build.notebooks            # write notebooks/partN.ipynb
    python -m autograder.build.notebooks --check    # exit 1 if the committed notebooks drifted
    python -m autograder.build.notebooks --execute  # run each against solutions/ (needs the instructor tools)

This module also holds ``NamespaceImplementation``: the course API read from a
notebook's global variables, which the generated nbgrader and otter-grader test
cells hand to the same test suites ``make test`` runs.
"""

import argparse
import json
import os
import sys
import time
import types
from pathlib import Path

from autograder.sandboxed.loader import Implementation
from autograder.shared.api import PARTS
from autograder.shared.paths import REPO_ROOT

NOTEBOOK_DIR = REPO_ROOT / "notebooks"
IMPL_ENV = "COURSE_IMPL"  # "assignments" (default) or "solutions"
KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}

# --- cells shared by every part ------------------------------------------------------------------------------

SETUP = '''\
# Find the course folder, and choose whose code to explore: your files in assignments/ (the default)
# or the reference in solutions/ (run with COURSE_IMPL=solutions, as `make check` does).
import importlib
import os
import sys
import types
from pathlib import Path

import matplotlib.pyplot as plt
import torch

ROOT = next(p for p in (Path.cwd(), *Path.cwd().parents) if (p / "autograder" / "trusted" / "harness").is_dir())
sys.path.insert(0, str(ROOT))
IMPL = os.environ.get("COURSE_IMPL", "assignments")
PARTS = importlib.import_module("autograder.shared.api").PARTS


def load_part(number):
    """Import (again) every file of one part from IMPL: re-run this cell after editing them."""
    part = PARTS[number]
    names = {}
    for stem, api_names in part.files.items():
        module = importlib.reload(importlib.import_module(f"{IMPL}.{part.folder}.{stem}"))
        names.update({name: getattr(module, name) for name in api_names})
    return types.SimpleNamespace(**names)


course = load_part(@PART@)
print(f"Part @PART@ loaded from {IMPL}/part@PART@/:", ", ".join(vars(course)))
'''

CHECKS = """\
# The public tests of this part, exactly those `make test PART=@PART@` runs, with a line per API.
from autograder.sandboxed.loader import Implementation
from autograder.trusted.harness.run import run_suite

tests = run_suite(Implementation(ROOT / IMPL, IMPL), parts=[@PART@], suites=["public"], device="cpu")
by_api = {}
for test in tests:
    by_api.setdefault(test.api, []).append(test)
for api, group in by_api.items():
    score, top = sum(t.score for t in group), sum(t.max_score for t in group)
    failures = [t.output for t in group if t.status == "failed"]
    print(f"{'ok ' if not failures else 'FIX'} {api:28} {score:5.1f} / {top:4.1f}", *failures[:1])
print(f"total {sum(t.score for t in tests):.1f} / {sum(t.max_score for t in tests):.1f}")
"""

BOUNDARY_HELPER = '''\
def plot_boundary(ax, X, y, predict, title):
    """Colour the plane by ``predict`` (points (n, 2) -> class ids (n,)) and draw the labelled points on top."""
    low, high = X.min(0).values - 0.5, X.max(0).values + 0.5
    xs, ys = torch.meshgrid(torch.linspace(low[0], high[0], 200), torch.linspace(low[1], high[1], 200), indexing="xy")
    grid = torch.stack([xs.reshape(-1), ys.reshape(-1)], dim=1)  # (200 * 200, 2)
    ax.contourf(xs, ys, predict(grid).reshape(xs.shape).float(), levels=[-0.5, 0.5, 1.5], cmap="coolwarm", alpha=0.3)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", edgecolors="k", s=20)
    ax.set_title(title)
'''


def _for_part(cell: str, part: int) -> str:
    return cell.replace("@PART@", str(part))


PART1 = [
    (
        "markdown",
        "# Part 1: linear and log-linear models\n\n"
        "Edit your files in `assignments/part1/`, then re-run this notebook from the top: the setup cell imports "
        "them again. It shows the public tests' verdicts, then the slides' XOR example: no line separates XOR, "
        "the feature map `xor_features` makes it separable, and `train_log_linear` finds the separating line.",
    ),
    ("code", _for_part(SETUP, 1)),
    ("markdown", "## Public checks"),
    ("code", _for_part(CHECKS, 1)),
    (
        "markdown",
        "## XOR before and after the feature map\n\n"
        "Left: the points in the plane. Right: the same points after phi(x1, x2) = [x1 + x2, x1 * x2].",
    ),
    (
        "code",
        """\
from datasets.xor import noisy_xor

X, y = noisy_xor(200, noise=0.1, generator=torch.Generator().manual_seed(0))  # (200, 2), (200,)
phi = course.xor_features(X)  # (200, 2)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4))
left.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", edgecolors="k", s=20)
left.set(title="XOR: x1, x2", xlabel="x1", ylabel="x2")
right.scatter(phi[:, 0], phi[:, 1], c=y, cmap="coolwarm", edgecolors="k", s=20)
right.set(title="after the feature map", xlabel="x1 + x2", ylabel="x1 * x2")
plt.show()
""",
    ),
    (
        "markdown",
        "## Decision boundaries and loss curves of `train_log_linear`\n\n"
        "The same log-linear classifier trained on the raw points and on the features.",
    ),
    (
        "code",
        BOUNDARY_HELPER
        + """

settings = dict(epochs=60, lr=0.5, batch_size=32)
W_raw, b_raw, losses_raw = course.train_log_linear(X, y, 2, generator=torch.Generator().manual_seed(0), **settings)
W_phi, b_phi, losses_phi = course.train_log_linear(phi, y, 2, generator=torch.Generator().manual_seed(0), **settings)


def raw_model(P):
    return course.predict_class(course.linear(P, W_raw, b_raw))


def feature_model(P):
    return course.predict_class(course.linear(course.xor_features(P), W_phi, b_phi))


fig, (a, b, c) = plt.subplots(1, 3, figsize=(14, 4))
plot_boundary(a, X, y, raw_model, "raw x: no line fits XOR")
plot_boundary(b, X, y, feature_model, "with xor_features")
c.plot(losses_raw, label="raw x")
c.plot(losses_phi, label="xor_features(x)")
c.set(title="training loss per epoch", xlabel="epoch", ylabel="cross-entropy")
c.legend()
plt.show()
print(f"accuracy on raw x: {(raw_model(X) == y).float().mean():.2f}")
print(f"accuracy with the feature map: {(feature_model(X) == y).float().mean():.2f}")
""",
    ),
]

PART2 = [
    (
        "markdown",
        "# Part 2: multi-layer perceptrons\n\n"
        "Edit your files in `assignments/part2/`, then re-run this notebook from the top. A small tanh MLP "
        "learns XOR from the raw points, with no feature map: its hidden layer learns one.",
    ),
    ("code", _for_part(SETUP, 2)),
    ("markdown", "## Public checks"),
    ("code", _for_part(CHECKS, 2)),
    ("markdown", "## A tanh MLP on XOR: decision boundary and loss curve"),
    (
        "code",
        "from datasets.xor import noisy_xor\n\n\n"
        + BOUNDARY_HELPER
        + """

X, y = noisy_xor(200, noise=0.1, generator=torch.Generator().manual_seed(0))  # (200, 2), (200,)
model = course.MLP([2, 8, 2], activation="tanh", generator=torch.Generator().manual_seed(0))
losses = course.train_mlp(model, X, y, epochs=150, lr=0.5, batch_size=32, generator=torch.Generator().manual_seed(1))

fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
plot_boundary(a, X, y, lambda P: model.forward(P).argmax(dim=-1), "tanh MLP [2, 8, 2]")
b.plot(losses)
b.set(title="training loss per epoch", xlabel="epoch", ylabel="cross-entropy")
plt.show()
print(f"accuracy: {(model.forward(X).argmax(dim=-1) == y).float().mean():.2f}, final loss {losses[-1]:.3f}")
""",
    ),
]

PART3 = [
    (
        "markdown",
        "# Part 3: attention and the Transformer\n\n"
        "Edit your files in `assignments/part3/`, then re-run this notebook from the top. It draws the attention "
        "weights of causal self-attention, then trains your `TransformerLM` for a few hundred steps on docstrings "
        "of Python's standard library and lets it write.",
    ),
    ("code", _for_part(SETUP, 3)),
    ("markdown", "## Public checks"),
    ("code", _for_part(CHECKS, 3)),
    (
        "markdown",
        "## Attention weights\n\n"
        "Causal self-attention over 8 positions: row t says how much position t looks at each position. "
        "Everything above the diagonal (the future) must be exactly 0.",
    ),
    (
        "code",
        """\
generator = torch.Generator().manual_seed(0)
q, k, v = (torch.randn(8, 16, generator=generator) for _ in range(3))  # (T, d_k) each
output, weights = course.scaled_dot_product_attention(q, k, v, mask=course.causal_mask(8))  # (8, 16), (8, 8)
plt.imshow(weights.detach(), cmap="viridis")
plt.colorbar(label="attention weight")
plt.xlabel("key position")
plt.ylabel("query position")
plt.title("causal attention weights")
plt.show()
print("rows sum to", weights.sum(dim=-1).detach())
""",
    ),
    (
        "markdown",
        "## A tiny character-level language model\n\n"
        "A one-layer model trained for 200 Adam steps: far from fluent, but it picks up spelling and spacing. "
        "`generate` decodes greedily (always the most likely next character).",
    ),
    (
        "code",
        """\
from datasets.stdlib_text import load_stdlib_text

torch.manual_seed(0)
data = load_stdlib_text(max_chars=100_000)
model = course.TransformerLM(data.tokenizer.vocab_size, d_model=48, n_heads=4, d_ff=96, n_layers=1, max_len=32)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
batches = torch.Generator().manual_seed(0)
losses = []
for _step in range(200):
    starts = torch.randint(0, len(data.train) - 33, (16,), generator=batches)  # (B,)
    window = data.train[starts[:, None] + torch.arange(33)]  # (B, 33)
    logits = model(window[:, :-1])  # (B, 32, vocab)
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), window[:, 1:].reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
plt.plot(losses)
plt.xlabel("step")
plt.ylabel("cross-entropy (nats per character)")
plt.show()
model.eval()
prompt = data.tokenizer.encode("Return the ")[None, :]  # (1, 11)
with torch.no_grad():
    print(repr(data.tokenizer.decode(model.generate(prompt, 80)[0])))
""",
    ),
]

PART4 = [
    (
        "markdown",
        "# Part 4: using a language model\n\n"
        "Edit your files in `assignments/part4/`, then re-run this notebook from the top. It trains a small "
        "character-level model (your Part 3 `TransformerLM` if it works, a bigram table counted from the text "
        "otherwise), measures its perplexity on held-out text, lets it answer a quiz, continues one prompt at "
        "several temperatures, top-p values and beam widths, and draws the next-token distribution your sampler "
        "draws from.",
    ),
    ("code", _for_part(SETUP, 4)),
    ("markdown", "## Public checks"),
    ("code", _for_part(CHECKS, 4)),
    (
        "markdown",
        "## A model to use\n\n"
        "Every function of this part takes a *model*: any callable from token ids (B, T) to logits (B, T, V). "
        "Here it is your Part 3 model after 200 Adam steps, or, while Part 3 is unfinished, a bigram table "
        "(`autograder/shared/lm_models.py`) whose logits are the log of smoothed character-pair counts.",
    ),
    (
        "code",
        """\
from autograder.shared.lm_models import BigramLM
from datasets.stdlib_text import load_stdlib_text

torch.manual_seed(0)
data = load_stdlib_text(max_chars=100_000)
V, MAX_LEN = data.tokenizer.vocab_size, 32


def train_transformer(part3):
    model = part3.TransformerLM(V, d_model=48, n_heads=4, d_ff=96, n_layers=1, max_len=MAX_LEN)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    batches = torch.Generator().manual_seed(0)
    for _step in range(200):
        starts = torch.randint(0, len(data.train) - MAX_LEN - 1, (16,), generator=batches)  # (B,)
        window = data.train[starts[:, None] + torch.arange(MAX_LEN + 1)]  # (B, MAX_LEN + 1)
        logits = model(window[:, :-1])  # (B, MAX_LEN, V)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, V), window[:, 1:].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


try:
    model, kind = train_transformer(load_part(3)), "your Part 3 TransformerLM"
except NotImplementedError:
    counts = torch.ones(V, V)  # add-one smoothing
    counts.index_put_((data.train[:-1], data.train[1:]), torch.ones(len(data.train) - 1), accumulate=True)
    model, kind = BigramLM((counts / counts.sum(-1, keepdim=True)).log()), "a bigram table (Part 3 unfinished)"
print("model:", kind)
""",
    ),
    (
        "markdown",
        "## Perplexity on held-out text\n\n"
        "The validation text was never trained on. A model that knows nothing has perplexity V (one in V "
        "characters); the unigram baseline always predicts each character's overall frequency.",
    ),
    (
        "code",
        """\
windows = data.val[: (len(data.val) - 1) // (MAX_LEN + 1) * (MAX_LEN + 1)].reshape(-1, MAX_LEN + 1)[:64]
with torch.no_grad():
    logits = model(windows[:, :-1])  # (64, MAX_LEN, V)
frequencies = torch.bincount(data.train, minlength=V).float() / len(data.train)  # (V,)
unigram = frequencies.log().expand_as(logits)  # the same guess at every position
print(
    f"uniform: {V}, unigram: {float(course.perplexity(unigram, windows[:, 1:])):.1f}, "
    f"the model: {float(course.perplexity(logits, windows[:, 1:])):.1f} (per character)"
)
later = torch.arange(MAX_LEN) >= MAX_LEN // 2  # only positions with at least 16 characters of context
print(
    f"the model on the second half of each window: "
    f"{float(course.perplexity(logits, windows[:, 1:], later.expand(len(windows), -1))):.1f}"
)
""",
    ),
    (
        "markdown",
        "## A multiple-choice quiz\n\n"
        "Each answer is scored as a continuation of its question, as a total and per character; the "
        "answer is the highest score.",
    ),
    (
        "code",
        """\
quiz = [
    ("Return the ", ["value", "vlaue", "xqzt"]),
    ("If the argument is ", ["None", "Nnoe"]),
    ("This function ", ["returns", "rteurns", "rrr"]),
]
for question, answers in quiz:
    prompt = data.tokenizer.encode(question)
    options = [data.tokenizer.encode(answer) for answer in answers]
    total = course.score_options(model, prompt, options, length_normalize=False)
    per_char = course.score_options(model, prompt, options)
    scores = zip(answers, total, per_char, strict=True)
    print(f"{question!r}: " + ", ".join(f"{a!r} {t:.1f} ({m:.2f}/char)" for a, t, m in scores))
    print(f"    answer: {answers[int(per_char.argmax())]!r}")
""",
    ),
    (
        "markdown",
        "## One prompt, many decoders\n\n"
        "Temperature 0 is greedy; higher temperatures take more risks; the nucleus (top-p) cuts off the "
        "unlikely tail; beam search looks for the most likely continuation as a whole.",
    ),
    (
        "code",
        """\
prompt = data.tokenizer.encode("Return the ")[None, :]  # (1, 11)


def show(label, ids):
    print(f"{label:>16}: {data.tokenizer.decode(ids[0])!r}")


for temperature in (0.0, 0.5, 1.0, 1.5):
    generator = torch.Generator().manual_seed(0)
    show(f"T={temperature}", course.generate(model, prompt, 60, MAX_LEN, temperature=temperature, generator=generator))
for top_p in (0.5, 0.9):
    generator = torch.Generator().manual_seed(0)
    show(f"top_p={top_p}", course.generate(model, prompt, 60, MAX_LEN, top_p=top_p, generator=generator))
for width in (1, 3, 8):
    show(f"beam_width={width}", course.beam_search(model, prompt, 30, width, MAX_LEN))
""",
    ),
    (
        "markdown",
        "## What your sampler draws from\n\n"
        "The model's next-character probabilities after the prompt at three temperatures (bars), and the "
        "frequencies of 4000 draws of your `sample_next_token` (dots): they should sit on the bars.",
    ),
    (
        "code",
        """\
with torch.no_grad():
    last = model(prompt)[:, -1, :]  # (1, V)
top = last[0].topk(12).indices  # the 12 likeliest characters at T = 1
labels = [repr(data.tokenizer.decode(top[i : i + 1]))[1:-1] for i in range(len(top))]
fig, axes = plt.subplots(1, 3, figsize=(15, 3.5), sharey=True)
for ax, temperature in zip(axes, (0.5, 1.0, 2.0), strict=True):
    probs = torch.softmax(last[0] / temperature, dim=-1)[top]
    draws = course.sample_next_token(
        last.expand(4000, -1), temperature=temperature, generator=torch.Generator().manual_seed(1)
    )
    frequencies = torch.bincount(draws, minlength=V).float()[top] / 4000
    ax.bar(range(len(top)), probs, color="tab:blue", alpha=0.6, label="probability")
    ax.plot(range(len(top)), frequencies, "o", color="tab:red", label="your sampler")
    ax.set_xticks(range(len(top)), labels)
    ax.set_title(f"next character after 'Return the ', T = {temperature}")
axes[0].legend()
plt.show()
""",
    ),
]

PART5 = [
    (
        "markdown",
        "# Part 5: a modern language model\n\n"
        "Edit your files in `assignments/part5/`, then re-run this notebook from the top. It trains your byte-level "
        "BPE tokenizer on the course's text, trains your `ModernLM` and your Part 3 `TransformerLM` of about the "
        "same size on the same tokens, times generation with and without the KV cache, and draws the "
        "learning-rate schedule.",
    ),
    ("code", _for_part(SETUP, 5)),
    ("markdown", "## Public checks"),
    ("code", _for_part(CHECKS, 5)),
    (
        "markdown",
        "## A BPE tokenizer trained on the course's text\n\n"
        "500 merges learned on 60,000 characters of standard-library docstrings, documents separated by a special "
        "token. The first merges are the most frequent pairs; later ones build whole words. Compression is "
        "measured on text the tokenizer was not trained on.",
    ),
    (
        "code",
        """\
from datasets.stdlib_text import stdlib_docstrings

text = stdlib_docstrings()
training_text = "<|endoftext|>".join(text[:60_000].split("\\n\\n"))
held_out = text[60_000:80_000]
vocab, merges = course.train_bpe(training_text, 256 + 1 + 500, ["<|endoftext|>"])
tokenizer = course.BPETokenizer(vocab, merges, ["<|endoftext|>"])
print("first merges:", [(a + b).decode(errors="replace") for a, b in merges[:15]])
print("longest tokens:", sorted((t.decode(errors="replace") for t in vocab.values()), key=len)[-10:])
ids = tokenizer.encode(held_out)
print(
    f"held-out text: {len(held_out.encode())} bytes -> {len(ids)} tokens "
    f"({len(held_out.encode()) / len(ids):.2f} bytes per token)"
)
sample = "Grüße, 世界! <|endoftext|> tabs\\tand   spaces 🎉"
print("round trip:", tokenizer.decode(tokenizer.encode(sample)) == sample, tokenizer.encode(sample)[:12], "...")
""",
    ),
    (
        "markdown",
        "## ModernLM against the Part 3 TransformerLM\n\n"
        "Both models have one block of width 48 and the same feed-forward parameter count (SwiGLU with d_ff 128 "
        "against ReLU with d_ff 192); they see the same character batches and use your AdamW, warmup and cosine "
        "schedule and clipping. The Part 3 model comes from your `assignments/part3/` (skipped if it is not done).",
    ),
    (
        "code",
        """\
from datasets.stdlib_text import load_stdlib_text

data = load_stdlib_text(max_chars=100_000)
V, STEPS, CONTEXT = data.tokenizer.vocab_size, 200, 32
torch.manual_seed(0)
modern = course.ModernLM(V, d_model=48, n_layers=1, n_heads=4, n_kv_heads=2, d_ff=128)
batches = torch.Generator().manual_seed(0)
modern_losses = course.train_lm(modern, data.train, STEPS, 16, CONTEXT, 1e-2, 1e-3, 20, generator=batches)


def train_part3(model):
    optimizer, batches, losses = course.AdamW(model.parameters(), lr=1e-2), torch.Generator().manual_seed(0), []
    for step in range(STEPS):
        for group in optimizer.param_groups:
            group["lr"] = course.cosine_lr(step, 1e-2, 1e-3, 20, STEPS)
        x, y = course.get_batch(data.train, 16, CONTEXT, batches)  # (16, 32) each
        loss = torch.nn.functional.cross_entropy(model(x).reshape(-1, V), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        course.clip_grad_norm(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
    return losses


try:
    part3 = load_part(3)
    torch.manual_seed(0)
    classic = part3.TransformerLM(V, d_model=48, n_heads=4, d_ff=192, n_layers=1, max_len=CONTEXT)
    classic_losses = train_part3(classic)
except NotImplementedError:
    classic, classic_losses = None, []
count = lambda model: sum(p.numel() for p in model.parameters())  # noqa: E731
plt.plot(modern_losses, label=f"ModernLM ({count(modern)} parameters)")
if classic_losses:
    plt.plot(classic_losses, label=f"Part 3 TransformerLM ({count(classic)} parameters)")
plt.xlabel("step")
plt.ylabel("training loss (nats per character)")
plt.legend()
plt.show()
""",
    ),
    (
        "markdown",
        "## What the KV cache saves\n\n"
        "`generate` runs the prompt once, then one token per step. Without the cache every step runs the whole "
        "sequence again, so the cost of a step grows with the length.",
    ),
    (
        "code",
        """\
import time

modern.eval()
prompt = data.tokenizer.encode("Return the ")[None, :]  # (1, 11)


@torch.no_grad()
def generate_without_cache(model, idx, n):
    for _ in range(n):
        logits, _ = model(idx)
        idx = torch.cat([idx, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    return idx


for n in (100, 200, 300):
    start = time.perf_counter()
    cached = modern.generate(prompt, n)
    middle = time.perf_counter()
    recomputed = generate_without_cache(modern, prompt, n)
    end = time.perf_counter()
    print(
        f"{n} tokens: with cache {middle - start:.3f} s, without {end - middle:.3f} s, "
        f"same tokens: {torch.equal(cached, recomputed)}"
    )
print(repr(data.tokenizer.decode(cached[0, :120])))
""",
    ),
    (
        "markdown",
        "## The learning-rate schedule\n\n"
        "Linear warmup over 30 steps, then half a cosine down to `min_lr` at step 300.",
    ),
    (
        "code",
        """\
steps = range(0, 330)
plt.plot(list(steps), [course.cosine_lr(s, 1e-3, 1e-4, 30, 300) for s in steps])
plt.xlabel("step")
plt.ylabel("learning rate")
plt.show()
""",
    ),
]

NOTEBOOKS = {1: PART1, 2: PART2, 3: PART3, 4: PART4, 5: PART5}


# --- writing and checking ------------------------------------------------------------------------------------


def make_notebook(cells: list[tuple[str, str]], name: str, metadata: dict | None = None) -> dict:
    """An nbformat 4.5 notebook (as a dict) with stable cell ids, so regenerating it changes nothing."""
    out = []
    for index, (kind, text) in enumerate(cells):
        cell = {"cell_type": kind, "id": f"{name}-{index:02d}", "metadata": {}, "source": text.rstrip("\n")}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        out.append(cell)
    meta = {"kernelspec": KERNEL, "language_info": {"name": "python"}, **(metadata or {})}
    return {"cells": out, "metadata": meta, "nbformat": 4, "nbformat_minor": 5}


def dumps(notebook: dict) -> str:
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def expected_notebooks() -> dict[Path, str]:
    return {NOTEBOOK_DIR / f"part{n}.ipynb": dumps(make_notebook(cells, f"part{n}")) for n, cells in NOTEBOOKS.items()}


def drifted() -> list[Path]:
    return [path for path, text in expected_notebooks().items() if not path.is_file() or path.read_text() != text]


def execute(path: Path, impl: str = "solutions", timeout: int = 120) -> tuple[dict, float]:
    """Run one notebook headless with nbclient against ``impl``; returns the executed notebook and seconds."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    previous = os.environ.get(IMPL_ENV)
    os.environ[IMPL_ENV] = impl  # the kernel inherits this process's environment
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"  # figures become outputs
    started = time.monotonic()
    try:
        NotebookClient(
            notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
    finally:
        if previous is None:
            os.environ.pop(IMPL_ENV, None)
        else:
            os.environ[IMPL_ENV] = previous
    return notebook, time.monotonic() - started


# --- the course API read from a notebook's globals (for nbgrader and otter-grader test cells) -----------------


class NamespaceImplementation(Implementation):
    """The course API of one part, taken from a dict of global variables instead of files.

    Classes defined in the namespace count as the learner's, so their instances
    come back wrapped and every method call is guarded, as for files.
    """

    def __init__(self, namespace: dict, part: int, label: str = "notebook"):
        super().__init__(REPO_ROOT, label=label)
        module = types.ModuleType(f"_course_impl_notebook_{part}")
        module.__dict__.update({k: v for k, v in namespace.items() if not k.startswith("__")})
        for stem in PARTS[part].files:
            self._modules[(part, stem)] = module
        self._classes = {
            value
            for value in namespace.values()
            if isinstance(value, type) and (value.__module__ == "__main__" or value.__module__ not in sys.modules)
        }

    def _is_learner_object(self, value) -> bool:
        return type(value) in self._classes or super()._is_learner_object(value)


def grade_namespace(
    namespace: dict, api: str, suites: tuple[str, ...] = ("public", "hidden")
) -> tuple[float, float, list[str]]:
    """Run the course's tests of one API on a notebook's globals: (score, max score, failure summaries)."""
    from autograder.shared.api import part_of
    from autograder.trusted.harness.run import run_suite

    part = part_of(api).number
    tests = run_suite(NamespaceImplementation(namespace, part), parts=[part], suites=suites, device="cpu", apis=[api])
    failures = [f"{t.name}: {t.output}" for t in tests if t.status == "failed"]
    return sum(t.score for t in tests), sum(t.max_score for t in tests), failures


def check_api(namespace: dict, api: str) -> None:
    """Raise AssertionError, naming the failed tests, unless the notebook's ``api`` gets full marks."""
    score, max_score, failures = grade_namespace(namespace, api)
    assert max_score > 0, f"no test of {api} ran"
    assert score == max_score, f"{api}: {score:g} / {max_score:g}\n" + "\n".join(failures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report drift, write nothing")
    parser.add_argument("--execute", action="store_true", help="run the committed notebooks against solutions/")
    parser.add_argument("--impl", default="solutions", help="with --execute: solutions or assignments")
    args = parser.parse_args(argv)
    if args.check:
        stale = drifted()
        for path in stale:
            print(f"stale notebook: {path.relative_to(REPO_ROOT)} (run: make notebooks)")
        return 1 if stale else 0
    if args.execute:
        for path in sorted(expected_notebooks()):
            _, seconds = execute(path, args.impl)
            print(f"ran {path.relative_to(REPO_ROOT)} against {args.impl}/ in {seconds:.1f} s")
        return 0
    for path, text in expected_notebooks().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
