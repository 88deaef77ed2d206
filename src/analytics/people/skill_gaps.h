// People and qualifications analysed (docs/people.md): the skills matrix of a line (who holds
// which of the qualifications its equipment requires, valid, expiring or expired), and the
// skill gaps — per line, required qualification and shift, the people qualified at a time
// against the minimum the hub's people.yaml asks for; certificates expiring soon or expired;
// people who ran equipment they were not qualified for. What `factoryhub people matrix|gaps`
// and GET /api/v1/people/matrix|gaps answer, and what the roadmap planner (src/optimize/)
// reads: training measures close the shortfalls, measures that need qualified people draw on
// the holders.
//
// Definitions, used alike by every function here:
//   - A person's line is the line-level ancestor (depth 4) of their home line (personnel.line;
//     a machine or a line itself). People without a home line, or whose home line is above
//     line level, are on no line: they count as holders in QualificationGap (when GapOptions
//     names no path) but in no line's matrix or gap.
//   - Only active people count (personnel.active); inactive ones are left out everywhere.
//   - A line requires the qualifications that the line itself or any equipment under it
//     requires (equipment_qualification).
//   - A person holds a qualification at `at` when a personnel_qualification row has
//     valid_from <= at < valid_to (an open bound always holds): the same rule as
//     Catalog::MissingQualifications.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/people/people_config.h"
#include "common/status.h"
#include "common/time.h"
#include "model/sample.h"

namespace fh {
class CatalogSession;
}

