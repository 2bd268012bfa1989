# Thin front over CMake. `make demo` and `make test` work on a bare Debian machine.
BUILD ?= build
JOBS  ?= $(shell nproc)
NPUFI := $(BUILD)/npufi

.PHONY: all build deps configure test demo bench clean

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

clean:
	rm -rf $(BUILD)
