# Balikpapan Untuk Warga — the two commands (`make run`, `make test`) and their helpers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: run test lint format worker beat messages lock migrations-check schema audit clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

var:
	mkdir -p var

run: $(STAMP) var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# PYTEST_WORKERS: parallel pytest processes (pytest-xdist); each gets its own test database.
test: $(STAMP) var
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: $(STAMP)
	$(BIN)/celery -A balikpapan_untuk_warga worker --loglevel=INFO

beat: $(STAMP) var
	$(BIN)/celery -A balikpapan_untuk_warga beat --loglevel=INFO --schedule=var/celerybeat-schedule

# Re-extract and compile the Indonesian translation (needs gettext's msgfmt).
# One run at the top: each domain module's strings go to its own <app>/locale/ catalog
# (LOCALE_PATHS lists those first), the rest to locale/.
messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale=id --ignore=.venv --ignore=var --ignore=tests \
		--ignore=services/skeleton --no-location --no-obsolete
	$(BIN)/python manage.py compilemessages --locale=id --ignore=.venv --ignore=services/skeleton

# Pin the versions a fresh install takes (commit constraints.txt afterwards).
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

schema: $(STAMP)
	$(BIN)/python manage.py spectacular --fail-on-warn --validate --lang en --file docs/openapi.yaml

# Known vulnerabilities of the installed packages (pip-audit --strict). Prints NOT AUDITED and
# exits 0 only when the advisory source is unreachable; any vulnerability fails.
audit: $(STAMP)
	$(BIN)/python tests/security/audit_gate.py

clean:
	rm -rf $(VENV) var
