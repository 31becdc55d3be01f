#!/usr/bin/env bash
# Debian tools the tests need: chromium for the browser end-to-end suite, CJK fonts so its
# screenshots show Chinese, unzip to open exported batches with a standard tool, gphoto2 for the camera. Installed when missing and running as root; otherwise a clear failure:
# tests never skip because a tool is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
{ command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; } || need+=(fonts-noto-cjk)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
# the real gphoto2 CLI (libgphoto2) that the camera actor drives, tested against the fake PTP/IP camera
command -v gphoto2 >/dev/null 2>&1 || need+=(gphoto2)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${need[*]} (install them: sudo apt-get install ${need[*]})" >&2
  exit 1
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=900 update -qq
apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
