#!/usr/bin/env bash
# Install what the quality tests (tests/quality/) need when it is missing: Debian's nginx (the
# deployment test serves the built site with it), rsync and OpenSSH's server (`ssg deploy` is tested
# against a local folder and against a throwaway sshd on localhost), poppler-utils (pdftoppm: the PDF handout
# test looks at the first page of every PDF), a Java runtime and the W3C Nu HTML Checker from npm (`vnu-jar`,
# the HTML validity test). Idempotent and quiet; needs root or sudo for apt-get.
# The checker goes to ~/.cache/ssg-tests (override with SSG_TEST_CACHE), never into the repository.
set -euo pipefail
CACHE="${SSG_TEST_CACHE:-$HOME/.cache/ssg-tests}"
VNU_VERSION="${VNU_VERSION:-26.9.27}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then missing+=(nginx); fi
if ! command -v rsync >/dev/null 2>&1; then missing+=(rsync); fi
if [ ! -x /usr/sbin/sshd ]; then missing+=(openssh-server); fi
if ! command -v ssh-keygen >/dev/null 2>&1; then missing+=(openssh-client); fi
if ! command -v java >/dev/null 2>&1; then missing+=(default-jre-headless); fi
if ! command -v pdftoppm >/dev/null 2>&1; then missing+=(poppler-utils); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f "$CACHE/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
  mkdir -p "$CACHE"
  npm install --prefix "$CACHE" --no-audit --no-fund --silent "vnu-jar@$VNU_VERSION" >/dev/null
fi
