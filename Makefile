# The two commands of the README: `make run` and `make test`. Everything else supports them.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run test test-fast lint eval eval-dev3 eval-dev4 eval-dev5 eval-dev6 eval-dev7 eval-dev8 eval-dev9 eval-dev10 eval-test eval-briefs bench chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Indexes corpus/ (progress bar; unchanged files are skipped), then serves http://127.0.0.1:7860
run: install
	$(BIN)/briefing web

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; }

test: install chromium
	$(BIN)/pytest

# The edit-test loop: unit tests only (hashing embeddings, loopback fakes; no real model, no
# `chroma run`, no browser). Under a minute; `make test` (what CI runs) remains the full check.
test-fast: install
	$(BIN)/pytest -m "not integration"

# The eval over corpus/ against evals/baseline.json; reports in evals/out/ (docs/evals.md)
eval: install
	$(BIN)/briefing eval evals/cases.jsonl --corpus corpus

# The third development split (its own articles; fitted on like evals/cases.jsonl)
eval-dev3: install
	$(BIN)/briefing eval evals/dev3/cases.jsonl --corpus evals/dev3/corpus --out evals/out/dev3

# The fourth development split (fitted on like the others)
eval-dev4: install
	$(BIN)/briefing eval evals/dev4/cases.jsonl --corpus evals/dev4/corpus --out evals/out/dev4

# The fifth development split (fitted on like the others)
eval-dev5: install
	$(BIN)/briefing eval evals/dev5/cases.jsonl --corpus evals/dev5/corpus --out evals/out/dev5

# The sixth development split (fitted on like the others)
eval-dev6: install
	$(BIN)/briefing eval evals/dev6/cases.jsonl --corpus evals/dev6/corpus --out evals/out/dev6

# The seventh development split (fitted on like the others)
eval-dev7: install
	$(BIN)/briefing eval evals/dev7/cases.jsonl --corpus evals/dev7/corpus --out evals/out/dev7

# The eighth development split (fitted on like the others)
eval-dev8: install
	$(BIN)/briefing eval evals/dev8/cases.jsonl --corpus evals/dev8/corpus --out evals/out/dev8

# The ninth development split (its first run measured the seventh round blind)
eval-dev9: install
	$(BIN)/briefing eval evals/dev9/cases.jsonl --corpus evals/dev9/corpus --out evals/out/dev9

# The tenth development split (written blind; its first run makes its baseline)
eval-dev10: install
	$(BIN)/briefing eval evals/dev10/cases.jsonl --corpus evals/dev10/corpus --out evals/out/dev10

# Briefs on reference topics: corpus/, dev3 to dev10 (dev10 written blind), then the held-out
# test corpus (reported only). Reports in evals/out/briefs*/.
eval-briefs: install
	$(BIN)/briefing eval --briefs evals/briefs/topics.jsonl --corpus corpus --out evals/out/briefs; \
	status=$$?; \
	$(BIN)/briefing eval --briefs evals/dev3/briefs.jsonl --corpus evals/dev3/corpus \
	  --out evals/out/briefs-dev3 || status=1; \
	$(BIN)/briefing eval --briefs evals/dev4/briefs.jsonl --corpus evals/dev4/corpus \
	  --out evals/out/briefs-dev4 || status=1; \
	$(BIN)/briefing eval --briefs evals/dev5/briefs.jsonl --corpus evals/dev5/corpus \
	  --out evals/out/briefs-dev5 || status=1; \
	$(BIN)/briefing eval --briefs evals/dev6/briefs.jsonl --corpus evals/dev6/corpus \
	  --out evals/out/briefs-dev6 || status=1; \
	$(BIN)/briefing eval --briefs evals/dev7/briefs.jsonl --corpus evals/dev7/corpus \
	  --out evals/out/briefs-dev7 || status=1; \
	$(BIN)/briefing eval --briefs evals/dev8/briefs.jsonl --corpus evals/dev8/corpus \
	  --out evals/out/briefs-dev8 || status=1; \
	$(BIN)/briefing eval --briefs evals/dev9/briefs.jsonl --corpus evals/dev9/corpus \
	  --out evals/out/briefs-dev9 || status=1; \
	$(BIN)/briefing eval --briefs evals/dev10/briefs.jsonl --corpus evals/dev10/corpus \
	  --out evals/out/briefs-dev10 || status=1; \
	$(BIN)/briefing eval --briefs evals/test/briefs.jsonl --corpus evals/test/corpus \
	  --out evals/out/briefs-test || status=1; \
	exit $$status

# The held-out split: its own articles, gated against evals/test/baseline.json (reports in
# evals/out/test/); then the same cases with corpus/ indexed too, as distractors, compared with
# that first run (reports in evals/out/test-both/). The exit status is the gated first run's.
eval-test: install
	$(BIN)/briefing eval evals/test/cases.jsonl --corpus evals/test/corpus --out evals/out/test; \
	status=$$?; \
	$(BIN)/briefing eval evals/test/cases.jsonl --corpus evals/test/corpus --corpus corpus \
	  --out evals/out/test-both --baseline evals/out/test/report.json; \
	exit $$status

lint: install
	$(BIN)/ruff check assistant ui tests
	$(BIN)/ruff format --check assistant ui tests

# The benchmark's extra: langchain-chroma for its peer pipeline (the tests do not need it)
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install -q -e '.[dev,bench]'
	touch $(BENCH_STAMP)

# The benchmark (1k/10k/100k chunks; the first run embeds and caches the corpora under
# bench/.cache/, ~25 min on an idle 2-core machine); results in BENCHMARKS.md and bench/results.png
bench: $(BENCH_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)
