// A one-line progress report on stderr for long work, redrawn in place at most five times
// a second, and only when stderr is a terminal (never in pipes, logs or tests).
#pragma once

#include <chrono>
#include <string_view>

namespace fh::cli {

class ProgressLine {
 public:
  ProgressLine();
  ~ProgressLine();  // Clear()s
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // True when a redraw is due: enabled and 200 ms since the last one. Cheap to call often.
  bool Due();
  void Show(std::string_view text);
  // Erases the line (before printing a result or an error).
  void Clear();

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace fh::cli
