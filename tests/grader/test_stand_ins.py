"""Stand-ins for display-only modules: a progress bar passes its items through, a plot does nothing, no value leaks."""

import importlib.util

import pytest
import torch

from autograder.sandboxed.stand_ins import Nothing, StandIns


def stand_in(name: str):
    """The module the worker's finder would supply for ``name``, made here without installing the finder."""
    finder = StandIns()
    spec = finder.find_spec(name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, finder


def test_tqdm_yields_the_items_unchanged_and_its_bar_methods_do_nothing():
    tqdm, _ = stand_in("tqdm.auto")
    bar = tqdm.tqdm(range(4), desc="epochs", leave=False)
    assert list(bar) == [0, 1, 2, 3] and len(bar) == 4
    bar.set_description("loss 0.1")
    bar.set_postfix(loss=0.1)
    bar.update(1)
    bar.close()
    assert list(tqdm.trange(2, 5)) == [2, 3, 4]
    with tqdm.tqdm(total=10) as manual:
        manual.update(3)


def test_plots_do_nothing_and_the_usual_unpacking_works():
    plt, finder = stand_in("matplotlib.pyplot")
    fig, ax = plt.subplots(1, 2, figsize=(8, 4))
    ax[0].plot([1, 2, 3])
    plt.plot([1, 2], label="loss")
    plt.legend()
    with plt.style.context("ggplot"):
        plt.show()
    assert list(ax) == [] and finder.used == ["matplotlib.pyplot"]


def test_a_stand_in_value_can_never_become_a_tensor():
    sns, _ = stand_in("seaborn")
    value = sns.softmax(torch.zeros(3))
    assert isinstance(value, Nothing)
    with pytest.raises((TypeError, RuntimeError, ValueError)):
        torch.as_tensor(value)
    with pytest.raises(AttributeError):
        value.__array__  # noqa: B018 - numpy and torch find no conversion


@pytest.mark.parametrize("name", ["tqdmx", "matplotlib_extra", "torch", "json", "googleapis"])
def test_only_display_only_modules_are_stood_in(name):
    assert StandIns().find_spec(name) is None
