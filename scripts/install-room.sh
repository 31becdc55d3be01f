#!/usr/bin/env bash
# Installs (or with --uninstall removes) a capture room on Debian 12, in place: the project is where
# this script is (e.g. /opt/rig, cloned there), nothing of it is copied. Idempotent: every step
# compares before it writes, and a run that finds everything in place reports "0 change(s)".
# --uninstall removes what the script added (units, rules, config drop-ins, users) and leaves the
# data folder, the configuration file and the project folder.
#
#   sudo scripts/install-room.sh [--demo] [--no-kiosk] [--with-nodesource] [--data DIR]
#   sudo scripts/install-room.sh --uninstall
#
# Templates: scripts/room/ (units, udev rules, journald limits, Chromium policy, rig.yaml).
set -euo pipefail

APP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOM="$APP_DIR/scripts/room"
USER_NAME=rig
KIOSK_USER=rig-kiosk
DATA=/var/lib/rig
CONFIG=/etc/rig/rig.yaml
STATE=/var/lib/rig-install
UNITS=(rig.service rig-health.service rig-health.timer rig-kiosk.service)
PACKAGES=(gphoto2 chromium cage fonts-noto-cjk udev dbus dbus-user-session libpam-systemd)
NODE_MIN=20.19

mode=install demo=0 kiosk=1 nodesource=0
while [ $# -gt 0 ]; do
  case "$1" in
    --uninstall) mode=uninstall ;;
    --demo) demo=1 ;;
    --no-kiosk) kiosk=0 ;;
    --with-nodesource) nodesource=1 ;;
    --data) DATA="$2"; shift ;;
    --print-packages) echo "${PACKAGES[*]}"; exit 0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "install-room: unknown option $1" >&2; exit 64 ;;
  esac
  shift
done

[ "$(id -u)" -eq 0 ] || { echo "install-room: run as root (sudo)" >&2; exit 77; }
changes=0
say() { printf 'install-room: %s\n' "$*"; }
changed() { changes=$((changes + 1)); say "$*"; }
# systemd is PID 1 (a real boot), not a chroot or an image being prepared: only then start things.
booted() { [ -d /run/systemd/system ]; }

# ---- Node ---------------------------------------------------------------------------------------
node_ok() {
  local n; n="$(command -v node || true)"
  [ -n "$n" ] && "$n" -e "const [a,b]=process.versions.node.split('.').map(Number);const [x,y]='$NODE_MIN'.split('.').map(Number);process.exit(a>x||(a===x&&b>=y)?0:1)"
}
ensure_node() {
  node_ok && return 0
  if [ "$nodesource" -eq 1 ]; then
    # The stated source: NodeSource's Debian repository for Node 20 (Debian 12 ships Node 18).
    apt-get install -y -q ca-certificates curl gnupg >/dev/null
    install -d -m 0755 /etc/apt/keyrings
    curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --dearmor --yes -o /etc/apt/keyrings/nodesource.gpg
    echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_20.x nodistro main" >/etc/apt/sources.list.d/nodesource.list
    apt-get update -q >/dev/null && apt-get install -y -q nodejs >/dev/null
    echo nodesource >>"$STATE/added"
    changed "Node $(node -v) from NodeSource"
    node_ok && return 0
  fi
  echo "install-room: Node >= $NODE_MIN is needed (Debian 12 ships 18). Install it from NodeSource" \
    "(run again with --with-nodesource) or put a node >= $NODE_MIN on PATH." >&2
  exit 69
}

# ---- Files from templates -----------------------------------------------------------------------
render() {
  sed -e "s|@APP_DIR@|$APP_DIR|g" -e "s|@NODE@|$NODE|g" -e "s|@USER@|$USER_NAME|g" -e "s|@KIOSK_USER@|$KIOSK_USER|g" \
      -e "s|@DATA@|$DATA|g" -e "s|@CONFIG@|$CONFIG|g" -e "s|@KIOSK_PORT@|$KIOSK_PORT|g" "$1"
}
# put_file TEMPLATE DEST MODE: writes DEST only when its content or mode differ. Returns 0 if written.
put_file() {
  local tmp; tmp="$(mktemp)"
  render "$1" >"$tmp"
  if [ -f "$2" ] && cmp -s "$tmp" "$2" && [ "$(stat -c %a "$2")" = "$3" ]; then rm -f "$tmp"; return 1; fi
  install -D -m "$3" "$tmp" "$2"; rm -f "$tmp"
  changed "wrote $2"
}
put_link() {
  [ "$(readlink "$2" 2>/dev/null || true)" = "$1" ] && return 1
  mkdir -p "$(dirname "$2")"; ln -sfn "$1" "$2"
  changed "linked $2 -> $1"
}

