#include "security/sodium_init.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace fh::security {

void EnsureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      std::fputs("factoryhub: libsodium could not start (no entropy source?)\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

}  // namespace fh::security
