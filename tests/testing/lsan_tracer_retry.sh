#!/bin/sh
# Runs a test of the sanitizer build; reruns it once only when LeakSanitizer's own
# tracer crashed at exit ("Tracer caught signal 11", a fault of LSan's stop-the-world,
# google/sanitizers#1353), in the test or in a factoryhub it ran (whose stderr the test
# prints), and not for any other failure. Seen with libtorch's threads, and every time
# once glibc had resized the dynamic TLS vector for the libraries libtorch loads (LSan
# then reads a stale DTLS entry: "DTLS 24 at 0x22e7-..." with LSAN_OPTIONS=verbosity=1).
# The rerun keeps AddressSanitizer's and UBSan's checks and turns only the leak check
# off, saying so: the crash is in the leak checker itself, which cannot run there.
out=$(mktemp)
"$@" >"$out" 2>&1
rc=$?
cat "$out"
if [ "$rc" -ne 0 ] && grep -q "Tracer caught signal" "$out" &&
   grep -q "LeakSanitizer has encountered a fatal error" "$out"; then
  echo "lsan_tracer_retry: LeakSanitizer's tracer crashed; running the test once more," \
       "with every check but the leak check"
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$@"
  rc=$?
fi
rm -f "$out"
exit "$rc"
