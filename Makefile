# Thin front over CMake. `make demo` and `make test` work on a bare Debian machine.
BUILD ?= build
JOBS  ?= $(shell nproc)
NPUFI := $(BUILD)/npufi

FUZZ_SECONDS ?= 1200
FUZZ_RUNS    ?= 1000000

.PHONY: all build deps configure test demo bench sanitize fuzz clean

all: build

deps:
	scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

configure: $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

test: deps
	$(MAKE) build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: deps
	$(MAKE) build
	scripts/demo $(BUILD)

bench: deps
	$(MAKE) build
	scripts/bench $(BUILD)

# ASan + UBSan build (g++, build-sanitize/) and the whole ctest suite on it; docs/testing.md.
sanitize: deps
	scripts/sanitize

# The libFuzzer harnesses of tests/fuzz (clang, build-fuzz/), each for FUZZ_RUNS executions or FUZZ_SECONDS.
fuzz: deps
	scripts/fuzz --runs $(FUZZ_RUNS) --seconds $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) build-sanitize build-fuzz
