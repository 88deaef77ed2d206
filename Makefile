# factoryhub — the two commands: `make demo` and `make test`. See README.md.
# Every target installs what is missing first (scripts/install-deps, apt-get; idempotent).

RELEASE_DIR ?= build/release
ASAN_DIR    ?= build/asan-clang
FUZZ_DIR    ?= build/fuzz
# Seconds each libFuzzer harness runs in `make fuzz` (`make test` passes fewer).
FUZZ_SECONDS ?= 20
FUZZERS     := csv_reader json_reader xlsx_reader line_protocol http_request opcua_decode influxql
JOBS        ?= $(shell scripts/usable-cores)
CMAKE_FLAGS ?=
DEMO_PORT   ?= 8080
DEMO_DIR    ?= demo-hub
# CI=true makes warnings errors.
WERROR      := $(if $(filter true,$(CI)),ON,OFF)

FH := $(RELEASE_DIR)/src/factoryhub

.PHONY: all deps interop-deps web web-deps configure build build-program build-asan build-fuzz demo demo-opcua test test-release test-asan fuzz bench bench-ml format \
        format-check clean deb

all: build

deps:
	@scripts/install-deps

# The client libraries of tests/interop (node-influx, influxdb-client, ...), exactly as
# package-lock.json pins them; again only when the lock file changed.
interop-deps: deps tests/interop/node_modules/.package-lock.json

tests/interop/node_modules/.package-lock.json: tests/interop/package-lock.json
	npm ci --prefix tests/interop --no-audit --no-fund

# The web dashboard (web/): its npm packages exactly as package-lock.json pins them, then
# Vite's build into web/dist, which the program embeds (scripts/embed_web.py). Both only
# when something they read changed.
WEB_SOURCES := $(shell find web/src web/index.html web/vite.config.ts web/tsconfig.json -type f 2>/dev/null)
web-deps: deps web/node_modules/.package-lock.json

web/node_modules/.package-lock.json: web/package-lock.json
	npm ci --prefix web --no-audit --no-fund

web: web-deps web/dist/index.html

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES) src/api/openapi.yaml
	cd web && npm run -s types >/dev/null && npx vite build --logLevel warn

# CMake runs every time (a second when nothing changed) so that flags such as FH_WERROR
# always apply, also to a build folder configured before.
configure: deps web
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DFH_WERROR=$(WERROR) $(CMAKE_FLAGS) >/dev/null

build: configure
	ninja -C $(RELEASE_DIR) -j $(JOBS)

# The program and its neural-network plugin only (fh_ml depends on the plugin): what the
# demo runs, without the test suites and benchmarks a newcomer does not need to wait for.
build-program: configure
	ninja -C $(RELEASE_DIR) -j $(JOBS) factoryhub

# The Debian package: the program, its neural-network plugin, the systemd unit
# factoryhub.service (DynamicUser, ProtectSystem=strict), /etc/factoryhub/factoryhub.env;
# into build/deb (scripts/make-deb, docs/operations.md#the-debian-package).
deb: build-program
	scripts/make-deb $(RELEASE_DIR) build/deb

# The sanitizer build uses clang: it compiles this code base a quarter faster than GCC under
# ASan, which keeps `make test` within CI's budget. CC/CXX only take effect when the folder
# is first configured.
build-asan: deps web
	CC=clang CXX=clang++ cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFH_SANITIZE=ON -DFH_BUILD_BENCH=OFF -DFH_WERROR=$(WERROR) $(CMAKE_FLAGS) >/dev/null
	ninja -C $(ASAN_DIR) -j $(JOBS)

# The libFuzzer harnesses and the libraries under them, built by clang with coverage, ASan
# and UBSan. CC/CXX only take effect when the folder is first configured.
build-fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DFH_FUZZ=ON -DFH_BUILD_TESTS=OFF -DFH_BUILD_BENCH=OFF -DFH_WERROR=$(WERROR) $(CMAKE_FLAGS) >/dev/null
	ninja -C $(FUZZ_DIR) -j $(JOBS) fuzzers

