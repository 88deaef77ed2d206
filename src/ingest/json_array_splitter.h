// JsonArraySplitter: cuts the top-level elements out of a JSON array as it streams in,
// without parsing them, so that a multi-gigabyte array needs memory for one element only.
//
// It checks the array's own punctuation (brackets, commas) and that every element is an
// object; what is inside an element is left to the parser that receives it. It tracks
// strings and escapes only to find where an element ends.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "ingest/input_window.h"

namespace fh::ingest {

class JsonArraySplitter {
 public:
  struct Element {
    std::string_view text;  // from '{' to its matching '}'
    int64_t line;           // 1-based line of the '{'
    int64_t offset;         // of the '{' in the input
  };

  // `input` must outlive the splitter and be positioned after any byte order mark.
  // `display_name` prefixes errors; an element longer than `max_element_bytes` is an error.
  JsonArraySplitter(InputWindow* input, std::string display_name, size_t max_element_bytes);

  // The next element, or nullopt after the closing bracket (and nothing but whitespace
  // after it). The text is valid until the next call. Errors are InvalidArgument
  // "name:line: ...".
  Result<std::optional<Element>> Next();

 private:
  enum class State { kStart, kFirst, kAfterComma, kAfterElement, kEnd, kDone };

  Result<bool> SkipSpace();  // false at the end of the input
  Result<Element> Cut();     // the element starting at input_->data()[0]
  Status Error(int64_t line, std::string_view what) const;

  InputWindow* input_;
  std::string display_name_;
  size_t max_element_bytes_;
  State state_ = State::kStart;
  int64_t line_ = 1;  // of input_->data()[0]
  int64_t elements_ = 0;
  int64_t last_line_ = 1;  // where the previous element started
};

}  // namespace fh::ingest
