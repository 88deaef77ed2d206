#include "ingest/json_array_splitter.h"

#include <algorithm>
#include <array>
#include <cstdint>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace fh::ingest {
namespace {

// The bytes that matter for finding an element's end; all others are skipped in one test.
enum : uint8_t { kPlain = 0, kQuote, kBackslash, kOpen, kClose, kNewline };

constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> classes{};
  classes['"'] = kQuote;
  classes['\\'] = kBackslash;
  classes['{'] = kOpen;
  classes['['] = kOpen;
  classes['}'] = kClose;
  classes[']'] = kClose;
  classes['\n'] = kNewline;
  return classes;
}
constexpr std::array<uint8_t, 256> kClasses = MakeClasses();

// What a value starting with `c` is, for "found ..." in errors.
std::string Describe(char c) {
  switch (c) {
    case '{':
      return "an object";
    case '[':
      return "an array";
    case '"':
      return "a string";
    case 't':
    case 'f':
      return "a boolean";
    case 'n':
      return "null";
    case '\0':
      return "a NUL byte (UTF-16 or UTF-32 text? convert it to UTF-8)";
    default:
      break;
  }
  if (c == '-' || (c >= '0' && c <= '9')) return "a number";
  if (c > ' ' && c < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02X}", static_cast<unsigned char>(c));
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

JsonArraySplitter::JsonArraySplitter(InputWindow* input, std::string display_name,
                                     size_t max_element_bytes)
    : input_(input),
      display_name_(std::move(display_name)),
      max_element_bytes_(max_element_bytes) {}

Status JsonArraySplitter::Error(int64_t line, std::string_view what) const {
  return InvalidArgument("{}:{}: {}", display_name_, line, what);
}

Result<bool> JsonArraySplitter::SkipSpace() {
  while (true) {
    const std::string_view data = input_->data();
    size_t i = 0;
    for (; i < data.size() && IsSpace(data[i]); ++i) {
      if (data[i] == '\n') ++line_;
    }
    input_->Consume(i);
    if (i < data.size()) return true;
    FH_ASSIGN_OR_RETURN(const bool more, input_->Fill());
    if (!more) return false;
  }
}

Result<JsonArraySplitter::Element> JsonArraySplitter::Cut() {
  // Positions are relative to data(), which keeps its start across Fill().
  size_t i = 0;
  size_t escaped = SIZE_MAX;  // position of the byte after a backslash in a string
  int64_t depth = 0;
  int64_t newlines = 0;
  bool in_string = false;
  // Feeds one byte the table marks; true when it closes the element.
  const auto step = [&](const char* p, size_t k) {
    const char c = p[k];
    if (c == '\n') {
      ++newlines;  // raw newlines in strings are invalid, but still lines
      return false;
    }
    if (k == escaped) return false;
    if (in_string) {
      if (c == '"') {
        in_string = false;
      } else if (c == '\\') {
        escaped = k + 1;
      }
      return false;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      return --depth == 0;
    }
    return false;
  };
  while (true) {
    const std::string_view data = input_->data();
    const char* p = data.data();
    const size_t n = std::min(data.size(), max_element_bytes_);
    bool closed = false;
#ifdef __SSE2__
    // Most bytes are plain: test 16 at a time and step only through the marked ones.
    while (!closed && i + 16 <= n) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      const auto eq = [&](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
      const __m128i marked = _mm_or_si128(
          _mm_or_si128(_mm_or_si128(eq('"'), eq('\\')), _mm_or_si128(eq('{'), eq('}'))),
          _mm_or_si128(_mm_or_si128(eq('['), eq(']')), eq('\n')));
      for (unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(marked)); mask != 0;
           mask &= mask - 1) {
        const size_t k = i + static_cast<size_t>(__builtin_ctz(mask));
        if (step(p, k)) {
          i = k;
          closed = true;
          break;
        }
      }
      if (!closed) i += 16;
    }
#endif
    for (; !closed && i < n; ++i) {
      if (kClasses[static_cast<unsigned char>(p[i])] != kPlain && step(p, i)) {
        closed = true;
        break;
      }
    }
    if (closed) {
      Element element{data.substr(0, i + 1), line_, input_->offset()};
      line_ += newlines;
      input_->Consume(i + 1);
      return element;
    }
    if (n == max_element_bytes_) {
      return Error(line_, fmt::format("object longer than {} bytes (the record size limit)",
                                      max_element_bytes_));
    }
    FH_ASSIGN_OR_RETURN(const bool more, input_->Fill());
    if (!more) {
      return Error(line_,
                   "unexpected end of input inside the object that starts here (is the file "
                   "truncated?)");
    }
  }
}

Result<std::optional<JsonArraySplitter::Element>> JsonArraySplitter::Next() {
  while (true) {
    switch (state_) {
      case State::kStart: {
        FH_ASSIGN_OR_RETURN(const bool any, SkipSpace());
        if (!any) return Error(line_, "empty input: expected a JSON array of objects");
        const char c = input_->data()[0];
        if (c != '[') {
          return Error(line_,
                       fmt::format("expected a JSON array of objects, found {}{}", Describe(c),
                                   c == '{' ? " (one object per line is NDJSON)" : ""));
        }
        input_->Consume(1);
        state_ = State::kFirst;
        continue;
      }
      case State::kFirst:
      case State::kAfterComma: {
        FH_ASSIGN_OR_RETURN(const bool any, SkipSpace());
        if (!any) return Error(line_, "unexpected end of input: the array is not closed");
        const char c = input_->data()[0];
        if (c == ']') {
          if (state_ == State::kAfterComma) return Error(line_, "expected an object after ','");
          input_->Consume(1);
          state_ = State::kEnd;
          continue;
        }
        ++elements_;
        if (c != '{') {
          return Error(line_, fmt::format("element {} of the array is not an object: found {}",
                                          elements_, Describe(c)));
        }
        FH_ASSIGN_OR_RETURN(Element element, Cut());
        last_line_ = element.line;
        state_ = State::kAfterElement;
        return std::optional<Element>(element);
      }
      case State::kAfterElement: {
        FH_ASSIGN_OR_RETURN(const bool any, SkipSpace());
        if (!any) return Error(line_, "unexpected end of input: the array is not closed");
        const char c = input_->data()[0];
        input_->Consume(1);
        if (c == ',') {
          state_ = State::kAfterComma;
        } else if (c == ']') {
          state_ = State::kEnd;
        } else {
          return Error(line_,
                       fmt::format("expected ',' or ']' after the object of line {}, found {}",
                                   last_line_, Describe(c)));
        }
        continue;
      }
      case State::kEnd: {
        FH_ASSIGN_OR_RETURN(const bool any, SkipSpace());
        if (any) {
          return Error(line_, fmt::format("unexpected text after the array: {}",
                                          Describe(input_->data()[0])));
        }
        state_ = State::kDone;
        return std::optional<Element>();
      }
      case State::kDone:
        return std::optional<Element>();
    }
  }
}

}  // namespace fh::ingest