# The main job: a demo hub with a live plant, served on http://localhost:$(DEMO_PORT).
demo: build-program
	$(FH) demo --dir $(DEMO_DIR) --port $(DEMO_PORT)

# The demo with a CNC whose controller is an OPC UA server: node-opcua's machine model
# (tests/interop/opcua/server.mjs) on 127.0.0.1:$(OPCUA_PORT), collected by an opcua connector
# of the demo hub, stopped with the demo.
OPCUA_PORT ?= 4840
demo-opcua: build-program interop-deps
	@node tests/interop/opcua/server.mjs --port $(OPCUA_PORT) --rate-ms 500 >/dev/null 2>&1 & srv=$$!; \
	trap "kill $$srv 2>/dev/null" EXIT INT TERM; \
	$(FH) demo --dir $(DEMO_DIR) --port $(DEMO_PORT) --opcua opc.tcp://127.0.0.1:$(OPCUA_PORT)/factoryhub

# Every test: the Release build, then the AddressSanitizer + UBSan build, then a short fuzz.
test: test-release test-asan
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=15
	@echo "make test: all test suites passed (release and asan+ubsan), fuzzers found nothing"

test-release: build interop-deps
	@scripts/usable-cores --explain >/dev/null
	cd $(RELEASE_DIR) && ctest --output-on-failure -j $(JOBS)

# The volume tests are left to the Release run: what they assert (the bytes a quarantine or
# a WAL takes on disk) does not depend on the sanitizers, and ASan's allocator maps and
# zeroes each of SQLite's large statement buffers afresh, which makes them 150 times slower.
# So are the end-to-end trainings on the real data sets (AI4I, C-MAPSS and its multi-regime
# fleet): minutes under ASan, spent in XGBoost and libtorch, which are not instrumented; the
# code of ours they run is exercised under ASan by ml_test and the smaller CLI training tests. The Debian package is
# made from the Release build, so its test (deb_package) runs there only.
ASAN_SKIPS := ^(QuarantineSizeTest|WalSizeTest)\.|^CliTrainTest\.(Ai4i|Cmapss|TrainStoresVersions|PerRegime)|^deb_package$$
test-asan: build-asan interop-deps
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) -E '$(ASAN_SKIPS)'

# Each harness for $(FUZZ_SECONDS) s on a working copy of its seed corpus (fuzz/corpus/NAME)
# in $(FUZZ_DIR)/corpus/NAME: the checked-in seeds stay as they are, and what a run adds is
# kept for the next run in the same folder. A crash, leak, UB or hang (-timeout) fails the
# target; the input that did it is kept in $(FUZZ_DIR)/crashes/ (NAME-crash-<sha1>, ...).
fuzz: build-fuzz
	@mkdir -p $(FUZZ_DIR)/crashes
	@for f in $(FUZZERS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$f && cp fuzz/corpus/$$f/* $(FUZZ_DIR)/corpus/$$f/ && \
	  echo "fuzz: $$f for $(FUZZ_SECONDS) s (log: $(FUZZ_DIR)/$$f.log)" && \
	  if ! $(FUZZ_DIR)/fuzz/$${f}_fuzzer -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	      -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/crashes/$$f- \
	      $(FUZZ_DIR)/corpus/$$f >$(FUZZ_DIR)/$$f.log 2>&1; then \
	    tail -n 60 $(FUZZ_DIR)/$$f.log; echo "fuzz: $$f FAILED"; exit 1; \
	  fi; \
	  grep -E '^Done [0-9]+ runs' $(FUZZ_DIR)/$$f.log || true; \
	done

# End-to-end benchmarks against the peers, on this machine, in one run: bench/run.
bench: build
	@scripts/install-deps bench
	bench/run $(FH)

# Models against scikit-learn, xgboost and torch (Debian's python3 packages): bench/run-ml.
bench-ml: build
	@scripts/install-deps bench-ml
	bench/run-ml $(FH)

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

format-check:
	git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run -Werror

clean:
	rm -rf build