namespace fh::analytics::people {

// A person's certificate of one qualification at a time.
enum class CertificateStatus {
  kValid,     // held at `at`, ending later than `within_days` after it (or never)
  kExpiring,  // held at `at`, ending within `within_days` of it: still counts as qualified
  kExpired,   // held once, ended at or before `at`
  kPending,   // begins after `at` (training booked, certificate not yet valid)
  kMissing,   // never held
};
std::string_view ToString(CertificateStatus s);  // "valid", "expiring", ...
// Held at `at`: valid or expiring.
inline bool IsQualified(CertificateStatus s) {
  return s == CertificateStatus::kValid || s == CertificateStatus::kExpiring;
}

// What to analyse. Callers fill `config` from LoadPeopleConfig(hub) (or leave the defaults).
struct GapOptions {
  // The lines at or under this ISA-95 path (an enterprise, site, area or line); empty: every
  // line. NotFound when no asset has this path; InvalidArgument for a path below line level.
  std::string path;
  TimestampNs at = 0;  // the time judged; 0: now
  // A certificate ending within this many days after `at` is expiring; negative: the
  // config's expiring_within_days (90 by default).
  int64_t within_days = -1;
  PeopleConfig config;  // minimum per shift (rules per qualification and line), the shifts
  // Set: every minimum is this (the config's rules are ignored), for a what-if.
  std::optional<int> min_per_shift;
  // Work-order assignments checked: orders whose run overlaps [at - this many days, at].
  int64_t assignment_days = 7;
};

// One line × required qualification × shift.
struct ShiftGap {
  std::string line;           // the line's path
  std::string qualification;  // its code
  std::string shift;
  int qualified = 0;  // the line's people of this shift holding it at `at`
  int expiring = 0;   // of those, whose certificate ends within `within_days`
  int required = 0;   // the minimum per shift (people.yaml)
  int shortfall = 0;  // max(0, required - qualified): people to train (or move) now
  // max(0, required - (qualified - expiring)): once the expiring certificates lapse unless
  // renewed.
  int shortfall_after_expiry = 0;
};

// One qualification over the lines analysed: the roadmap's view.
struct QualificationGap {
  std::string code;
  std::string name;
  std::vector<std::string> operations;  // the operation codes it allows
  std::vector<std::string> lines;       // the lines analysed whose equipment requires it
  // Active people holding it at `at`: every holder on the lines analysed (when GapOptions
  // names no path: every holder of the hub, on a line or not), and by shift (people without
  // a shift are counted in `holders` only).
  int holders = 0;
  std::map<std::string, int> holders_per_shift;
  // The minimum per shift, summed over the lines that require it, by shift: the seats to fill.
  std::map<std::string, int> required_per_shift;
  int required = 0;                // the sum of required_per_shift
  int shortfall = 0;               // the sum of its ShiftGap shortfalls: people to train
  int shortfall_after_expiry = 0;  // the sum of its ShiftGap shortfall_after_expiry
  int expiring = 0;                // holders whose certificate ends within `within_days`
  int expired = 0;                 // people (of the same set) whose certificate has ended
};

// A certificate that ends within `within_days`, or has ended and was not renewed.
struct CertificateAlert {
  std::string person;  // personnel code
  std::string name;    // as stored (decrypted); callers mask it where it is shown
  std::string person_class;
  std::string shift;
  std::string line;  // the person's line ("" when none)
  std::string qualification;
  std::string certificate;  // its number ("" when none)
  TimestampNs valid_to = 0;
  int64_t days_left = 0;  // whole days from `at` to valid_to, rounded down; negative: expired
  bool required_on_line = false;  // the person's line requires the qualification
};

// A person recorded on a work order (work_order_operator) whose equipment requires a
// qualification they did not hold when they started (from_ts, else the order's start).
struct UnqualifiedAssignment {
  std::string work_order;
  std::string equipment;  // the order's equipment path
  std::string person;     // personnel code
  std::string name;
  TimestampNs at = 0;                // when the person started on it
  std::vector<std::string> missing;  // qualification codes, sorted
};

struct SkillGaps {
  TimestampNs at = 0;
  int64_t within_days = 0;
  std::vector<std::string> shifts;  // the shifts staffed, in order
  std::vector<std::string> lines;   // the lines analysed, by path
  // Every line × required qualification × shift; by line, qualification, shift order.
  std::vector<ShiftGap> gaps;
  // Every qualification a line analysed requires or a person of it holds, by code.
  std::vector<QualificationGap> qualifications;
  std::vector<CertificateAlert> expiring;          // soonest first
  std::vector<CertificateAlert> expired;           // most recently expired first
  std::vector<UnqualifiedAssignment> unqualified;  // newest first
  std::vector<std::string> warnings;               // data that could not be judged
  int shortfall = 0;                               // the sum of every ShiftGap shortfall
};

// The skill gaps of the lines under options.path at options.at, read through `session`'s
// catalog (nothing is written). Stable: the roadmap planner calls it; fields may be added,
// none removed or changed in meaning.
Result<SkillGaps> ComputeSkillGaps(CatalogSession& session, const GapOptions& options);

// One qualification as a matrix column.
struct MatrixColumn {
  std::string code;
  std::string name;
  std::vector<std::string> operations;
  bool required = false;  // the line's equipment requires it (else only held by its people)
  std::vector<std::string> equipment;  // the line's equipment (paths) that requires it
  int min_per_shift = 0;               // when required
};

struct MatrixCell {
  CertificateStatus status = CertificateStatus::kMissing;
  std::optional<TimestampNs> valid_from;
  std::optional<TimestampNs> valid_to;
  std::string certificate;
  std::optional<int64_t> days_left;  // to valid_to, when it has one
};

struct MatrixRow {
  std::string person;  // personnel code
  std::string name;    // as stored (decrypted)
  std::string person_class;
  std::string shift;
  std::vector<MatrixCell> cells;  // one per column
  int missing_required = 0;       // required columns the person does not hold at `at`
};

struct LineMatrix {
  std::string line;
  std::vector<MatrixColumn> columns;  // required ones first, then the rest, each by code
  std::vector<MatrixRow> rows;        // by shift (in the config's order), class, code
};

struct SkillsMatrix {
  TimestampNs at = 0;
  int64_t within_days = 0;
  std::vector<LineMatrix> lines;  // by path
};

// The skills matrix of each line under options.path (assignment_days and min_per_shift
// used as in ComputeSkillGaps).
Result<SkillsMatrix> ComputeSkillsMatrix(CatalogSession& session, const GapOptions& options);

}  // namespace fh::analytics::people
