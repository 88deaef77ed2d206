#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace fh::cli {

namespace {
constexpr auto kInterval = std::chrono::milliseconds(200);
}

ProgressLine::ProgressLine() : enabled_(isatty(STDERR_FILENO) == 1) {}

ProgressLine::~ProgressLine() {
  Clear();
}

bool ProgressLine::Due() {
  if (!enabled_) return false;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < kInterval) return false;
  last_ = now;
  return true;
}

void ProgressLine::Show(std::string_view text) {
  if (!enabled_) return;
  // \r to the line start, the text, then erase whatever a longer previous line left.
  std::fprintf(stderr, "\r%.*s\033[K", static_cast<int>(text.size()), text.data());
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::Clear() {
  if (!shown_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace fh::cli
