# Silver Market (银龄集市). `make run` and `make test` work from a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
VAR_DIR ?= var
WORKERS ?= 3
export VAR_DIR

.PHONY: run serve install test smoke bench bench-tlog lint browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

$(VAR_DIR)/secret_key:
	mkdir -p $(VAR_DIR)
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# Ed25519 keys of the transparency log and of its witness (the regulator), PEM, owner-only.
$(VAR_DIR)/tlog_signing_key $(VAR_DIR)/tlog_witness_key: | $(VENV)/.installed
	mkdir -p $(VAR_DIR)
	umask 077 && $(BIN)/python -c "import sys; from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey as K; from traceability.transparency.note import private_key_text; sys.stdout.write(private_key_text(K.generate()))" > $@

# Fresh clone → demo site at http://127.0.0.1:$(PORT). A second run reuses the environment and data.
run: install $(VAR_DIR)/secret_key $(VAR_DIR)/tlog_signing_key $(VAR_DIR)/tlog_witness_key
	export DEMO_MODE=true SECRET_KEY="$$(cat $(VAR_DIR)/secret_key)"; \
	export TLOG_SIGNING_KEY_FILE="$${TLOG_SIGNING_KEY_FILE:-$(VAR_DIR)/tlog_signing_key}"; \
	export TLOG_WITNESS_KEY_FILE="$${TLOG_WITNESS_KEY_FILE:-$(VAR_DIR)/tlog_witness_key}"; \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py seed_demo && \
	$(BIN)/python manage.py tlog_checkpoint >/dev/null && $(BIN)/python manage.py tlog_witness >/dev/null && \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	echo "银龄集市 Silver Market: http://127.0.0.1:$(PORT)/" && \
	exec $(BIN)/gunicorn marketplace.wsgi:application --bind 127.0.0.1:$(PORT) --workers $(WORKERS) \
		--access-logfile - --access-logformat '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms' --graceful-timeout 5

# The whole suite. DATABASE_URL picks PostgreSQL (CI does); otherwise SQLite. Browser tests use
# Debian's Chromium: installed here when missing and possible (root), else they skip locally.
test: install
	-@$(MAKE) --no-print-directory browser
	SECRET_KEY=test-only-secret TESTING=true $(BIN)/python -m pytest $(PYTEST_ARGS)

# make run's path on SQLite, end to end: migrate, seed, collectstatic, gunicorn, fetch pages.
smoke: install
	bash .ci/smoke

# Production-like: DEBUG off, real static manifest. Use DATABASE_URL=postgres://… for the 100k run.
bench: install $(VAR_DIR)/secret_key
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	export SECRET_KEY="$$(cat $(VAR_DIR)/secret_key)" DEBUG=false; \
	$(BIN)/python manage.py migrate --noinput --verbosity 0 && $(BIN)/python manage.py bench $(BENCH_ARGS)

# Transparency log: appends/s, offline proof verification, and (TLOG_BENCH_ARGS=--verify) the whole check.
bench-tlog: install $(VAR_DIR)/secret_key $(VAR_DIR)/tlog_signing_key $(VAR_DIR)/tlog_witness_key
	SECRET_KEY="$$(cat $(VAR_DIR)/secret_key)" DEBUG=false TLOG_SIGNING_KEY_FILE=$(VAR_DIR)/tlog_signing_key \
		TLOG_WITNESS_KEY_FILE=$(VAR_DIR)/tlog_witness_key $(BIN)/python manage.py bench_tlog $(TLOG_BENCH_ARGS)

lint: install
	$(BIN)/ruff check .

# Debian's Chromium for the browser tests (never a downloaded browser).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

clean:
	rm -rf $(VENV) $(VAR_DIR)
