# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(PATH):/opt/swift/usr/bin
SWIFT ?= swift

.PHONY: run test soak bench build deps format clean

deps:
	@deploy/dev/install-deps.sh

build: deps
	$(SWIFT) build

## Starts a private PostgreSQL under .data/, migrates it and serves on 127.0.0.1:7070.
run: deps
	$(SWIFT) build --product billingd
	$(SWIFT) build --product billingctl
	.build/debug/billingd dev --data-dir .data

## Builds and runs every test against a throwaway PostgreSQL (started and stopped by the tests).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## The reliability suite run long (docs/reliability.md): two million fuzzed frames, 25 SIGKILLs of
## billingd, a sender of one byte a second.
soak: deps
	$(SWIFT) build --build-tests
	LEDGERLINE_FUZZ_FRAMES=$${LEDGERLINE_FUZZ_FRAMES:-2000000} LEDGERLINE_SOAK_KILLS=$${LEDGERLINE_SOAK_KILLS:-25} \
	LEDGERLINE_SLOW_SENDER_MS=$${LEDGERLINE_SLOW_SENDER_MS:-1000} \
	$(SWIFT) test --skip-build \
		--filter 'FuzzTests|CrashRecoveryTests|ConnectionAbuseTests|OutageTests|CrossTenantTests|MoneyPropertyTests'

## Builds the benchmark in release mode and prints one JSON line per figure (QUICK=1: small sizes).
bench: deps
	$(SWIFT) build -c release --product ledgerline-bench
	.build/release/ledgerline-bench $(if $(QUICK),--quick,)

format:
	$(SWIFT) format --in-place --recursive --configuration .swift-format Sources Tests Package.swift

clean:
	rm -rf .build