# ---- Install ------------------------------------------------------------------------------------
install_room() {
  mkdir -p "$STATE"; [ -f "$STATE/added" ] || : >"$STATE/added"
  ensure_node
  NODE="$(command -v node)"

  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
    apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    printf '%s\n' "${missing[@]}" | sed 's/^/package /' >>"$STATE/added"
    changed "installed ${missing[*]}"
  fi

  # The project's own dependencies and the kiosk pages, when the checkout lacks them.
  if [ ! -d "$APP_DIR/node_modules" ]; then (cd "$APP_DIR" && npm ci --no-audit --no-fund); changed "npm ci in $APP_DIR"; fi
  if [ ! -f "$APP_DIR/kiosk-ui/dist/index.html" ]; then (cd "$APP_DIR" && "$NODE" scripts/build-ui.mjs); changed "built kiosk-ui/dist"; fi

  # Users: rig runs the controller (serial port, camera), rig-kiosk owns the screen session.
  if ! id "$USER_NAME" >/dev/null 2>&1; then
    useradd --system --home-dir "$DATA" --no-create-home --shell /usr/sbin/nologin --user-group "$USER_NAME"
    echo "user $USER_NAME" >>"$STATE/added"; changed "user $USER_NAME"
  fi
  for g in dialout plugdev; do
    getent group "$g" >/dev/null || { groupadd --system "$g"; changed "group $g"; }
    id -nG "$USER_NAME" | tr ' ' '\n' | grep -qx "$g" || { usermod -aG "$g" "$USER_NAME"; changed "$USER_NAME joins $g"; }
  done
  if [ "$kiosk" -eq 1 ]; then
    if ! id "$KIOSK_USER" >/dev/null 2>&1; then
      useradd --system --create-home --home-dir "/var/lib/$KIOSK_USER" --shell /usr/sbin/nologin --user-group "$KIOSK_USER"
      echo "user $KIOSK_USER" >>"$STATE/added"; changed "user $KIOSK_USER"
    fi
    for g in video render input; do
      getent group "$g" >/dev/null || continue
      id -nG "$KIOSK_USER" | tr ' ' '\n' | grep -qx "$g" || { usermod -aG "$g" "$KIOSK_USER"; changed "$KIOSK_USER joins $g"; }
    done
  fi

  # Data folder: the service user's alone (photos and ID numbers are personal data).
  if [ ! -d "$DATA" ]; then install -d -m 0750 -o "$USER_NAME" -g "$USER_NAME" "$DATA"; changed "data folder $DATA"; fi
  if [ "$(stat -c '%U:%G %a' "$DATA")" != "$USER_NAME:$USER_NAME 750" ]; then
    chown -R "$USER_NAME:$USER_NAME" "$DATA"; chmod 0750 "$DATA"; changed "ownership of $DATA"
  fi

  # Configuration: written once, then the school's.
  if [ ! -f "$CONFIG" ]; then
    KIOSK_PORT=8080 put_file "$ROOM/rig.yaml" "$CONFIG" 640 || true
    chgrp "$USER_NAME" "$CONFIG"
  fi
  KIOSK_PORT="$(RIG_CONFIG="$CONFIG" "$NODE" "$APP_DIR/bin/rig.js" config show --json | "$NODE" -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>console.log(JSON.parse(s).kiosk.port))')"

  local units_changed=0 rules_changed=0 journal_changed=0
  for u in rig.service rig-health.service rig-health.timer; do put_file "$ROOM/$u" "/etc/systemd/system/$u" 644 && units_changed=1; done
  if [ "$kiosk" -eq 1 ]; then
    put_file "$ROOM/rig-kiosk.service" /etc/systemd/system/rig-kiosk.service 644 && units_changed=1
    put_file "$ROOM/chromium-policy.json" /etc/chromium/policies/managed/rig-kiosk.json 644 || true
    # gvfs's camera monitor (desktop sessions) grabs PTP cameras: masked for every user.
    put_link /dev/null /etc/systemd/user/gvfs-gphoto2-volume-monitor.service || true
  fi
  local demo_dropin=/etc/systemd/system/rig.service.d/demo.conf
  if [ "$demo" -eq 1 ]; then
    local tmp; tmp="$(mktemp)"
    printf '# Demo room: invented roster, DEMO banner (scripts/install-room.sh --demo).\n[Service]\nExecStart=\nExecStart=%s %s/bin/rig.js serve --demo\n' "$NODE" "$APP_DIR" >"$tmp"
    if ! cmp -s "$tmp" "$demo_dropin"; then install -D -m 644 "$tmp" "$demo_dropin"; units_changed=1; changed "demo mode on"; fi
    rm -f "$tmp"
  elif [ -f "$demo_dropin" ]; then
    rm -f "$demo_dropin"; rmdir --ignore-fail-on-non-empty "$(dirname "$demo_dropin")"; units_changed=1; changed "demo mode off"
  fi
  put_file "$ROOM/70-rig.rules" /etc/udev/rules.d/70-rig.rules 644 && rules_changed=1
  put_file "$ROOM/journald.conf" /etc/systemd/journald.conf.d/70-rig.conf 644 && journal_changed=1

  local wanted=(rig.service rig-health.timer); [ "$kiosk" -eq 1 ] && wanted+=(rig-kiosk.service)
  if booted; then
    [ $units_changed -eq 1 ] && systemctl daemon-reload
    [ $rules_changed -eq 1 ] && { udevadm control --reload; udevadm trigger --subsystem-match=tty --subsystem-match=usb; }
    [ $journal_changed -eq 1 ] && systemctl restart systemd-journald
  fi
  for u in "${wanted[@]}"; do
    [ "$(systemctl is-enabled "$u" 2>/dev/null || true)" = enabled ] || { systemctl enable --quiet "$u"; changed "enabled $u"; }
  done
  if booted; then
    if [ $units_changed -eq 1 ] || ! systemctl is-active --quiet rig.service; then systemctl restart rig.service rig-health.timer; fi
    [ "$kiosk" -eq 1 ] && { systemctl is-active --quiet rig-kiosk.service || systemctl start rig-kiosk.service; }
  fi
  say "$changes change(s)"
}

