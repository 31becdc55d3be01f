#!/usr/bin/env bash
# The install script in a throwaway Debian 12 root, as far as it goes without hardware:
#   1. debootstrap (minbase, cached as a tarball) unpacked into a temp folder; the project bound in
#      read-only at /opt/rig, this machine's node copied in (Debian 12's is too old); chroot, since
#      systemd-nspawn needs a systemd host;
#   2. scripts/install-room.sh --demo inside (its apt-get installs Chromium, cage, gphoto2 ... from
#      the Debian mirror; downloaded packages are kept in the cache for the next run);
#   3. systemd-analyze verify on the units; the udev rules through udevadm's parser (which must also
#      reject a deliberately broken rule, so the check can fail);
#   4. the service's own ExecStart (demo drop-in, user, environment) started inside and answering
#      its health probe; rig doctor run inside as the service user;
#   5. a second run changes nothing (no file under /etc or the data folders differs);
#   6. --uninstall removes units, rules and users and keeps the data; a second --uninstall changes nothing.
# Slow (minutes; the first run downloads Debian), so it is its own step in .ci/run, not in npm test.
# Needs root. Env: RIG_INSTALL_TEST_CACHE (default /var/cache/rig-install-test), DEBIAN_MIRROR.
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECT="$(pwd)"
CACHE="${RIG_INSTALL_TEST_CACHE:-/var/cache/rig-install-test}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
BASE="${RIG_INSTALL_TEST_BASE:-$CACHE/bookworm-minbase.tar}"
started=$SECONDS
fail() { echo "test-install-room: FAIL: $*" >&2; exit 1; }
step() { echo "== $* ($((SECONDS - started)) s)"; }

[ "$(id -u)" -eq 0 ] || fail "needs root (chroot, mounts)"
command -v debootstrap >/dev/null || { apt-get -o DPkg::Lock::Timeout=900 install -y -qq debootstrap >/dev/null; }
mkdir -p "$CACHE/apt-archives/partial"
[ -d node_modules ] || fail "run npm ci first"
[ -f kiosk-ui/dist/index.html ] || node scripts/build-ui.mjs

if [ ! -f "$BASE" ]; then
  step "debootstrap bookworm minbase from $MIRROR"
  fresh="$(mktemp -d /var/tmp/rig-debootstrap.XXXXXX)"
  chmod 0755 "$fresh"
  debootstrap --variant=minbase --include=systemd,systemd-sysv,udev,dbus,ca-certificates,procps bookworm "$fresh" "$MIRROR" >/dev/null
  tar -C "$fresh" -cf "$BASE.part" . && mv "$BASE.part" "$BASE"
  rm -rf "$fresh"
fi

