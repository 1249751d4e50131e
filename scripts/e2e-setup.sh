#!/usr/bin/env bash
# Sets up everything the real-editor end-to-end tests (test/e2e/) need, offline apart from the npm
# registry and Debian's packages: Debian's Chromium and build tools, and VS Code 1.100.3 served by
# code-server@4.100.3 under <repo>/.e2e/code-server. Idempotent and cached: a second run does nothing
# but check. Runs as root from a clean clone with CI=true and no stdin. See shared/design/E2E.md.
# The browser driver is playwright-core from the project's own node_modules (a devDependency).
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# @vscode/ripgrep (a code-server dependency) downloads rg from GitHub in its postinstall; we seed
# its download cache with Debian's rg instead. These two must match what that postinstall expects.
VSCODE_RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/.e2e"
CS_DIR="$E2E/code-server"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
CS_PKG="$CS_DIR/node_modules/code-server/package.json"

log() { printf 'e2e-setup: %s\n' "$*"; }
start=$SECONDS

# 1. Debian packages -------------------------------------------------------------------------------
DEB_PACKAGES=(chromium ripgrep build-essential pkg-config python3 libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev)
missing=()
for p in "${DEB_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    log "missing Debian packages: ${missing[*]} (run as root, or install them yourself)"
    exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  mkdir -p "$E2E"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null >"$E2E/apt.log" 2>&1 || { tail -n 40 "$E2E/apt.log" >&2; exit 1; }
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >>"$E2E/apt.log" 2>&1 || {
    tail -n 40 "$E2E/apt.log" >&2; log "apt-get failed; full log: .e2e/apt.log"; exit 1; }
else
  log "Debian packages present"
fi
[[ -x /usr/bin/chromium ]] || { log "/usr/bin/chromium missing after install"; exit 1; }
[[ -x /usr/bin/rg ]] || { log "/usr/bin/rg missing after install"; exit 1; }

# 2. playwright-core comes from the project -------------------------------------------------------
if [[ ! -f "$ROOT/node_modules/playwright-core/package.json" ]]; then
  log "note: $ROOT/node_modules/playwright-core missing; run 'npm ci' in the repo (not installed here)"
fi

# 3. code-server ----------------------------------------------------------------------------------
installed_version=""
if [[ -f "$CS_PKG" && -x "$CS_BIN" ]]; then
  installed_version="$(node -p "require(process.argv[1]).version" "$CS_PKG" 2>/dev/null || true)"
fi
if [[ "$installed_version" == "$CODE_SERVER_VERSION" ]]; then
  log "code-server $CODE_SERVER_VERSION present in .e2e/code-server"
else
  log "installing code-server@$CODE_SERVER_VERSION into .e2e/code-server (takes ~1-2 min cold)"
  mkdir -p "$E2E/tmp" "$E2E/rg" "$CS_DIR"
  # Seed the @vscode/ripgrep download cache (it looks in $TMPDIR) with Debian's rg.
  cache_dir="$E2E/tmp/vscode-ripgrep-cache-$VSCODE_RIPGREP_PKG_VERSION"
  if [[ ! -f "$cache_dir/$RIPGREP_ASSET" ]]; then
    mkdir -p "$cache_dir"
    cp /usr/bin/rg "$E2E/rg/rg"
    tar czf "$cache_dir/$RIPGREP_ASSET" -C "$E2E/rg" rg
  fi
  # A package.json of its own, so npm never walks up into the repo's package.json.
  if [[ ! -f "$CS_DIR/package.json" ]]; then
    printf '{\n  "name": "cri-compat-e2e-code-server",\n  "private": true\n}\n' >"$CS_DIR/package.json"
  fi
  # As root, code-server's install script needs unsafe-perm; node-pty's install runs npx
  # non-interactively, which needs npm_config_yes.
  if ! TMPDIR="$E2E/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --prefix "$CS_DIR" --no-audit --no-fund --loglevel=error \
      "code-server@$CODE_SERVER_VERSION" </dev/null >"$E2E/code-server-install.log" 2>&1; then
    tail -n 60 "$E2E/code-server-install.log" >&2
    log "code-server install failed; full log: .e2e/code-server-install.log"
    exit 1
  fi
  installed_version="$(node -p "require(process.argv[1]).version" "$CS_PKG")"
  [[ "$installed_version" == "$CODE_SERVER_VERSION" && -x "$CS_BIN" ]] || {
    log "code-server install incomplete (found version '$installed_version')"; exit 1; }
  log "code-server $installed_version installed"
fi

log "ready in $((SECONDS - start)) s (code-server: .e2e/code-server/node_modules/.bin/code-server, browser: /usr/bin/chromium)"
