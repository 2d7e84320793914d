#!/usr/bin/env bash
# Installs the Debian packages APA Tracker needs, only when one is missing (fast when all are there).
#   libpango / libpangoft2 — WeasyPrint's text layout
#   poppler-utils — pdftotext / pdfinfo / pdftoppm / pdfsig, used by the report tests
#   libnss3-tools — certutil: the signature tests trust the demo CA in an NSS database for pdfsig
#   chromium — the browser the end-to-end tests drive through Playwright
#   nodejs, npm — pdf.js (package.json, installed by `make setup`) reads the report PDFs as Firefox does
#     (tests/reports/test_viewers.py); only when no `node`/`npm` is on the PATH (one from elsewhere is kept)
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 poppler-utils libnss3-tools chromium)
if ! command -v node >/dev/null 2>&1; then
    packages+=(nodejs)
fi
if ! command -v npm >/dev/null 2>&1; then
    packages+=(npm)
fi

missing=()
for pkg in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    else
        echo "Missing system packages (${missing[*]}) and not root: install them with apt-get." >&2
        exit 1
    fi
else
    SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
