// Loads the network plugin (libfactoryhub-torch.so) on first use: FH_TORCH_PLUGIN if set,
// else the running binary's ../lib/factoryhub/ (where the build puts it, for the CLI in
// build/*/src and the tests in build/*/tests alike).
#pragma once

#include "common/status.h"
#include "ml/network.h"

namespace fh::ml {

// The process's backend; an Unavailable error says which paths were tried and why.
Result<NetworkBackend*> GetNetworkBackend();

}  // namespace fh::ml
