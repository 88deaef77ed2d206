// Reading the timestamps found in exports (MES reports, PLC logs, spreadsheets), which come
// in every shape: "2024-03-05 08:00", "05.03.2024", "3/5/2024 8:00:00 PM", 1709625600000,
// 45356.5. A mapping states the shape once; TimestampParser::Make compiles it, and Parse
// then turns each cell into ns since the epoch, UTC, without allocating.
//
// Formats (TimestampSpec::format and each of its alternatives):
//   auto        what is described under "auto" below
//   rfc3339     strictly common/time.h's ParseRfc3339: the offset is required
//   epoch_s, epoch_ms, epoch_us, epoch_ns
//               a number of units since the epoch, with a fraction down to 1 ns (ParseEpoch)
//   epoch       a number, its unit chosen by magnitude as in "auto"
//   excel       a serial day number of Excel's 1900 date system, 45356.5 being
//               2024-03-05 12:00 in the time zone; rounded to the millisecond (Excel keeps
//               no more). Serial 60 is 1900-02-29, which Excel counts but which never
//               existed: it is refused. Serials below 1 (a time of day alone) are refused.
//   excel1904   a serial day number of Excel's 1904 date system (workbooks made on old
//               Macs), 0 being 1904-01-01; no phantom day, serials from 0.
//   a pattern   strftime-like, e.g. "%d.%m.%Y %H:%M:%S":
//     %Y 4-digit year; %y 2-digit year, 69-99 → 1969-1999 and 00-68 → 2000-2068 (POSIX);
//     %m month, %d day, %H hour (0-23), %I hour (1-12), %M minute, %S second: 1 or 2
//     digits each, so "3/5/2024" reads with "%m/%d/%Y" (note "%Y%m%d" reads 2 digits of
//     month, as a compact date needs); %b (or %B) an English month name, full or 3 letters, any
//     case; %p AM or PM (any case) or 上午/下午; %f 1-9 digits of a second's fraction; when
//     it follows a '.' or ',' the fraction and its separator may be absent ("%S.%f" reads
//     "08:00:00" too); %z Z, ±HH:MM, ±HHMM or ±HH; %% a '%'. A space matches one or more
//     spaces; any other character matches itself. A pattern needs a year, a month and a
//     day; %I and %p go together. Missing time fields are 0.
// Spec::alternatives are tried in order after format, the first that matches wins, e.g.
// format "%d/%m/%Y %H:%M:%S" with alternatives ["%d/%m/%Y %H:%M", "%d/%m/%Y"].
//
// "auto" reads, after trimming surrounding whitespace:
//   - ISO 8601 / RFC 3339 with '-', '/' or '.' between year, month and day:
//     "2024-03-05", "2024/3/5 08:00", "2024-03-05T08:00:00.5+08:00";
//   - "05.03.2024" (a dot means day first, as in German exports);
//   - "03/05/2024" and "03-05-2024": month first, or day first when Spec::day_first. There is
//     no guessing per value: "13/05/2024" without day_first is an error, not May 13th.
//   - after any of these dates: 'T' or spaces, H:MM[:SS[.fraction]], optionally AM/PM (or
//     上午/下午 before the time), optionally an offset (Z, ±HH:MM, ±HHMM, ±HH) after
//     optional spaces;
//   - compact dates: 8 digits YYYYMMDD ("20240305") or 14 digits YYYYMMDDHHMMSS whose year
//     is 1900-2099 (so "auto" cannot read epoch seconds of August 1970: use "epoch_s");
//   - other numbers are epoch times, the unit chosen by the number of digits before any
//     point (leading zeros aside): up to 10 → seconds, 11-13 → ms, 14-16 → µs, 17 or more
//     → ns. Each unit thus covers 1970-04-26 (10^10 of the next finer unit) to the end of
//     the representable range in 2262; earlier ms, µs or ns values read as a coarser unit.
//   Excel serials are not guessed (45356 is a plausible epoch second): use "excel".
//
// Time zone (Spec::time_zone): an IANA name ("Asia/Shanghai", loaded with cctz from the
// system's tzdata), "UTC" (the default, also ""), or a fixed offset "+08:00". It applies to
// texts without an offset (and to Excel serials); epoch numbers and texts with an offset
// ignore it. A local time that does not exist (skipped by a DST change) or exists twice
// (repeated) is read with the offset in force before the change: in Europe/Berlin,
// 2024-03-31 02:30 (skipped) is 01:30Z, i.e. 03:30 CEST, and 2024-10-27 02:30 (repeated)
// is 00:30Z, the first of the two.
//
// Errors are InvalidArgument and, like common/time.h, say what is wrong without quoting
// the text, which the caller adds with its location: "day 31 out of range for 2024-02
// (01-29)", "pattern '%Y-%m-%d': expected '-' at character 5". Character positions count
// bytes from 1 in the text as given. A second of 60 (leap second) reads as the last
// nanosecond of second 59, as ParseRfc3339 does. Parse is thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <cctz/time_zone.h>

#include "common/status.h"

namespace fh::govern {

// A local time that a daylight-saving change repeats (autumn: 02:30 happens twice in
// Europe/Berlin): which of its two instants it is.
enum class AmbiguousTime : uint8_t {
  kInfer,    // by order: the first one not before the previous time parsed (`last`), as
             // pandas' tz_localize(ambiguous="infer"); neither (times going back): rejected
  kEarlier,  // the first occurrence (the offset before the change)
  kLater,    // the second occurrence
  kReject,
};
// A local time that a change skips (spring: 02:30 does not exist in Europe/Berlin).
enum class NonexistentTime : uint8_t {
  kReject,
  kShift,  // read with the offset before the change: 02:30 becomes 03:30 summer time
};

struct TimestampSpec {
  std::string format = "auto";
  std::vector<std::string> alternatives;  // tried in order when format does not match
  std::string time_zone = "UTC";
  bool day_first = false;  // "auto" reads 03/05/2024 as 3 May rather than 5 March
  AmbiguousTime ambiguous = AmbiguousTime::kInfer;
  NonexistentTime nonexistent = NonexistentTime::kReject;
};

class TimestampParser {
 public:
  static Result<TimestampParser> Make(const TimestampSpec& spec);

  // ns since the epoch, UTC. `last`: the previous time parsed from the same source, in its
  // order, which AmbiguousTime::kInfer decides by (without it, kInfer takes the earlier).
  Result<int64_t> Parse(std::string_view text, std::optional<int64_t> last = std::nullopt) const;

  // Implementation types, public only so that the .cpp's free functions can name them.
  enum class Kind : uint8_t;
  struct Step {
    uint8_t what;           // a directive, a literal or a run of spaces
    char separator;         // of an optional fraction: '.' or ','
    uint16_t literal_size;  // a literal's bytes, at literal_offset in Format::text
    uint32_t literal_offset;
  };
  struct Format {
    Kind kind;
    std::string text;         // as given in the spec
    std::vector<Step> steps;  // of a pattern
  };
  struct Zone {
    cctz::time_zone zone;  // used unless fixed
    bool fixed = true;
    int64_t fixed_offset_seconds = 0;
    AmbiguousTime ambiguous = AmbiguousTime::kInfer;
    NonexistentTime nonexistent = NonexistentTime::kReject;
    std::optional<int64_t> last;  // Parse's `last`
  };

 private:
  std::vector<Format> formats_;
  Zone zone_;
  bool day_first_ = false;
};

}  // namespace fh::govern
