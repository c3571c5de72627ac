# The performance benchmark (included by the main Makefile; not part of `make check`: it takes minutes).
#
#   make bench                   classes of 10, 40 and 160 submissions (about 7 minutes on 2 cores; GPU figures where CUDA is present)
#   make bench QUICK=1           classes of 5, 10 and 20
#   make bench SIZES=5,10,20     any class sizes for the cost-growth fit; BENCH_ARGS="--jobs 4 --part 1" for more

SIZES ?=
QUICK ?=
BENCH_ARGS ?=

.PHONY: bench help-bench

bench: $(STAMP)
	$(PY) -m bench $(if $(QUICK),--quick) $(if $(SIZES),--sizes $(SIZES)) $(BENCH_ARGS)

help-bench:
	@echo "make bench      throughput, fixed cost, learner loop, memory, cost growth, GPU where present, against baselines (QUICK=1, SIZES=5,10,20)"
