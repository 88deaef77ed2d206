// strftime-like patterns ("%d.%m.%Y %H:%M:%S"): compiled once into steps by
// TimestampParser::Make, then matched against each cell without allocating. The
// directives are listed in timestamp_format.h.
#include <vector>

#include "govern/timestamp_internal.h"

namespace fh::govern::timestamp_internal {
namespace {

constexpr size_t kMaxPatternSize = 1000;

bool ReadMonthName(std::string_view s, size_t* pos, unsigned* month) {
  static constexpr std::string_view kNames[12] = {"january",   "february", "march",    "april",
                                                  "may",       "june",     "july",     "august",
                                                  "september", "october",  "november", "december"};
  for (unsigned m = 0; m < 12; ++m) {
    const std::string_view name = kNames[m];
    const size_t length = MatchIgnoringCase(s, *pos, name)                ? name.size()
                          : MatchIgnoringCase(s, *pos, name.substr(0, 3)) ? 3
                                                                          : 0;
    if (length != 0) {
      *pos += length;
      *month = m + 1;
      return true;
    }
  }
  return false;
}

}  // namespace

bool ParsePattern(const Format& format, std::string_view s, Fields* f, Failure* failure) {
  size_t i = 0;
  for (size_t k = 0; k < format.steps.size(); ++k) {
    const Step& step = format.steps[k];
    failure->step = k;
    switch (step.what) {
      case kLiteral: {
        const std::string_view literal(format.text.data() + step.literal_offset, step.literal_size);
        if (s.substr(i, literal.size()) != literal) return Fail(failure, Why::kLiteral, i);
        i += literal.size();
        break;
      }
      case kSpaces:
        if (i >= s.size() || s[i] != ' ') return Fail(failure, Why::kLiteral, i);
        while (i < s.size() && s[i] == ' ')
          ++i;
        break;
      case kYear4:
      case kYear2: {
        const int digits = step.what == kYear4 ? 4 : 2;
        unsigned year = 0;
        if (!ReadNumber(s, &i, digits, digits, &year)) return Fail(failure, Why::kDigits, i);
        f->year = step.what == kYear4 ? year : (year < 69 ? 2000 : 1900) + year;
        break;
      }
      case kMonthName:
        if (!ReadMonthName(s, &i, &f->month)) return Fail(failure, Why::kMonthName, i);
        break;
      case kMonth:
      case kDay:
      case kHour:
      case kHour12:
      case kMinute:
      case kSecond: {
        unsigned* field = step.what == kMonth                          ? &f->month
                          : step.what == kDay                          ? &f->day
                          : step.what == kHour || step.what == kHour12 ? &f->hour
                          : step.what == kMinute                       ? &f->minute
                                                                       : &f->second;
        if (!ReadNumber(s, &i, 1, 2, field)) return Fail(failure, Why::kDigits, i);
        break;
      }
      case kOptionalFraction:
        if (i >= s.size() || s[i] != step.separator) break;
        ++i;
        [[fallthrough]];
      case kFraction: {
        const Why why = ReadFraction(s, &i, &f->nanos);
        if (why != Why::kNone) return Fail(failure, why, i);
        break;
      }
      case kAmPm:
        if (!ReadAmPm(s, &i, &f->pm)) return Fail(failure, Why::kAmPm, i);
        break;
      case kOffset:
        if (!ReadOffset(s, &i, f)) return Fail(failure, Why::kOffset, i);
        break;
    }
  }
  if (i != s.size()) return Fail(failure, Why::kTrailing, i);
  return true;
}

char Directive(uint8_t what) {
  static constexpr char kLetters[] = {'?', ' ', 'Y', 'y', 'm', 'b', 'd', 'H',
                                      'I', 'M', 'S', 'f', 'f', 'p', 'z'};
  return kLetters[what];
}

std::string DigitsExpected(uint8_t what) {
  switch (what) {
    case kYear4:
      return "4 digits";
    case kYear2:
      return "2 digits";
    case kFraction:
    case kOptionalFraction:
      return "1-9 digits";
    default:
      return "1 or 2 digits";
  }
}

Result<Format> CompilePattern(std::string_view text) {
  if (text.size() > kMaxPatternSize) {
    return InvalidArgument("pattern longer than {} bytes", kMaxPatternSize);
  }
  Format format{Kind::kPattern, std::string(text), {}};
  std::vector<Step>& steps = format.steps;
  bool seen[128] = {};
  auto literal = [&](size_t offset) {
    if (!steps.empty() && steps.back().what == kLiteral &&
        steps.back().literal_offset + steps.back().literal_size == offset) {
      ++steps.back().literal_size;
    } else {
      steps.push_back({kLiteral, 0, 1, static_cast<uint32_t>(offset)});
    }
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ') {
      if (steps.empty() || steps.back().what != kSpaces) {
        steps.push_back({kSpaces, 0, 1, static_cast<uint32_t>(i)});
      }
      continue;
    }
    if (c != '%') {
      literal(i);
      continue;
    }
    if (++i == text.size()) return InvalidArgument("pattern '{}' ends with '%'", text);
    const char d = text[i];
    if (d == '%') {
      literal(i);
      continue;
    }
    What what;
    switch (d) {
      // clang-format off
      case 'Y': what = kYear4; break;
      case 'y': what = kYear2; break;
      case 'm': what = kMonth; break;
      case 'b': case 'B': what = kMonthName; break;
      case 'd': what = kDay; break;
      case 'H': what = kHour; break;
      case 'I': what = kHour12; break;
      case 'M': what = kMinute; break;
      case 'S': what = kSecond; break;
      case 'f': what = kFraction; break;
      case 'p': what = kAmPm; break;
      case 'z': what = kOffset; break;
      // clang-format on
      default:
        return InvalidArgument(
            "pattern '{}': unknown directive %{} at character {} (known: %Y %y %m %b %d %H %I "
            "%M %S %f %p %z %%)",
            text, d, i);
    }
    const auto letter = static_cast<unsigned char>(d == 'B' ? 'b' : d);
    if (seen[letter]) return InvalidArgument("pattern '{}': %{} appears twice", text, d);
    seen[letter] = true;
    char separator = 0;
    if (what == kFraction && !steps.empty() && steps.back().what == kLiteral) {
      Step& previous = steps.back();
      separator = text[previous.literal_offset + previous.literal_size - 1];
      if (separator == '.' || separator == ',') {
        what = kOptionalFraction;
        if (--previous.literal_size == 0) steps.pop_back();
      } else {
        separator = 0;
      }
    }
    steps.push_back({what, separator, 0, 0});
  }
  auto has = [&](char d) { return seen[static_cast<unsigned char>(d)]; };
  if (!has('Y') && !has('y')) return InvalidArgument("pattern '{}' has no year (%Y or %y)", text);
  if (has('Y') && has('y')) return InvalidArgument("pattern '{}' has both %Y and %y", text);
  if (!has('m') && !has('b')) return InvalidArgument("pattern '{}' has no month (%m or %b)", text);
  if (has('m') && has('b')) return InvalidArgument("pattern '{}' has both %m and %b", text);
  if (!has('d')) return InvalidArgument("pattern '{}' has no day (%d)", text);
  if (has('H') && has('I')) return InvalidArgument("pattern '{}' has both %H and %I", text);
  if (has('I') != has('p')) {
    return InvalidArgument("pattern '{}': %I (12-hour clock) and %p (AM/PM) go together", text);
  }
  return format;
}

}  // namespace fh::govern::timestamp_internal