ROOT="$(mktemp -d /var/tmp/rig-room.XXXXXX)"
server_pid=""
mounted=()
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  local i
  for ((i=${#mounted[@]}-1; i>=0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  rm -rf --one-file-system "$ROOT"
}
trap cleanup EXIT
bind() { mkdir -p "$2"; mount --bind "$1" "$2"; mounted+=("$2"); }

step "unpack the base into $ROOT"
tar -C "$ROOT" -xf "$BASE"
# mktemp made it 0700 (and so might the tarball's "."): the root of a system must be traversable.
chmod 0755 "$ROOT"
mount -t proc proc "$ROOT/proc"; mounted+=("$ROOT/proc")
mount -t sysfs sysfs "$ROOT/sys"; mounted+=("$ROOT/sys")
bind /dev "$ROOT/dev"
bind /dev/pts "$ROOT/dev/pts"
bind "$CACHE/apt-archives" "$ROOT/var/cache/apt/archives"
bind "$PROJECT" "$ROOT/opt/rig"
mount -o remount,bind,ro "$ROOT/opt/rig"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
install -m 0755 "$(command -v node)" "$ROOT/usr/local/bin/node"
in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root LANG=C.UTF-8 "$@"; }

step "install-room.sh --demo (first run)"
in_root /opt/rig/scripts/install-room.sh --demo | tee "$ROOT/tmp/run1.log"
grep -q 'change(s)' "$ROOT/tmp/run1.log" || fail "first run did not finish"
for f in /etc/systemd/system/rig.service /etc/systemd/system/rig-kiosk.service /etc/udev/rules.d/70-rig.rules \
         /etc/systemd/journald.conf.d/70-rig.conf /etc/rig/rig.yaml /etc/systemd/system/multi-user.target.wants/rig.service; do
  [ -e "$ROOT$f" ] || [ -L "$ROOT$f" ] || fail "missing $f"
done
owner="$(in_root stat -c '%U:%G %a' /var/lib/rig)"
[ "$owner" = "rig:rig 750" ] || fail "data folder owner/mode: $owner"

step "systemd-analyze verify"
units=(/etc/systemd/system/rig.service /etc/systemd/system/rig-health.service /etc/systemd/system/rig-health.timer /etc/systemd/system/rig-kiosk.service)
if ! out="$(in_root systemd-analyze verify "${units[@]}" 2>&1)"; then echo "$out"; fail "systemd-analyze verify"; fi
ours="$(echo "$out" | grep -E 'rig(-health|-kiosk)?\.(service|timer)' || true)"
[ -z "$ours" ] || { echo "$ours"; fail "systemd-analyze verify reports on our units"; }
sed 's/^ExecStart=/ExecStrat=/' "$ROOT/etc/systemd/system/rig.service" >"$ROOT/etc/systemd/system/rig-broken.service"
in_root systemd-analyze verify /etc/systemd/system/rig-broken.service >/dev/null 2>&1 && fail "systemd-analyze verify does not notice a broken unit"
rm "$ROOT/etc/systemd/system/rig-broken.service"

step "udev rules through udevadm's parser"
udev_check() { # prints the parser's complaints about FILE (a path inside the root)
  if in_root udevadm verify --help >/dev/null 2>&1; then in_root udevadm verify "$1" 2>&1 | grep -v ': udev rules check succeeded' | grep -v '^$' || true
  else in_root udevadm test --action=add /sys/class/tty/tty0 2>&1 | grep -F "$1" | grep -iE 'invalid|error|unknown|ignor|fail' || true; fi
}
complaints="$(udev_check /etc/udev/rules.d/70-rig.rules)"
[ -z "$complaints" ] || { echo "$complaints"; fail "udev rules"; }
printf 'SUBSYSTEM=="tty", ATTRS{idVendor}=="2341", SYMLINKK+="broken"\n' >"$ROOT/etc/udev/rules.d/71-rig-broken.rules"
[ -n "$(udev_check /etc/udev/rules.d/71-rig-broken.rules)" ] || fail "the udev check does not notice a broken rule"
rm "$ROOT/etc/udev/rules.d/71-rig-broken.rules"

step "the service's own command, in demo mode, as its user"
unit_value() { # last value of KEY= across the unit and its drop-ins, as systemd would use it
  cat "$ROOT/etc/systemd/system/rig.service" "$ROOT"/etc/systemd/system/rig.service.d/*.conf 2>/dev/null | sed -n "s/^$1=//p" | grep -v '^$' | tail -1
}
exec_start="$(unit_value ExecStart)"; user="$(unit_value User)"; workdir="$(unit_value WorkingDirectory)"
[[ "$exec_start" == *"serve --demo"* ]] || fail "demo drop-in not in effect: $exec_start"
envs=(); while read -r e; do envs+=("$e"); done < <(sed -n 's/^Environment=//p' "$ROOT/etc/systemd/system/rig.service")
# Ports 0 and a loopback staff listener: this machine's other services must not clash with the room's.
chroot --userspec="$user:$user" "$ROOT" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/var/lib/rig "${envs[@]}" \
  RIG_KIOSK_PORT=0 RIG_STAFF_PORT=0 RIG_STAFF_HOST=127.0.0.1 /bin/sh -c "cd $workdir && exec $exec_start" >"$ROOT/tmp/serve.out" 2>"$ROOT/tmp/serve.err" &
server_pid=$!
url=""
for _ in $(seq 1 240); do
  url="$(sed -n 's/^kiosk: //p' "$ROOT/tmp/serve.out" | head -1)"
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { tail -20 "$ROOT/tmp/serve.err"; fail "rig serve exited"; }
  sleep 0.5
done
[ -n "$url" ] || { tail -20 "$ROOT/tmp/serve.err"; fail "rig serve never listened"; }
in_root node /opt/rig/scripts/room/rig-health.mjs --url "${url}api/kiosk/state" --wait 30 || fail "health probe"
state="$(node -e 'fetch(process.argv[1]).then((r)=>r.json()).then((b)=>console.log(b.demo, b.state))' "${url}api/kiosk/state")"
[ "$state" = "true idle" ] || fail "kiosk state: $state"
[ -f "$ROOT/var/lib/rig/rig.db" ] || fail "no database in the data folder"
echo "answering at $url: demo=true, idle"
chroot --userspec="$user:$user" "$ROOT" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/var/lib/rig "${envs[@]}" \
  /bin/sh -c "cd $workdir && node bin/rig.js doctor" || true
kill "$server_pid"; wait "$server_pid" || true; server_pid=""

step "second run changes nothing"
snapshot() { chroot "$ROOT" find /etc /var/lib/rig /var/lib/rig-kiosk /var/lib/rig-install -xdev -printf '%p %m %u %g %s %T@ %l\n' 2>/dev/null | sort; }
snapshot >"$ROOT/tmp/before"
in_root /opt/rig/scripts/install-room.sh --demo | tee "$ROOT/tmp/run2.log"
grep -qx 'install-room: 0 change(s)' "$ROOT/tmp/run2.log" || fail "second run reported changes"
snapshot >"$ROOT/tmp/after"
diff "$ROOT/tmp/before" "$ROOT/tmp/after" || fail "second run changed files"

step "--uninstall keeps the data"
in_root /opt/rig/scripts/install-room.sh --uninstall
for f in /etc/systemd/system/rig.service /etc/systemd/system/rig-kiosk.service /etc/udev/rules.d/70-rig.rules \
         /etc/systemd/journald.conf.d/70-rig.conf /etc/systemd/system/multi-user.target.wants/rig.service /etc/systemd/system/rig.service.d; do
  if [ -e "$ROOT$f" ] || [ -L "$ROOT$f" ]; then fail "still there after --uninstall: $f"; fi
done
in_root id rig >/dev/null 2>&1 && fail "user rig still there"
[ -f "$ROOT/var/lib/rig/rig.db" ] || fail "--uninstall lost the data"
[ -f "$ROOT/etc/rig/rig.yaml" ] || fail "--uninstall lost the configuration"
in_root /opt/rig/scripts/install-room.sh --uninstall | tee "$ROOT/tmp/un2.log"
grep -qx 'install-room: 0 change(s)' "$ROOT/tmp/un2.log" || fail "second --uninstall reported changes"

step "passed"
