#!/bin/sh
# Runs a test of the sanitizer build; reruns it once only when LeakSanitizer's own
# tracer crashed at exit ("Tracer caught signal 11", a known intermittent fault of
# LSan's stop-the-world with many threads, google/sanitizers#1353: seen with libtorch's
# thread pools), in the test or in a factoryhub it ran (whose stderr the test prints),
# and not for any other failure.
out=$(mktemp)
"$@" >"$out" 2>&1
rc=$?
cat "$out"
if [ "$rc" -ne 0 ] && grep -q "Tracer caught signal" "$out" &&
   grep -q "LeakSanitizer has encountered a fatal error" "$out"; then
  echo "lsan_tracer_retry: LeakSanitizer's tracer crashed, running the test once more"
  "$@"
  rc=$?
fi
rm -f "$out"
exit "$rc"
