// libsodium must be initialised once before use (it picks its implementations and seeds its
// random numbers); every function of this module that uses it calls EnsureSodium() first.
#pragma once

namespace fh::security {

// Idempotent and thread-safe; aborts if libsodium cannot start (no entropy source), where
// nothing safe could follow.
void EnsureSodium();

}  // namespace fh::security
