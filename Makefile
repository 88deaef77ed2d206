# factoryhub — the two commands: `make demo` and `make test`. See README.md.
# Every target installs what is missing first (scripts/install-deps, apt-get; idempotent).

RELEASE_DIR ?= build/release
ASAN_DIR    ?= build/asan
JOBS        ?= $(shell nproc)
CMAKE_FLAGS ?=
DEMO_PORT   ?= 8080
DEMO_DIR    ?= demo-hub
# CI=true makes warnings errors.
WERROR      := $(if $(filter true,$(CI)),ON,OFF)

FH := $(RELEASE_DIR)/src/factoryhub

.PHONY: all deps build build-asan demo test test-release test-asan bench format format-check clean

all: build

deps:
	@scripts/install-deps

# CMake runs every time (a second when nothing changed) so that flags such as FH_WERROR
# always apply, also to a build folder configured before.
build: deps
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DFH_WERROR=$(WERROR) $(CMAKE_FLAGS) >/dev/null
	ninja -C $(RELEASE_DIR) -j $(JOBS)

build-asan: deps
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFH_SANITIZE=ON -DFH_BUILD_BENCH=OFF -DFH_WERROR=$(WERROR) $(CMAKE_FLAGS) >/dev/null
	ninja -C $(ASAN_DIR) -j $(JOBS)

# The main job: a demo hub with a live plant, served on http://localhost:$(DEMO_PORT).
demo: build
	$(FH) demo --dir $(DEMO_DIR) --port $(DEMO_PORT)

# Every test: the Release build, then the AddressSanitizer + UBSan build.
test: test-release test-asan
	@echo "make test: all test suites passed (release and asan+ubsan)"

test-release: build
	cd $(RELEASE_DIR) && ctest --output-on-failure -j $(JOBS)

test-asan: build-asan
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

# End-to-end benchmarks against the peers, on this machine, in one run: bench/run.
bench: build
	bench/run $(FH)

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

format-check:
	git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run -Werror

clean:
	rm -rf build
