#!/bin/sh
# Install PyTorch into a virtualenv unless it is there already: a CPU build unless asked for CUDA.
#
#   sh mk/install-torch.sh PYTHON VERSION cpu|cuda CPU_INDEX_URL
#
# A CPU wheel on local disk (pip's find-links) is used first, so no multi-GB
# download happens where one is at hand; then PyTorch's CPU index. "cuda" takes
# PyPI's default build (CUDA on Linux). The main Makefile and the learner
# release's Makefile both call this one script.
set -eu
python=$1 version=$2 flavor=$3 cpu_index=$4
if "$python" -c "import torch" 2>/dev/null; then
    exit 0
fi
echo "installing torch $version ($flavor build)"
if [ "$flavor" = "cuda" ]; then
    exec "$python" -m pip install --quiet "torch==$version"
fi
if "$python" -m pip install --quiet --no-index --no-deps "torch==$version" 2>/dev/null; then
    exec "$python" -m pip install --quiet "torch==$version"  # its dependencies, from the package index
fi
exec "$python" -m pip install --quiet "torch==$version" --index-url "$cpu_index" --extra-index-url https://pypi.org/simple
