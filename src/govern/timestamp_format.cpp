// TimestampParser itself: compiling a spec's formats and time zone, trying each format on
// a cell, turning civil time into UTC, and (only once all formats failed) the messages.
// Patterns and "auto" live in timestamp_pattern.cpp and timestamp_auto.cpp.
#include "govern/timestamp_format.h"

#include <charconv>
#include <cmath>

#include "common/time.h"
#include "govern/timestamp_internal.h"

namespace fh::govern {

using namespace timestamp_internal;

bool timestamp_internal::Resolve(const Fields& f, const Zone& zone, int64_t* ns, Failure* failure) {
  auto out_of_range = [&](Why why) {
    failure->fields = f;
    return Fail(failure, why);
  };
  unsigned hour = f.hour;
  if (f.pm >= 0) {
    if (hour < 1 || hour > 12) return out_of_range(Why::kHour12);
    hour = hour % 12 + (f.pm != 0 ? 12 : 0);
  }
  if (f.month < 1 || f.month > 12) return out_of_range(Why::kMonth);
  if (f.day < 1 || f.day > DaysInMonth(f.year, f.month)) return out_of_range(Why::kDay);
  if (hour > 23) return out_of_range(Why::kHour);
  if (f.minute > 59) return out_of_range(Why::kMinute);
  if (f.second > 60) return out_of_range(Why::kSecond);
  if (f.offset_hour > 23 || f.offset_minute > 59) return out_of_range(Why::kOffsetRange);
  unsigned second = f.second;
  auto nanos = static_cast<int64_t>(f.nanos);
  if (second == 60) {  // leap second: the last nanosecond of second 59, as ParseRfc3339
    second = 59;
    nanos = kNanosPerSecond - 1;
  }
  int64_t seconds;
  if (f.has_offset || zone.fixed) {
    const int64_t offset =
        f.has_offset
            ? f.offset_sign * static_cast<int64_t>(f.offset_hour * 3600 + f.offset_minute * 60)
            : zone.fixed_offset_seconds;
    seconds = DaysFromCivil(f.year, f.month, f.day) * kSecondsPerDay +
              (hour * 3600 + f.minute * 60 + second) - offset;
  } else {
    const cctz::civil_second civil(f.year, static_cast<int>(f.month), static_cast<int>(f.day),
                                   static_cast<int>(hour), static_cast<int>(f.minute),
                                   static_cast<int>(second));
    const cctz::time_zone::civil_lookup found = zone.zone.lookup(civil);
    // pre: the offset before the change (for a repeated time, its first occurrence).
    seconds = found.pre.time_since_epoch().count();
    if (found.kind == cctz::time_zone::civil_lookup::SKIPPED &&
        zone.nonexistent == NonexistentTime::kReject) {
      failure->fields = f;
      return Fail(failure, Why::kNonexistent);
    }
    if (found.kind == cctz::time_zone::civil_lookup::REPEATED) {
      const int64_t later = found.post.time_since_epoch().count();
      switch (zone.ambiguous) {
        case AmbiguousTime::kEarlier:
          break;
        case AmbiguousTime::kLater:
          seconds = later;
          break;
        case AmbiguousTime::kReject:
          failure->fields = f;
          return Fail(failure, Why::kAmbiguous);
        case AmbiguousTime::kInfer:
          if (zone.last) {
            // The first instant that does not go back in time; the source's own order
            // tells the two hours apart where its times run forward.
            const int64_t last_s =
                *zone.last / kNanosPerSecond - (*zone.last % kNanosPerSecond < 0);
            if (seconds < last_s) seconds = later;
            if (seconds < last_s) {
              failure->fields = f;
              return Fail(failure, Why::kAmbiguous);
            }
          }
          break;
      }
    }
  }
  if (seconds < 0 && nanos > 0) {  // so that the earliest instant does not overflow
    ++seconds;
    nanos -= kNanosPerSecond;
  }
  if (__builtin_mul_overflow(seconds, kNanosPerSecond, ns) ||
      __builtin_add_overflow(*ns, nanos, ns)) {
    return Fail(failure, Why::kRange);
  }
  return true;
}

namespace {

// Days of Excel's 1900 system, whose day 60 is the 1900-02-29 Lotus 1-2-3 invented, or of
// its 1904 system (old Mac workbooks, the workbook's date1904 flag): day 0 is 1904-01-01
// and there is no phantom day.
bool ParseExcel(std::string_view s, bool system1904, const Zone& zone, int64_t* ns,
                Failure* failure) {
  double serial = 0;
  if (!LooksNumeric(s, false) ||
      std::from_chars(s.data(), s.data() + s.size(), serial).ec != std::errc()) {
    return Fail(failure, Why::kNotExcel);
  }
  // The last day either system can name is 9999-12-31.
  if (system1904) {
    if (serial >= 2957004) return Fail(failure, Why::kExcelRange);
    serial += 1462;  // the 1900 system's serial of the same day, past its day 60
  } else {
    if (serial < 1) return Fail(failure, Why::kExcelBelow1);
    if (serial >= 2958466) return Fail(failure, Why::kExcelRange);
  }
  constexpr int64_t kMillisPerDay = kSecondsPerDay * 1000;
  const auto millis = static_cast<int64_t>(std::llround(serial * kMillisPerDay));
  const int64_t day = millis / kMillisPerDay;
  const int64_t ms = millis % kMillisPerDay;
  if (day == 60) return Fail(failure, Why::kExcel60);
  const CivilDate date =
      CivilFromDays(day + (day < 60 ? DaysFromCivil(1899, 12, 31) : DaysFromCivil(1899, 12, 30)));
  Fields f;
  f.year = date.year;
  f.month = date.month;
  f.day = date.day;
  f.hour = static_cast<unsigned>(ms / 3600000);
  f.minute = static_cast<unsigned>(ms / 60000 % 60);
  f.second = static_cast<unsigned>(ms / 1000 % 60);
  f.nanos = static_cast<uint32_t>(ms % 1000 * kNanosPerMilli);
  return Resolve(f, zone, ns, failure);
}

bool ParseWith(const Format& format, std::string_view s, const Zone& zone, bool day_first,
               int64_t* ns, Failure* failure) {
  switch (format.kind) {
    case Kind::kAuto:
      return ParseAuto(s, day_first, zone, ns, failure);
    case Kind::kRfc3339: {
      if (!LooksRfc3339(s)) return Fail(failure, Why::kNotRfc3339);
      Result<int64_t> r = ParseRfc3339(s);
      if (!r.ok()) {
        failure->status = r.status();
        return Fail(failure, Why::kStatus);
      }
      *ns = *r;
      return true;
    }
    case Kind::kEpochS:
      return ParseEpochNumber(s, TimeUnit::kSeconds, ns, failure);
    case Kind::kEpochMs:
      return ParseEpochNumber(s, TimeUnit::kMillis, ns, failure);
    case Kind::kEpochUs:
      return ParseEpochNumber(s, TimeUnit::kMicros, ns, failure);
    case Kind::kEpochNs:
      return ParseEpochNumber(s, TimeUnit::kNanos, ns, failure);
    case Kind::kEpoch:
      if (!LooksNumeric(s, true)) return Fail(failure, Why::kNotEpoch);
      return ParseEpochNumber(s, UnitByMagnitude(s), ns, failure);
    case Kind::kExcel:
      return ParseExcel(s, false, zone, ns, failure);
    case Kind::kExcel1904:
      return ParseExcel(s, true, zone, ns, failure);
    case Kind::kPattern: {
      Fields f;
      return ParsePattern(format, s, &f, failure) && Resolve(f, zone, ns, failure);
    }
  }
  return Fail(failure, Why::kNotAuto);
}

std::string_view FormatLabel(const Format& format) {
  return format.kind == Kind::kPattern ? "pattern" : "format";
}

constexpr std::string_view kAutoForms =
    "auto reads ISO 8601 (2024-03-05 08:00:00), DD.MM.YYYY, MM/DD/YYYY and epoch numbers; "
    "give a pattern such as '%d/%m/%Y %H:%M' for others";

[[gnu::cold]] std::string Describe(const Format& format, std::string_view s, size_t lead,
                                   const Failure& failure, const Zone& zone) {
  const std::string zone_name = zone.fixed ? std::string("the zone") : zone.zone.name();
  const Fields& f = failure.fields;
  const size_t at = lead + failure.pos + 1;
  const Step* step = format.steps.empty() ? nullptr : &format.steps[failure.step];
  switch (failure.why) {
    case Why::kNone:
      break;
    case Why::kLiteral:
      return fmt::format(
          "expected '{}' at character {}",
          std::string_view(format.text).substr(step->literal_offset, step->literal_size), at);
    case Why::kDigits:
      if (format.kind != Kind::kPattern) return fmt::format("expected digits at character {}", at);
      return fmt::format("expected {} for %{} at character {}", DigitsExpected(step->what),
                         Directive(step->what), at);
    case Why::kMonthName:
      return fmt::format("expected a month name (Jan-Dec) for %b at character {}", at);
    case Why::kAmPm:
      return fmt::format("expected AM or PM for %p at character {}", at);
    case Why::kOffset:
      return fmt::format("expected a UTC offset (Z, ±HH:MM, ±HHMM or ±HH) at character {}", at);
    case Why::kLongFraction:
      return fmt::format("fraction longer than 9 digits (resolution is 1 ns) at character {}", at);
    case Why::kTrailing:
      return fmt::format("unexpected text at character {}, after the end of the pattern", at);
    case Why::kAmbiguous:
      return fmt::format(
          "{:04}-{:02}-{:02} {:02}:{:02} happens twice in {} (a daylight-saving change) and {}; "
          "say which with ambiguous: earlier or later",
          f.year, f.month, f.day, f.pm >= 0 ? f.hour % 12 + (f.pm ? 12 : 0) : f.hour, f.minute,
          zone_name,
          zone.ambiguous == AmbiguousTime::kReject
              ? "the mapping says ambiguous: reject"
              : "the order of the times does not tell which (both are before the previous time)");
    case Why::kNonexistent:
      return fmt::format(
          "{:04}-{:02}-{:02} {:02}:{:02} does not exist in {} (a daylight-saving change skips "
          "it); nonexistent: shift reads it with the offset before the change",
          f.year, f.month, f.day, f.pm >= 0 ? f.hour % 12 + (f.pm ? 12 : 0) : f.hour, f.minute,
          zone_name);
    case Why::kMonth:
      return fmt::format("month {:02} out of range (01-12)", f.month);
    case Why::kDay:
      return fmt::format("day {:02} out of range for {:04}-{:02} (01-{})", f.day, f.year, f.month,
                         DaysInMonth(f.year, f.month));
    case Why::kHour:
      return fmt::format("hour {:02} out of range (00-23)", f.hour);
    case Why::kHour12:
      return fmt::format("hour {:02} out of range for a 12-hour clock (01-12)", f.hour);
    case Why::kMinute:
      return fmt::format("minute {:02} out of range (00-59)", f.minute);
    case Why::kSecond:
      return fmt::format("second {:02} out of range (00-60)", f.second);
    case Why::kOffsetRange:
      return fmt::format("time zone offset {}{:02}:{:02} out of range (at most ±23:59)",
                         f.offset_sign < 0 ? '-' : '+', f.offset_hour, f.offset_minute);
    case Why::kRange:
      return "outside the representable range "
             "1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z";
    case Why::kNotAuto:
      return fmt::format("not a timestamp auto recognises (stopped at character {}): {}", at,
                         kAutoForms);
    case Why::kNotRfc3339:
      return ParseRfc3339(s).status().message();
    case Why::kNotEpoch:
      return fmt::format("not a number of {} since the epoch",
                         format.kind == Kind::kEpoch     ? "s, ms, us or ns"
                         : format.kind == Kind::kEpochMs ? "ms"
                         : format.kind == Kind::kEpochUs ? "us"
                         : format.kind == Kind::kEpochNs ? "ns"
                                                         : "s");
    case Why::kNotExcel:
      return "not an Excel serial day number (digits, optionally with a fraction)";
    case Why::kExcel60:
      return "Excel serial 60 is 1900-02-29, a day that did not exist (a leap-year bug Excel "
             "keeps for compatibility)";
    case Why::kExcelBelow1:
      return "Excel serial below 1: a time of day without a date";
    case Why::kExcelRange:
      return "Excel serial after 9999-12-31";
    case Why::kStatus:
      return failure.status.message();
  }
  return "no format matched";
}

[[gnu::cold, gnu::noinline]] Status ParseError(const std::vector<Format>& formats,
                                               std::string_view s, size_t lead, const Zone& zone,
                                               bool day_first, const Failure& last) {
  if (formats.size() == 1) {
    const Format& format = formats[0];
    const std::string message = Describe(format, s, lead, last, zone);
    if (format.kind == Kind::kPattern) {
      return InvalidArgument("pattern '{}': {}", format.text, message);
    }
    return InvalidArgument("{}", message);
  }
  // Parse again to learn why each format failed; only the last failure was kept.
  std::string message = fmt::format("none of the {} formats matched:", formats.size());
  for (const Format& format : formats) {
    Failure failure;
    int64_t ns;
    ParseWith(format, s, zone, day_first, &ns, &failure);
    message += fmt::format(" {} '{}': {};", FormatLabel(format), format.text,
                           Describe(format, s, lead, failure, zone));
  }
  message.pop_back();
  return InvalidArgument("{}", message);
}

Result<Format> CompileFormat(std::string_view text) {
  static constexpr std::pair<std::string_view, Kind> kNamed[] = {
      {"auto", Kind::kAuto},        {"rfc3339", Kind::kRfc3339},  {"epoch_s", Kind::kEpochS},
      {"epoch_ms", Kind::kEpochMs}, {"epoch_us", Kind::kEpochUs}, {"epoch_ns", Kind::kEpochNs},
      {"epoch", Kind::kEpoch},      {"excel", Kind::kExcel},      {"excel1904", Kind::kExcel1904},
  };
  for (const auto& [name, kind] : kNamed) {
    if (text == name) return Format{kind, std::string(text), {}};
  }
  if (text.find('%') != std::string_view::npos) return CompilePattern(text);
  return InvalidArgument(
      "unknown timestamp format '{}' (expected auto, rfc3339, epoch, epoch_s, epoch_ms, "
      "epoch_us, epoch_ns, excel, excel1904 or a pattern such as '%Y-%m-%d %H:%M:%S')",
      text);
}

Result<Zone> LoadZone(std::string_view name) {
  Zone zone;
  if (name.empty() || name == "UTC" || name == "Z") return zone;
  if (name[0] == '+' || name[0] == '-') {
    size_t i = 0;
    Fields f;
    if (!ReadOffset(name, &i, &f) || i != name.size() || f.offset_hour > 23 ||
        f.offset_minute > 59) {
      return InvalidArgument("bad time zone offset '{}' (expected ±HH:MM)", name);
    }
    zone.fixed_offset_seconds =
        f.offset_sign * static_cast<int64_t>(f.offset_hour * 3600 + f.offset_minute * 60);
    return zone;
  }
  if (!cctz::load_time_zone(std::string(name), &zone.zone)) {
    return InvalidArgument(
        "unknown time zone '{}' (expected an IANA name such as Asia/Shanghai, UTC, or an "
        "offset such as +08:00)",
        name);
  }
  zone.fixed = false;
  return zone;
}

}  // namespace

Result<TimestampParser> TimestampParser::Make(const TimestampSpec& spec) {
  TimestampParser parser;
  FH_ASSIGN_OR_RETURN(parser.zone_, LoadZone(spec.time_zone));
  parser.zone_.ambiguous = spec.ambiguous;
  parser.zone_.nonexistent = spec.nonexistent;
  parser.day_first_ = spec.day_first;
  FH_ASSIGN_OR_RETURN(Format first, CompileFormat(spec.format));
  parser.formats_.push_back(std::move(first));
  for (const std::string& alternative : spec.alternatives) {
    FH_ASSIGN_OR_RETURN(Format format, CompileFormat(alternative));
    parser.formats_.push_back(std::move(format));
  }
  return parser;
}

Result<int64_t> TimestampParser::Parse(std::string_view text, std::optional<int64_t> last) const {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t lead = 0;
  while (lead < text.size() && space(text[lead]))
    ++lead;
  std::string_view s = text.substr(lead);
  while (!s.empty() && space(s.back()))
    s.remove_suffix(1);
  if (s.empty()) return InvalidArgument("empty timestamp");
  Failure failure;
  // A copy with the hint: the zone is a handle, the copy a few words.
  Zone zone = zone_;
  zone.last = last;
  for (const Format& format : formats_) {
    int64_t ns;
    if (ParseWith(format, s, zone, day_first_, &ns, &failure)) return ns;
  }
  return ParseError(formats_, s, lead, zone, day_first_, failure);
}

}  // namespace fh::govern
