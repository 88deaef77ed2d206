// The demo plant's people (docs/people.md): its HR system's exports — qualifications, 24
// people of lines 1 and 2 over three shifts, their certificates with expiry dates relative to
// today (a few expiring within 90 days, two expired, one training booked) — and which
// equipment requires which qualification, each imported through its mapping as `factoryhub
// import` would, plus the MES's record of who ran which recent work order. One certificate
// names a contractor HR does not know and waits in the quarantine. The data leaves real gaps:
// nobody on line 1's night shift holds a valid spindle-maintenance certificate, tool setters
// are short on the late and night shifts, and an operator whose CNC certificate lapsed ran
// work orders.
#pragma once

#include <filesystem>

#include "analytics/people/people_config.h"
#include "common/status.h"
#include "common/time.h"
#include "store/hub.h"

namespace fh::cli {

inline constexpr const char* kDemoPeopleMapping = "mappings/hr-personnel.yaml";

struct DemoPeople {
  int64_t people = 0;        // personnel records stored
  int64_t certificates = 0;  // personnel_qualification records stored
  int64_t quarantined = 0;   // records of these imports in the quarantine
  int64_t assignments = 0;   // work_order_operator records stored
  bool imported = false;     // the HR exports were imported this run (a new demo hub)
};

// Writes the HR exports, their mappings and people.yaml under `dir` and imports them when the
// hub has no people yet (`now` dates the certificates); then, every run, records who ran the
// line's work orders of the last hours before `until` (the MES's export, through its
// mapping).
Result<DemoPeople> ImportDemoPeople(Hub& hub, const std::filesystem::path& dir, TimestampNs now,
                                    TimestampNs until);

}  // namespace fh::cli
