# The two commands of the README:
#   make run    installs what is missing, builds, runs the default program
#   make test   installs what is missing, builds, runs the whole test suite
# `make test SANITIZE=1` does the same under AddressSanitizer and
# UndefinedBehaviorSanitizer, in its own build tree.

SANITIZE ?= 0
ifeq ($(SANITIZE),1)
BUILD ?= build-sanitize
CMAKE_FLAGS = -DSPINLAB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
else
BUILD ?= build
CMAKE_FLAGS = -DCMAKE_BUILD_TYPE=RelWithDebInfo
endif
JOBS ?= $(shell nproc)

.PHONY: run test build setup clean

run: build
	./$(BUILD)/spinlab run configs/default.toml

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

build: setup
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

setup:
	./scripts/setup.sh

clean:
	rm -rf build build-sanitize
