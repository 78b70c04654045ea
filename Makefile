# The two commands of the README:
#   make run    installs what is missing, builds, runs the default program
#   make test   installs what is missing, builds, runs the whole test suite
# `make test SANITIZE=1` does the same under AddressSanitizer and
# UndefinedBehaviorSanitizer, in its own build tree.
# `make fuzz` builds the libFuzzer targets (tests/fuzz/) with clang in
# build-fuzz and fuzzes each for FUZZ_SECONDS from a copy of its seed corpus.

SANITIZE ?= 0
ifeq ($(SANITIZE),1)
BUILD ?= build-sanitize
CMAKE_FLAGS = -DSPINLAB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
else
BUILD ?= build
CMAKE_FLAGS = -DCMAKE_BUILD_TYPE=RelWithDebInfo
endif
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60

.PHONY: run test build setup clean fuzz

run: build
	./$(BUILD)/spinlab run configs/default.toml

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

build: setup
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

# Only what the fuzzers need: no firmware (no cross build), only the fuzz
# targets and their libraries built, only the fuzz tests run (two at once,
# one a core; the replays of the corpus, label fuzz-replay, come along).
fuzz: setup
	cmake -S . -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPINLAB_FUZZ=ON -DSPINLAB_FIRMWARE=OFF -DSPINLAB_FUZZ_SECONDS=$(FUZZ_SECONDS)
	cmake --build build-fuzz -j$(JOBS) --target fuzz_all
	ctest --test-dir build-fuzz -L fuzz --output-on-failure -j$(JOBS)

setup:
	./scripts/setup.sh

clean:
	rm -rf build build-sanitize build-fuzz
