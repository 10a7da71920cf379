# Two commands: `make run` and `make test`. Everything else is set-up they share.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
BUILD := engage/static/build
TRANSLATIONS := engage/translations
# The interface catalogues: .po files are committed, the compiled .mo files are built here.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install assets db demo lint clean lock sbom audit translations

# The analysis worker runs beside the web server and stops with it.
run: install assets db demo
	$(BIN)/engage worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	  $(BIN)/engage run --host $(HOST) --port $(PORT)

# pytest exits 5 when it collected no tests: that is not a failure of the code.
test: install assets
	$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then exit 0; fi; exit $$rc

install: $(VENV)/.installed $(MO_FILES)

$(VENV)/.installed: pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

# After changing interface text: re-extract the strings into the .pot and merge them into every
# catalogue (new strings arrive untranslated; see "Languages" in the README).
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l --project=Engage --no-wrap \
	  --msgid-bugs-address=send.engagement@northmoor.example -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-wrap \
	  --ignore-obsolete --no-fuzzy-matching
	$(MAKE) install

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: $(BUILD)/engage.css

$(BUILD)/engage.css: node_modules/.installed $(wildcard frontend/*.scss) $(wildcard frontend/*.js) scripts/build_assets.sh scripts/build_symbols.py
	sh scripts/build_assets.sh

db: install
	$(BIN)/engage db upgrade

demo: db
	if $(BIN)/engage db-is-empty; then $(BIN)/engage demo; else echo "Database has data: demo not loaded again."; fi

lint: install
	$(BIN)/ruff check engage tests bench
	$(BIN)/ruff format --check engage tests bench

# Dependencies: the lock pins every package; the SBOM (CycloneDX) lists them with licences.
lock: install
	{ sed -n '1,2p' requirements.lock; $(BIN)/pip freeze --exclude-editable | grep -v '^-e'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

sbom: install
	$(BIN)/cyclonedx-py environment --pyproject pyproject.toml --of JSON -o docs/sbom.cdx.json $(BIN)/python

# Needs the vulnerability service at pypi.org, which these machines cannot reach (docs/security.md).
audit: install
	$(BIN)/pip install --quiet pip-audit
	$(BIN)/pip-audit --strict -r requirements.lock

clean:
	rm -rf $(VENV) node_modules $(BUILD)

# Benchmarks (scripts, not tests; see bench/README.md). Each run stays under 3 minutes on
# 127.0.0.1 except results/export at full scale, which build 100,000+ responses first.
.PHONY: bench
bench: install assets
	$(BIN)/python -m bench.submit
	$(BIN)/python -m bench.load_submit --run-time 2m
	$(BIN)/python -m bench.results --scales 10000,100000
	$(BIN)/python -m bench.export --answers 1000000
	$(BIN)/python -m bench.page_weight
