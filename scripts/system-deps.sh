#!/usr/bin/env bash
# Installs the system packages the test suite needs (Chromium for browser tests, fonts and
# Pango for PDF rendering, the PostgreSQL client for `pg_isready`, poppler's `pdftoppm` and
# `pdfsig` that docs/verification.md uses to look at and check the PDFs) when they are missing.
# Only acts as root on a Debian-like machine; otherwise it says what is missing and goes on.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v pg_isready >/dev/null || need+=(postgresql-client)
command -v sha256sum >/dev/null || need+=(coreutils)
# pdftoppm, pdfsig and certutil: the docs use them, and the long-term signature tests check
# our PDFs as an outside expert would.
{ command -v pdftoppm && command -v pdfsig; } >/dev/null || need+=(poppler-utils)
command -v certutil >/dev/null || need+=(libnss3-tools)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
[ ${#need[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null && [ "$(id -u)" = "0" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "missing system packages (install them to run every test): ${need[*]}" >&2
fi
