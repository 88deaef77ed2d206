#include "analytics/people/skill_gaps.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <unordered_map>

#include <fmt/ranges.h>

#include "model/asset.h"
#include "model/personnel.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"

namespace fh::analytics::people {

std::string_view ToString(CertificateStatus s) {
  switch (s) {
    case CertificateStatus::kValid:
      return "valid";
    case CertificateStatus::kExpiring:
      return "expiring";
    case CertificateStatus::kExpired:
      return "expired";
    case CertificateStatus::kPending:
      return "pending";
    case CertificateStatus::kMissing:
      return "missing";
  }
  return "?";
}

namespace {

// An active person with their line and certificates.
struct PersonOnFile {
  Personnel person;
  std::string line;  // the line-level ancestor of the home line; "" when none
  std::map<int64_t, PersonnelQualification> held;  // by qualification id
};

// What both analyses read, once.
struct PeopleSnapshot {
  TimestampNs at = 0;
  int64_t within_days = 0;
  std::vector<std::string> shifts;
  std::vector<std::string> lines;                    // analysed, by path
  std::map<int64_t, Qualification> qualifications;   // by id
  std::map<std::string, int64_t> qualification_ids;  // by code
  // line path → qualification id → the equipment under it that requires it
  std::map<std::string, std::map<int64_t, std::vector<std::string>>> required;
  std::vector<PersonOnFile> people;                      // every active person, by code
  std::unordered_map<int64_t, std::string> asset_paths;  // every asset
  std::vector<std::string> warnings;
};

// The line-level prefix (four segments) of an asset path; "" above line level.
std::string LineOf(std::string_view path) {
  size_t at = 0;
  for (int segment = 0; segment < 4; ++segment) {
    if (at > path.size()) return "";
    const size_t slash = path.find('/', at);
    if (segment == 3) return std::string(path.substr(0, slash));
    if (slash == std::string_view::npos) return "";
    at = slash + 1;
  }
  return "";
}

// Floor division: whole days from `at` to `t`, negative when `t` is before.
int64_t DaysBetween(TimestampNs at, TimestampNs t) {
  const int64_t d = t - at;
  return d >= 0 ? d / kNanosPerDay : -((-d + kNanosPerDay - 1) / kNanosPerDay);
}

CertificateStatus StatusAt(const PersonnelQualification* pq, TimestampNs at, int64_t within_days) {
  if (pq == nullptr) return CertificateStatus::kMissing;
  if (pq->valid_from && *pq->valid_from > at) return CertificateStatus::kPending;
  if (pq->valid_to && *pq->valid_to <= at) return CertificateStatus::kExpired;
  if (pq->valid_to && *pq->valid_to - at <= within_days * kNanosPerDay) {
    return CertificateStatus::kExpiring;
  }
  return CertificateStatus::kValid;
}

Result<PeopleSnapshot> LoadSnapshot(Catalog& catalog, const GapOptions& o) {
  PeopleSnapshot s;
  s.at = o.at != 0 ? o.at : NowNs();
  s.within_days = o.within_days >= 0 ? o.within_days : o.config.expiring_within_days;

  if (!o.path.empty()) {
    Result<Asset> scope = catalog.FindAsset(o.path);
    if (!scope.ok() && scope.status().code() == StatusCode::kNotFound) {
      return NotFound(
          "unknown line '{}': no asset has this path (factoryhub tags or "
          "/api/v1/equipment list the plant's assets)",
          o.path);
    }
    if (!scope.ok()) return scope.status();
    if (scope->level == AssetLevel::kEquipment) {
      return InvalidArgument(
          "'{}' is equipment, not a line: name its line ({}) or an area or "
          "site above it",
          o.path, LineOf(o.path));
    }
  }
  FH_ASSIGN_OR_RETURN(const std::vector<Asset> assets, catalog.ListAssets());
  for (const Asset& a : assets) {
    s.asset_paths.emplace(a.id, a.path);
    if (a.level == AssetLevel::kLine && (o.path.empty() || PathCovers(o.path, a.path))) {
      s.lines.push_back(a.path);
    }
  }

  FH_ASSIGN_OR_RETURN(const std::vector<Qualification> qualifications,
                      catalog.ListQualifications());
  for (const Qualification& q : qualifications) {
    s.qualification_ids.emplace(q.code, q.id);
    s.qualifications.emplace(q.id, q);
  }
  // What each line's equipment requires (the line itself included).
  for (const Asset& a : assets) {
    const std::string line = LineOf(a.path);
    if (line.empty() || !std::binary_search(s.lines.begin(), s.lines.end(), line)) continue;
    FH_ASSIGN_OR_RETURN(const std::vector<EquipmentQualification> needs,
                        catalog.ListEquipmentQualifications(a.id));
    for (const EquipmentQualification& eq : needs)
      s.required[line][eq.qualification_id].push_back(a.path);
  }

  FH_ASSIGN_OR_RETURN(std::vector<Personnel> people, catalog.ListPersonnel());
  std::set<std::string> worked_shifts;
  for (Personnel& p : people) {
    if (!p.active) continue;
    PersonOnFile f;
    if (p.line_id) {
      auto it = s.asset_paths.find(*p.line_id);
      if (it != s.asset_paths.end()) f.line = LineOf(it->second);
    }
    if (p.shift && !p.shift->empty()) worked_shifts.insert(*p.shift);
    FH_ASSIGN_OR_RETURN(const std::vector<PersonnelQualification> held,
                        catalog.ListPersonnelQualifications(p.id));
    for (const PersonnelQualification& pq : held)
      f.held.emplace(pq.qualification_id, pq);
    f.person = std::move(p);
    s.people.push_back(std::move(f));
  }
  s.shifts = o.config.shifts;
  if (s.shifts.empty()) s.shifts.assign(worked_shifts.begin(), worked_shifts.end());
  if (s.shifts.empty()) s.shifts.push_back("");  // nobody has a shift: the line as one shift
  return s;
}

bool InScope(const PeopleSnapshot& s, const GapOptions& o, const PersonOnFile& p) {
  if (o.path.empty()) return true;
  return !p.line.empty() && std::binary_search(s.lines.begin(), s.lines.end(), p.line);
}

int MinFor(const GapOptions& o, std::string_view line, std::string_view qualification) {
  return o.min_per_shift ? *o.min_per_shift : o.config.MinPerShift(line, qualification);
}

// The person's shift as counted: "" (no shift) counts on a hub staffed as one shift.
bool OnShift(const PeopleSnapshot& s, const PersonOnFile& p, std::string_view shift) {
  if (s.shifts.size() == 1 && s.shifts.front().empty()) return true;
  return p.person.shift && *p.person.shift == shift;
}

CertificateAlert Alert(const PeopleSnapshot& s, const PersonOnFile& p,
                       const PersonnelQualification& pq) {
  CertificateAlert a;
  a.person = p.person.code;
  a.name = p.person.name;
  a.person_class = p.person.personnel_class.value_or("");
  a.shift = p.person.shift.value_or("");
  a.line = p.line;
  a.qualification = s.qualifications.at(pq.qualification_id).code;
  a.certificate = pq.certificate.value_or("");
  a.valid_to = pq.valid_to.value_or(0);
  a.days_left = DaysBetween(s.at, a.valid_to);
  if (auto line = s.required.find(p.line); line != s.required.end()) {
    a.required_on_line = line->second.contains(pq.qualification_id);
  }
  return a;
}

Status FindUnqualified(Catalog& catalog, const PeopleSnapshot& s, const GapOptions& o,
                       SkillGaps& out) {
  if (o.assignment_days <= 0) return Status::Ok();
  WorkOrderFilter filter;
  filter.range = TimeRange{s.at - o.assignment_days * kNanosPerDay, s.at + 1};
  FH_ASSIGN_OR_RETURN(const std::vector<WorkOrder> orders, catalog.ListWorkOrders(filter));
  std::unordered_map<int64_t, const PersonOnFile*> people;
  for (const PersonOnFile& p : s.people)
    people.emplace(p.person.id, &p);
  for (const WorkOrder& wo : orders) {
    if (!wo.equipment_id) continue;
    auto path = s.asset_paths.find(*wo.equipment_id);
    if (path == s.asset_paths.end()) continue;
    if (!o.path.empty() && !PathCovers(o.path, path->second)) continue;
    FH_ASSIGN_OR_RETURN(const std::vector<WorkOrderOperator> operators,
                        catalog.ListWorkOrderOperators(wo.id));
    for (const WorkOrderOperator& op : operators) {
      const TimestampNs started =
          op.from_ts.value_or(wo.actual_start.value_or(wo.planned_start.value_or(s.at)));
      FH_ASSIGN_OR_RETURN(
          const std::vector<Qualification> missing,
          catalog.MissingQualifications(op.personnel_id, *wo.equipment_id, started));
      if (missing.empty()) continue;
      UnqualifiedAssignment u;
      u.work_order = wo.number;
      u.equipment = path->second;
      u.at = started;
      if (auto p = people.find(op.personnel_id); p != people.end()) {
        u.person = p->second->person.code;
        u.name = p->second->person.name;
      } else {
        FH_ASSIGN_OR_RETURN(const Personnel gone, catalog.GetPersonnel(op.personnel_id));
        u.person = gone.code;
        u.name = gone.name;
      }
      for (const Qualification& q : missing)
        u.missing.push_back(q.code);
      out.unqualified.push_back(std::move(u));
    }
  }
  std::stable_sort(
      out.unqualified.begin(), out.unqualified.end(),
      [](const UnqualifiedAssignment& a, const UnqualifiedAssignment& b) { return a.at > b.at; });
  return Status::Ok();
}

// The order rows of a matrix come in: the config's shifts first, in its order.
size_t ShiftRank(const std::vector<std::string>& shifts, const std::string& shift) {
  const auto it = std::find(shifts.begin(), shifts.end(), shift);
  return it == shifts.end() ? shifts.size() + (shift.empty() ? 1 : 0) : it - shifts.begin();
}

}  // namespace

Result<SkillGaps> ComputeSkillGaps(CatalogSession& session, const GapOptions& o) {
  Catalog& catalog = session.catalog();
  FH_ASSIGN_OR_RETURN(const PeopleSnapshot s, LoadSnapshot(catalog, o));
  SkillGaps out;
  out.at = s.at;
  out.within_days = s.within_days;
  out.shifts = s.shifts;
  out.lines = s.lines;

  std::map<int64_t, QualificationGap> by_qualification;
  auto gap_of = [&](int64_t id) -> QualificationGap& {
    auto [it, added] = by_qualification.try_emplace(id);
    if (added) {
      const Qualification& q = s.qualifications.at(id);
      it->second.code = q.code;
      it->second.name = q.name;
      it->second.operations = SplitOperations(q.operations.value_or(""));
    }
    return it->second;
  };

  // Line × required qualification × shift, by line path, qualification code, shift order.
  for (const std::string& line : s.lines) {
    auto req = s.required.find(line);
    if (req == s.required.end()) continue;
    std::vector<int64_t> ids;
    for (const auto& [id, equipment] : req->second)
      ids.push_back(id);
    std::sort(ids.begin(), ids.end(), [&](int64_t a, int64_t b) {
      return s.qualifications.at(a).code < s.qualifications.at(b).code;
    });
    int without_shift = 0;
    for (const PersonOnFile& p : s.people) {
      if (p.line == line && !(s.shifts.size() == 1 && s.shifts.front().empty()) &&
          std::find(s.shifts.begin(), s.shifts.end(), p.person.shift.value_or("")) ==
              s.shifts.end()) {
        ++without_shift;
      }
    }
    if (without_shift > 0) {
      out.warnings.push_back(fmt::format("{}: {} {} no shift of {} ({}): counted on no shift", line,
                                         without_shift,
                                         without_shift == 1 ? "person works" : "people work",
                                         kPeopleConfigFile, fmt::join(s.shifts, ", ")));
    }
    for (int64_t id : ids) {
      const Qualification& q = s.qualifications.at(id);
      QualificationGap& g = gap_of(id);
      g.lines.push_back(line);
      for (const std::string& shift : s.shifts) {
        ShiftGap sg;
        sg.line = line;
        sg.qualification = q.code;
        sg.shift = shift;
        sg.required = MinFor(o, line, q.code);
        for (const PersonOnFile& p : s.people) {
          if (p.line != line || !OnShift(s, p, shift)) continue;
          auto held = p.held.find(id);
          const CertificateStatus st =
              StatusAt(held == p.held.end() ? nullptr : &held->second, s.at, s.within_days);
          if (!IsQualified(st)) continue;
          ++sg.qualified;
          if (st == CertificateStatus::kExpiring) ++sg.expiring;
        }
        sg.shortfall = std::max(0, sg.required - sg.qualified);
        sg.shortfall_after_expiry = std::max(0, sg.required - (sg.qualified - sg.expiring));
        g.required_per_shift[shift] += sg.required;
        g.required += sg.required;
        g.shortfall += sg.shortfall;
        g.shortfall_after_expiry += sg.shortfall_after_expiry;
        out.shortfall += sg.shortfall;
        out.gaps.push_back(std::move(sg));
      }
    }
  }

  // Holders, expiring and expired certificates of the people analysed.
  for (const PersonOnFile& p : s.people) {
    if (!InScope(s, o, p)) continue;
    for (const auto& [id, pq] : p.held) {
      const CertificateStatus st = StatusAt(&pq, s.at, s.within_days);
      if (st == CertificateStatus::kPending) continue;
      QualificationGap& g = gap_of(id);
      if (IsQualified(st)) {
        ++g.holders;
        if (p.person.shift && !p.person.shift->empty()) ++g.holders_per_shift[*p.person.shift];
      }
      if (st == CertificateStatus::kExpiring) {
        ++g.expiring;
        out.expiring.push_back(Alert(s, p, pq));
      } else if (st == CertificateStatus::kExpired) {
        ++g.expired;
        out.expired.push_back(Alert(s, p, pq));
      }
    }
  }
  std::stable_sort(out.expiring.begin(), out.expiring.end(),
                   [](const CertificateAlert& a, const CertificateAlert& b) {
                     return std::tie(a.valid_to, a.person, a.qualification) <
                            std::tie(b.valid_to, b.person, b.qualification);
                   });
  std::stable_sort(out.expired.begin(), out.expired.end(),
                   [](const CertificateAlert& a, const CertificateAlert& b) {
                     return std::tie(b.valid_to, a.person, a.qualification) <
                            std::tie(a.valid_to, b.person, b.qualification);
                   });
  for (auto& [id, g] : by_qualification)
    out.qualifications.push_back(std::move(g));
  std::sort(out.qualifications.begin(), out.qualifications.end(),
            [](const QualificationGap& a, const QualificationGap& b) { return a.code < b.code; });
  FH_RETURN_IF_ERROR(FindUnqualified(catalog, s, o, out));
  return out;
}

Result<SkillsMatrix> ComputeSkillsMatrix(CatalogSession& session, const GapOptions& o) {
  FH_ASSIGN_OR_RETURN(const PeopleSnapshot s, LoadSnapshot(session.catalog(), o));
  SkillsMatrix out;
  out.at = s.at;
  out.within_days = s.within_days;
  for (const std::string& line : s.lines) {
    LineMatrix m;
    m.line = line;
    std::vector<const PersonOnFile*> people;
    for (const PersonOnFile& p : s.people) {
      if (p.line == line) people.push_back(&p);
    }
    std::sort(people.begin(), people.end(), [&](const PersonOnFile* a, const PersonOnFile* b) {
      const std::string& sa = a->person.shift.value_or("");
      const std::string& sb = b->person.shift.value_or("");
      return std::make_tuple(ShiftRank(s.shifts, sa), sa, a->person.personnel_class.value_or(""),
                             a->person.code) <
             std::make_tuple(ShiftRank(s.shifts, sb), sb, b->person.personnel_class.value_or(""),
                             b->person.code);
    });
    // Columns: what the line requires, then what its people hold besides, each by code.
    std::map<std::string, int64_t> required, held;
    const auto req = s.required.find(line);
    if (req != s.required.end()) {
      for (const auto& [id, equipment] : req->second)
        required.emplace(s.qualifications.at(id).code, id);
    }
    for (const PersonOnFile* p : people) {
      for (const auto& [id, pq] : p->held) {
        const std::string& code = s.qualifications.at(id).code;
        if (!required.contains(code)) held.emplace(code, id);
      }
    }
    std::vector<int64_t> ids;
    for (const auto* group : {&required, &held}) {
      for (const auto& [code, id] : *group) {
        const Qualification& q = s.qualifications.at(id);
        MatrixColumn c;
        c.code = q.code;
        c.name = q.name;
        c.operations = SplitOperations(q.operations.value_or(""));
        c.required = group == &required;
        if (c.required) {
          c.equipment = req->second.at(id);
          std::sort(c.equipment.begin(), c.equipment.end());
          c.min_per_shift = MinFor(o, line, q.code);
        }
        m.columns.push_back(std::move(c));
        ids.push_back(id);
      }
    }
    for (const PersonOnFile* p : people) {
      MatrixRow r;
      r.person = p->person.code;
      r.name = p->person.name;
      r.person_class = p->person.personnel_class.value_or("");
      r.shift = p->person.shift.value_or("");
      for (size_t i = 0; i < ids.size(); ++i) {
        auto held_it = p->held.find(ids[i]);
        const PersonnelQualification* pq = held_it == p->held.end() ? nullptr : &held_it->second;
        MatrixCell cell;
        cell.status = StatusAt(pq, s.at, s.within_days);
        if (pq) {
          cell.valid_from = pq->valid_from;
          cell.valid_to = pq->valid_to;
          cell.certificate = pq->certificate.value_or("");
          if (pq->valid_to) cell.days_left = DaysBetween(s.at, *pq->valid_to);
        }
        if (m.columns[i].required && !IsQualified(cell.status)) ++r.missing_required;
        r.cells.push_back(std::move(cell));
      }
      m.rows.push_back(std::move(r));
    }
    out.lines.push_back(std::move(m));
  }
  return out;
}

}  // namespace fh::analytics::people
