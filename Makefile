# The README's two commands are `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
DEMO_CORPUS_PORT ?= 8765

.DEFAULT_GOAL := help
.PHONY: help setup demo run test test-pg lint format bench worker beat check-deploy clean

help:
	@echo "make demo    set up .venv, load the demo corpus through the scrapers, serve http://$(HOST):$(PORT)/"
	@echo "make test    run the whole test suite (SQLite + eager Celery unless DATABASE_URL/CELERY_BROKER_URL are set)"
	@echo "make bench   run the benchmarks and print their tables"
	@echo "make worker / make beat   Celery worker and beat for the real-services setup (see README)"

# A stamp file re-installs only when a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: setup
	$(BIN)/python manage.py demo --corpus-port $(DEMO_CORPUS_PORT)
	@echo ""
	@echo "  Dashboard:  http://$(HOST):$(PORT)/"
	@echo "  Admin:      http://$(HOST):$(PORT)/admin/   (user: demo  password: demo)"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

run: setup
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed
	$(BIN)/python -m pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed
	$(BIN)/python -m bench

worker:
	$(BIN)/celery -A tracker worker --loglevel=INFO --concurrency=2

beat:
	$(BIN)/celery -A tracker beat --loglevel=INFO --schedule=var/celerybeat-schedule

check-deploy:
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-but-long-enough-for-the-check ALLOWED_HOSTS=tracker.example \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache
