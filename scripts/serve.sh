#!/usr/bin/env bash
# Serves the console with demo data on http://127.0.0.1:8080 (installs missing tools first).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
export PATH="$HOME/.cargo/bin:$PATH"
echo "hookscope: open http://127.0.0.1:8080 (demo connections need no keys)"
# No autoreload: its inline script would be refused by the strict CSP.
exec trunk serve --address 127.0.0.1 --port 8080 --no-autoreload "$@"
