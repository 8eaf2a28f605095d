# The README's commands. `make run` sets everything up and starts the chat; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# llama.cpp is built for any AVX2 machine, not with -march=native: on CPUs with AMX a native build uses
# AMX tiles, which this sandbox does not grant, and the first matrix multiply segfaults.
LLAMA_VERSION    := 0.3.36
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON

.PHONY: setup run test test-fast lint eval browser clean-index

setup: $(STAMP)

# torch is pinned to the CPU build first: a plain `torch` requirement would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install --quiet 'llama-cpp-python==$(LLAMA_VERSION)'
	$(PY) -m pip install --quiet -e '.[dev]'
	HF_HUB_OFFLINE=1 $(PY) -m rag.onnx_embed
	touch $(STAMP)

run: setup
	$(PY) app.py

# Chromium for the browser tests comes from Debian (Playwright's own browser download cannot work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; }

test: setup browser
	$(PY) -m pytest -q --durations=12

# No model, index, server or browser: the policy, parsing, text and date logic on hand-made data.
test-fast: setup
	$(PY) -m pytest -q -m "not slow and not model"

lint: setup
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

eval: setup
	$(PY) -m eval eval/qa/seed.jsonl --out eval/out/seed
	$(PY) -m eval eval/qa/dated/qa.jsonl --corpus eval/qa/dated/corpus --out eval/out/dated \
		--min-in-range 1 --min-latest-newest 0.9
	$(PY) -m eval eval/qa/synthesis/seed.jsonl --out eval/out/synth-seed
	$(PY) -m eval eval/qa/synthesis/dated.jsonl --corpus eval/qa/dated/corpus --out eval/out/synth-dated
	$(PY) -m eval.off_story dated
	if [ -d ../shared/datasets/realtimeqa-dev ]; then \
		$(PY) -m eval ../shared/datasets/realtimeqa-dev/qa.jsonl --corpus ../shared/datasets/realtimeqa-dev/corpus.jsonl \
			--out eval/out/rtqa --min-accuracy 0.7 && \
		$(PY) -m eval.off_story realtimeqa && \
		for set in realtimeqa realnews realnews2 realnews3 realnews4 realnews5 realnews6 realnews7 realnews8 realnews9 realnews10 realnews11 realnews12 realnews13 realnews14 realnews15 realnews16 realnews17 realnews18 realnews19 realnews20 realnews21 realnews22; do \
			$(PY) -m eval eval/qa/synthesis/$$set.jsonl --corpus ../shared/datasets/realtimeqa-dev/corpus.jsonl \
				--out eval/out/synth-$$set || exit 1; \
		done; fi

clean-index:
	rm -rf data/index
