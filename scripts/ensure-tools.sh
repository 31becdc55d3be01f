#!/usr/bin/env bash
# Debian tools the tests need: chromium for the browser end-to-end suite, CJK fonts so its
# screenshots show Chinese, unzip to open exported batches with a standard tool, gphoto2 for the camera, the AVR toolchain
# and simavr for the rig firmware, matplotlib's sample data for a real public-domain portrait used by the photo
# fixtures. Installed when missing and running as root; otherwise a clear failure:
# tests never skip because a tool is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
{ command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; } || need+=(fonts-noto-cjk)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
# A public-domain real portrait for the photo fixtures (test/fixtures/README.md): Grace Hopper, US Navy.
[ -f /usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg ] || need+=(python-matplotlib-data)
# rig staff tls --self-signed makes its certificate with the openssl tool.
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# the real gphoto2 CLI (libgphoto2) that the camera actor drives, tested against the fake PTP/IP camera
command -v gphoto2 >/dev/null 2>&1 || need+=(gphoto2)
# The rig firmware (avr-gcc, avr-libc) and the simavr harness that runs it in the tests.
command -v avr-gcc >/dev/null 2>&1 || need+=(gcc-avr binutils-avr)
[ -f /usr/lib/avr/include/avr/io.h ] || need+=(avr-libc)
[ -f /usr/include/simavr/sim_avr.h ] || need+=(libsimavr-dev)
command -v simavr >/dev/null 2>&1 || need+=(simavr)
{ command -v make >/dev/null 2>&1 && command -v cc >/dev/null 2>&1; } || need+=(make gcc libc6-dev)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${need[*]} (install them: sudo apt-get install ${need[*]})" >&2
  exit 1
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=900 update -qq
apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
