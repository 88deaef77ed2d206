#!/usr/bin/env bash
# The Debian package (scripts/make-deb, `make deb`) installs and its service starts:
#   1. apt resolves every dependency it declares from Debian's archive (apt-get --simulate);
#   2. dpkg installs it into a root of its own (the host is not touched), with its conffile,
#      the root-only environment file and the maintainer scripts run;
#   3. systemd checks the unit (systemd-analyze verify) and rates its hardening
#      (systemd-analyze security, offline): exposure 2.0 at most, where 10 is none;
#   4. the unit's own ExecStartPre and ExecStart lines run as systemd runs them, with the
#      installed environment file, as an unprivileged user (a dynamic user's stand-in, as
#      this machine's PID 1 may not be systemd): the first start makes the hub, serve
#      answers, takes a write and reads it back through /query; stopped by SIGTERM it exits
#      0, and started again it keeps its hub and its data;
#   5. remove keeps the conffile, purge deletes it.
# Usage: tests/packaging/deb_install_test.sh BUILD_DIR   (as root, as make test runs)
set -euo pipefail

BUILD=$(cd "${1:?usage: deb_install_test.sh BUILD_DIR}" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "deb_install_test: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (dpkg --root, and setpriv to run the service as nobody)"

T=$(mktemp -d)
chmod 0755 "$T"  # the unprivileged service user reaches the installed binary through it
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup EXIT

DEB=$("$SRC/scripts/make-deb" "$BUILD" "$T/out")
echo "deb_install_test: built $(basename "$DEB")"

# 1. Dependencies from Debian, XGBoost's among them though the program loads it itself.
dpkg-deb -f "$DEB" Depends | grep -q 'libxgboost0 (>= ' || fail "Depends lacks libxgboost0: $(dpkg-deb -f "$DEB" Depends)"
apt-get -s -o Debug::NoLocking=1 install "$DEB" > "$T/apt.txt" 2>&1 || { cat "$T/apt.txt"; fail "apt cannot install it"; }
grep -q '^Inst factoryhub ' "$T/apt.txt" || { cat "$T/apt.txt"; fail "apt would not install factoryhub"; }

# 2. Installed by dpkg into its own root. Its libraries are the host's (checked by 1).
R="$T/root"
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers"
touch "$R/var/lib/dpkg/status" "$R/var/lib/dpkg/available"
dpkg --root="$R" --force-depends --force-script-chrootless --log=/dev/null -i "$DEB" > "$T/dpkg.txt" 2>&1 ||
  { cat "$T/dpkg.txt"; fail "dpkg -i failed"; }
dpkg --root="$R" -s factoryhub | grep -q '^Status: install ok installed' || fail "not installed"
for f in usr/bin/factoryhub usr/lib/factoryhub/libfactoryhub-torch.so lib/systemd/system/factoryhub.service \
         etc/factoryhub/factoryhub.env usr/share/doc/factoryhub/copyright; do
  [ -e "$R/$f" ] || fail "/$f is not installed"
done
[ "$(stat -c %a "$R/etc/factoryhub/factoryhub.env")" = 600 ] || fail "factoryhub.env is readable by others"
grep -qx /etc/factoryhub/factoryhub.env "$R/var/lib/dpkg/info/factoryhub.conffiles" || fail "factoryhub.env is not a conffile"

# 3. The unit, checked by systemd (its binary path pointed into the root).
UNIT="$T/factoryhub.service"
sed "s|/usr/bin/factoryhub|$R/usr/bin/factoryhub|g" "$R/lib/systemd/system/factoryhub.service" > "$UNIT"
systemd-analyze verify "$UNIT" || fail "systemd-analyze verify refuses the unit"
systemd-analyze security --offline=true --threshold=20 "$UNIT" > "$T/security.txt" 2>&1 ||
  { tail -3 "$T/security.txt"; fail "the unit's exposure is above 2.0"; }
grep -o 'Overall exposure level.*' "$T/security.txt"
for line in DynamicUser=yes ProtectSystem=strict StateDirectory=factoryhub ConfigurationDirectory=factoryhub \
            NoNewPrivileges=yes CapabilityBoundingSet=; do
  grep -qx "$line" "$UNIT" || fail "the unit lacks $line"
done

# 4. The unit's commands, as systemd runs them, as nobody.
STATE="$T/state"
mkdir -p "$STATE"
chown nobody:nogroup "$STATE"
chmod 0750 "$STATE"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PRE=$(sed -n 's/^ExecStartPre=//p' "$UNIT")
START=$(sed -n 's/^ExecStart=//p' "$UNIT")
# The environment systemd gives it: Environment= then EnvironmentFile= (the port made free).
ENV_VARS=(FH_HUB="$STATE/hub")
while IFS= read -r kv; do ENV_VARS+=("$kv"); done < <(grep -E '^[A-Z_]+=' "$R/etc/factoryhub/factoryhub.env")
ENV_VARS+=(FH_SERVE_OPTIONS="--port $PORT")
AS_SERVICE=(setpriv --reuid=nobody --regid=nogroup --clear-groups --no-new-privs env -i PATH=/usr/bin:/bin)

start_service() {
  "${AS_SERVICE[@]}" "${ENV_VARS[@]}" bash -c "$PRE" > "$T/init.log" 2>&1 || { cat "$T/init.log"; fail "ExecStartPre failed"; }
  # setpriv, env and bash each exec the next: $! is serve itself.
  "${AS_SERVICE[@]}" "${ENV_VARS[@]}" bash -c "exec $START" > "$T/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && return 0
    kill -0 "$SERVER" 2>/dev/null || { cat "$T/serve.log"; fail "serve exited"; }
    sleep 0.1
  done
  cat "$T/serve.log"
  fail "serve does not answer on $PORT"
}
stop_service() {
  kill -TERM "$SERVER"
  local code=0
  wait "$SERVER" || code=$?
  SERVER=""
  [ "$code" -eq 0 ] || { cat "$T/serve.log"; fail "serve exited $code on SIGTERM"; }
}
read_back() {
  curl -sf -G "http://127.0.0.1:$PORT/query" --data-urlencode 'epoch=s' \
    --data-urlencode 'q=SELECT last("temperature") FROM "oven"'
}

start_service
[ "$(stat -c %U "$STATE/hub/factoryhub.db")" = nobody ] || fail "the hub is not the service user's"
curl -sf -XPOST "http://127.0.0.1:$PORT/write?precision=s" --data-binary 'oven,line=1 temperature=231.5 1767225600' ||
  fail "the write was refused"
WANT='{"results":[{"statement_id":0,"series":[{"name":"oven","columns":["time","last"],"values":[[1767225600,231.5]]}]}]}'
[ "$(read_back)" = "$WANT" ] || fail "read back $(read_back)"
stop_service
start_service
[ "$(read_back)" = "$WANT" ] || fail "after a restart: $(read_back)"
stop_service
echo "deb_install_test: the service started twice as nobody on port $PORT and kept its data"

# 5. Remove keeps the configuration; purge deletes it.
dpkg --root="$R" --force-script-chrootless --log=/dev/null -r factoryhub > /dev/null
[ ! -e "$R/usr/bin/factoryhub" ] || fail "remove left the binary"
[ -e "$R/etc/factoryhub/factoryhub.env" ] || fail "remove deleted the conffile"
dpkg --root="$R" --force-script-chrootless --log=/dev/null --purge factoryhub > /dev/null
[ ! -e "$R/etc/factoryhub/factoryhub.env" ] || fail "purge left the conffile"
echo "deb_install_test: ok"
