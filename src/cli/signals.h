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

}  // namespace fh::cli
