# Balikpapan Untuk Warga — the two commands (`make run`, `make test`) and their helpers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: run test lint format worker beat messages lock migrations-check schema audit clean bench backup restore
.PHONY: cluster cluster-stop cluster-kill-test bench-celery

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

# The city-scale benchmark: writes docs/performance.md and bench/results/latest.json. Needs
# PostgreSQL, Redis and wrk; BENCH_SECONDS, BENCH_SCALE, BENCH_WORKERS, BENCH_DATABASE_URL tune
# it, BENCH_ARGS passes more (e.g. BENCH_ARGS="--smoke" or "--reseed").
bench: $(STAMP) var
	$(BIN)/python bench/run.py $(BENCH_ARGS)

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

# The database (pg_dump custom format / SQLite online copy) and PRIVATE_MEDIA_ROOT into
# BACKUP_DIR/<UTC timestamp>/ with a manifest (row counts, sha256); see docs/deployment.md.
backup: $(STAMP) var
	$(BIN)/python manage.py backup

# make restore FROM=var/backups/<timestamp> [DATABASE_URL=<fresh db>] [PRIVATE_MEDIA_ROOT=<empty dir>]
# Into a fresh database and an empty directory only; verified against the manifest.
restore: $(STAMP)
	@test -n "$(FROM)" || (echo "usage: make restore FROM=<backup dir>" >&2; exit 2)
	$(BIN)/python manage.py restore "$(FROM)"

# A production-shaped cluster on this machine (deploy/cluster/cluster.py): HAProxy on :8200 in front
# of two gunicorn instances, two Celery workers and beat on Redis, one PostgreSQL; DEBUG off.
# Foreground: Ctrl-C stops everything. CLUSTER_ARGS=--seed loads the demo data, --detach runs it
# in the background (then `make cluster-stop`).
cluster: $(STAMP) var
	$(BIN)/python deploy/cluster/cluster.py up $(CLUSTER_ARGS)

cluster-stop:
	$(BIN)/python deploy/cluster/cluster.py stop

# Kill one web instance under load; writes bench/results/cluster-kill.json.
cluster-kill-test: $(STAMP) var
	$(BIN)/python deploy/cluster/kill_test.py $(KILL_TEST_ARGS)

# 10,000 notifications fanned out by two Celery workers on Redis; bench/results/celery-fanout.json.
bench-celery: $(STAMP) var
	$(BIN)/python deploy/cluster/celery_fanout.py $(FANOUT_ARGS)

clean:
	rm -rf $(VENV) var
