# One Makefile for the whole go.work module set. Targets loop over the
# workspace modules because `go test ./...` at a go.work root has no module.
SHELL := /bin/bash
GO ?= go
BIN := $(CURDIR)/bin
MODULE_DIRS = $(shell $(GO) list -m -f '{{.Dir}}')
# e2e drives built binaries and runs once, in `make e2e`, not in `make unit`.
PKGS = $(addsuffix /...,$(filter-out %/e2e,$(MODULE_DIRS)))
CMDS = $(filter-out internal,$(notdir $(patsubst %/,%,$(wildcard cmd/*/))))
PLUGINS = $(filter-out example,$(notdir $(patsubst %/,%,$(wildcard plugins/*/))))
PORT ?= 8787
ROOT ?= $(CURDIR)
FUZZTIME ?= 2m

.PHONY: build build-windows release-snapshot run test unit e2e bench fuzz fuzz-short soak lint cross generate generate-check install deps clean

build:
	@mkdir -p $(BIN)
	@for c in $(CMDS); do $(GO) build -trimpath -buildvcs=true -o $(BIN)/$$c ./cmd/$$c || exit 1; done
	@# plugins/example is a template for third-party adapters: never installed as built-in
	@for p in $(PLUGINS); do [ -f plugins/$$p/main.go ] || continue; \
	  $(GO) build -trimpath -buildvcs=true -o $(BIN)/handoff-agent-$$p ./plugins/$$p || exit 1; done

# Serves this repository over loopback HTTP with a fresh token (agent mode).
run: build
	$(BIN)/mcpd --root $(ROOT) --transport http --host 127.0.0.1 --port $(PORT)

deps:
	$(GO) mod download -x >/dev/null 2>&1 || $(GO) mod download
	cd e2e/clients && npm ci --no-audit --no-fund --loglevel=error

test: build lint cross generate-check unit fuzz-short e2e

unit: build
	CODEXPRO_BIN=$(BIN) $(GO) test -race -count=1 $(PKGS)

# The black-box clients are pinned npm packages; install them when the lock
# file is newer than the install (npm ci writes node_modules/.package-lock.json).
CLIENTS = e2e/clients/node_modules/.package-lock.json
$(CLIENTS): e2e/clients/package-lock.json
	cd e2e/clients && npm ci --no-audit --no-fund --loglevel=error

e2e: build build-windows $(CLIENTS)
	cd e2e && CODEXPRO_BIN=$(BIN) $(GO) test -count=1 -timeout 15m ./...

fuzz-short:
	@FUZZTIME=3s ./scripts/fuzz

fuzz:
	@FUZZTIME=$(FUZZTIME) ./scripts/fuzz

soak: build
	cd e2e && CODEXPRO_BIN=$(BIN) CODEXPRO_SOAK=long $(GO) test -count=1 -timeout 60m -run 'Soak|Race' ./...

bench: build
	./bench/run

# gofmt, goimports -local codexpro.dev, vet, staticcheck (pinned in tools/go.mod),
# no TODO/FIXME left, no tracked file over 1 MB, no tracked executable binary.
lint:
	@./scripts/lint

# go generate over every module; the generators are pinned (tools/go.mod,
# scripts/protogen).
generate:
	$(GO) generate $(PKGS)

# Generated files are committed; this fails when regenerating them changes
# anything, so they can never drift from their sources or be edited by hand.
generate-check:
	@before=$$(git status --porcelain --untracked-files=all); \
	$(MAKE) --no-print-directory generate >/dev/null || exit 1; \
	after=$$(git status --porcelain --untracked-files=all); \
	if [ "$$before" != "$$after" ]; then echo "go generate changed the tree: commit the regenerated files"; \
	  git --no-pager diff --stat; exit 1; fi

# The Windows binaries the e2e suite runs under Wine (TestWindowsBinariesUnderWine).
build-windows:
	@mkdir -p $(BIN)/windows_amd64
	@for c in mcpd handoff; do GOOS=windows GOARCH=amd64 $(GO) build -trimpath -o $(BIN)/windows_amd64/$$c.exe ./cmd/$$c || exit 1; done

# Every OS/arch a release ships, vetted with its tests: vet type-checks each
# package and its _test files for that target, so a Linux-only call outside
# a per-OS platform file (procx, workspace/kernelpath_*, ...) fails here.
CROSS_TARGETS ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64
cross:
	@for t in $(CROSS_TARGETS); do echo "vet $$t"; \
	  GOOS=$${t%/*} GOARCH=$${t#*/} $(GO) vet $(addsuffix /...,$(MODULE_DIRS)) || exit 1; done

# The release archives (6 per binary set: linux, darwin, windows x amd64,
# arm64) and checksums.txt in dist/, by the goreleaser pinned in
# tools/goreleaser/go.mod (its own module, so its dependencies cannot move
# the other pinned tools; GOWORK=off: it is not in go.work). `go tool -n`
# builds it once into the Go cache and prints its path; it runs from here.
release-snapshot:
	@gr=$$(cd tools/goreleaser && GOWORK=off $(GO) tool -n goreleaser) && \
	  $$gr release --snapshot --clean --config .goreleaser.yaml
	@n=$$(ls dist/*.tar.gz dist/*.zip | wc -l); [ $$n -eq 6 ] && [ -s dist/checksums.txt ] || \
	  { echo "release-snapshot: want 6 archives and dist/checksums.txt, got $$n"; exit 1; }

install: build
	@dest=$${PREFIX:-$$HOME/.local}/bin; mkdir -p $$dest; cp $(BIN)/* $$dest/; echo "installed into $$dest"

clean:
	rm -rf $(BIN)
