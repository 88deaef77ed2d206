#!/bin/sh
# Runs a test of the sanitizer build; reruns it once only when LeakSanitizer's own
# tracer crashed at exit ("Tracer caught signal 11", a known intermittent fault of
# LSan's stop-the-world, google/sanitizers#1353) and not for any failure of the test.
out=$(mktemp)
"$@" >"$out" 2>&1
rc=$?
cat "$out"
if [ "$rc" -ne 0 ] && grep -q "^Tracer caught signal" "$out" &&
   grep -q "LeakSanitizer has encountered a fatal error" "$out"; then
  echo "lsan_tracer_retry: LeakSanitizer's tracer crashed, running the test once more"
  "$@"
  rc=$?
fi
rm -f "$out"
exit "$rc"