# ---- Uninstall ----------------------------------------------------------------------------------
uninstall_room() {
  local u
  for u in "${UNITS[@]}"; do
    if booted; then systemctl disable --now --quiet "$u" 2>/dev/null || true; else systemctl disable --quiet "$u" 2>/dev/null || true; fi
  done
  for f in /etc/systemd/system/rig.service /etc/systemd/system/rig-health.service /etc/systemd/system/rig-health.timer \
           /etc/systemd/system/rig-kiosk.service /etc/systemd/system/rig.service.d/demo.conf \
           /etc/udev/rules.d/70-rig.rules /etc/systemd/journald.conf.d/70-rig.conf \
           /etc/chromium/policies/managed/rig-kiosk.json /etc/systemd/user/gvfs-gphoto2-volume-monitor.service; do
    if [ -e "$f" ] || [ -L "$f" ]; then rm -f "$f"; changed "removed $f"; fi
  done
  rmdir --ignore-fail-on-non-empty /etc/systemd/system/rig.service.d 2>/dev/null || true
  if [ -f "$STATE/added" ]; then
    while read -r who; do
      # The data stay; they keep their numeric owner, and a later install gives them back to rig.
      if id "$who" >/dev/null 2>&1; then
        # -r for the screen user only (its home holds nothing of value); a missing home is no error.
        if [ "$who" = "$KIOSK_USER" ]; then userdel -r "$who" 2>/dev/null || userdel "$who" 2>/dev/null || true; else userdel "$who"; fi
        changed "removed user $who"
      fi
    done < <(sed -n 's/^user //p' "$STATE/added")
    local pkgs; pkgs="$(sed -n 's/^package //p' "$STATE/added" | tr '\n' ' ')"
    [ -n "$pkgs" ] && say "packages this script installed (remove with apt-get remove if nothing else needs them): $pkgs"
    rm -rf "$STATE"; changed "removed $STATE"
  fi
  if booted; then systemctl daemon-reload; udevadm control --reload || true; fi
  say "kept: $DATA (data), $CONFIG (configuration), $APP_DIR (the project)"
  say "$changes change(s)"
}

if [ "$mode" = install ]; then install_room; else uninstall_room; fi
