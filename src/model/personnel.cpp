#include "model/personnel.h"

namespace fh {

std::vector<std::string> SplitOperations(std::string_view operations) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= operations.size()) {
    size_t end = operations.find_first_of(",;", start);
    if (end == std::string_view::npos) end = operations.size();
    std::string_view op = operations.substr(start, end - start);
    while (!op.empty() && (op.front() == ' ' || op.front() == '\t'))
      op.remove_prefix(1);
    while (!op.empty() && (op.back() == ' ' || op.back() == '\t'))
      op.remove_suffix(1);
    if (!op.empty()) out.emplace_back(op);
    start = end + 1;
  }
  return out;
}

}  // namespace fh
