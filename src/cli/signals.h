// Stopping long-running commands (serve, demo) cleanly on Ctrl-C or `kill`.
//
// BlockStopSignals() must run before any thread is started: threads inherit the blocked
// mask, so SIGINT and SIGTERM stay pending until WaitForStopSignal() takes them in the
// main thread, which then shuts the server down in order.
#pragma once

namespace fh::cli {

void BlockStopSignals();
// Waits for SIGINT or SIGTERM and returns its number.
int WaitForStopSignal();
// Waits at most timeout_ms for SIGINT or SIGTERM: its number, or 0 if none came.
int PollStopSignal(int timeout_ms);

}  // namespace fh::cli
