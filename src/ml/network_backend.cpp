#include "ml/network_backend.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <vector>

namespace fh::ml {

namespace {

constexpr const char* kPluginName = "libfactoryhub-torch.so";

std::vector<std::string> Candidates() {
  std::vector<std::string> paths;
  if (const char* env = std::getenv("FH_TORCH_PLUGIN"); env && *env) {
    paths.emplace_back(env);
    return paths;  // asked for one: never fall back to another build's
  }
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) paths.push_back((exe.parent_path() / "../lib/factoryhub" / kPluginName).string());
  return paths;
}

Result<NetworkBackend*> Load() {
  // libtorch logs through glog, which would print its notes (and a warning that it was
  // not initialised) on the CLI's stderr; errors still come back as messages.
  setenv("GLOG_minloglevel", "2", /*overwrite=*/0);
  std::string tried;
  for (const std::string& path : Candidates()) {
    if (!std::filesystem::exists(path)) {
      tried += fmt::format("\n  {}: not there", path);
      continue;
    }
    // Never unloaded: libtorch does not support it.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      tried += fmt::format("\n  {}: {}", path, dlerror());
      continue;
    }
    using Entry = NetworkBackend* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle, "fh_network_backend"));
    if (!entry) {
      tried += fmt::format("\n  {}: no fh_network_backend", path);
      continue;
    }
    return entry();
  }
  return Unavailable("neural networks need the plugin {} (libtorch); tried:{}", kPluginName, tried);
}

}  // namespace

Result<NetworkBackend*> GetNetworkBackend() {
  static std::once_flag once;
  static Result<NetworkBackend*> backend = Unavailable("not loaded");
  std::call_once(once, [] { backend = Load(); });
  return backend;
}

}  // namespace fh::ml
