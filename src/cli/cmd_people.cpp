// factoryhub people matrix|gaps --hub DIR [--line PATH] [--at TIME] [--within DAYS]
//   [--min-per-shift N] [--unmasked] [--json]
//
// People and qualifications (analytics/people/, docs/people.md): the skills matrix of each
// line, and the skill gaps — too few qualified people per shift, certificates expiring or
// expired, people who ran equipment they were not qualified for. Minimums per shift come from
// the hub's people.yaml.
#include <fmt/ranges.h>

#include "analytics/people/people_json.h"
#include "analytics/people/skill_gaps.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/personal_mask.h"
#include "common/time.h"
#include "store/catalog_session.h"

namespace fh::cli {
namespace {

using namespace analytics::people;

struct PeopleCli {
  std::string hub;
  std::string line;
  std::string at;
  int64_t within = -1;
  int min_per_shift = -1;
  int64_t assignment_days = 7;
  bool all = false;
  bool unmasked = false;
  bool json = false;
};

Result<GapOptions> PeopleGapOptions(const Hub& hub, const PeopleCli& o) {
  GapOptions g;
  g.path = o.line;
  while (!g.path.empty() && g.path.back() == '/')
    g.path.pop_back();
  if (!o.at.empty()) {
    Result<int64_t> at = ParseTimePoint(o.at, NowNs());
    if (!at.ok()) return InvalidArgument("--at: {}", at.status().message());
    g.at = *at;
  }
  g.within_days = o.within;
  if (o.min_per_shift >= 0) g.min_per_shift = o.min_per_shift;
  g.assignment_days = o.assignment_days;
  FH_ASSIGN_OR_RETURN(g.config, LoadPeopleConfig(hub));
  return g;
}

std::string ShownName(const std::string& name, bool unmasked) {
  return unmasked ? name : MaskPersonal(name);
}

std::string OrDash(const std::string& s) {
  return s.empty() ? "-" : s;
}

// A matrix cell in a few characters: ok, 45d (expiring in 45 days), EXPIRED, pending, -.
std::string CellText(const MatrixCell& c) {
  switch (c.status) {
    case CertificateStatus::kValid:
      return "ok";
    case CertificateStatus::kExpiring:
      return fmt::format("{}d", c.days_left.value_or(0));
    case CertificateStatus::kExpired:
      return "EXPIRED";
    case CertificateStatus::kPending:
      return "pending";
    case CertificateStatus::kMissing:
      return "-";
  }
  return "?";
}

Status RunMatrix(const PeopleCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(const GapOptions options, PeopleGapOptions(*hub, o));
  CatalogSession session = hub->OpenCatalog();
  FH_ASSIGN_OR_RETURN(const SkillsMatrix matrix, ComputeSkillsMatrix(session, options));
  if (o.json) {
    PrintJson(SkillsMatrixJson(matrix, !o.unmasked));
    return Status::Ok();
  }
  if (matrix.lines.empty()) {
    fmt::print("No line {}in the hub.\n", o.line.empty() ? "" : "under " + o.line + " ");
    return Status::Ok();
  }
  bool first = true;
  for (const LineMatrix& m : matrix.lines) {
    if (!first) fmt::print("\n");
    first = false;
    fmt::print("Skills matrix of {} at {} ({} {}, {} qualification{}):\n", m.line,
               FormatRfc3339(matrix.at), m.rows.size(), m.rows.size() == 1 ? "person" : "people",
               m.columns.size(), m.columns.size() == 1 ? "" : "s");
    if (m.rows.empty() && m.columns.empty()) {
      fmt::print("  nobody has this line as home line, and its equipment requires nothing\n");
      continue;
    }
    std::vector<Table::Column> columns = {{"person"}, {"name"}, {"class"}, {"shift"}};
    for (const MatrixColumn& c : m.columns)
      columns.push_back({c.required ? c.code + "*" : c.code});
    columns.push_back({"missing", true});
    Table t(std::move(columns));
    for (const MatrixRow& r : m.rows) {
      std::vector<std::string> cells = {r.person, OrDash(ShownName(r.name, o.unmasked)),
                                        OrDash(r.person_class), OrDash(r.shift)};
      for (const MatrixCell& c : r.cells)
        cells.push_back(CellText(c));
      cells.push_back(std::to_string(r.missing_required));
      t.AddRow(std::move(cells));
    }
    t.Print();
    for (const MatrixColumn& c : m.columns) {
      if (!c.required) continue;
      fmt::print(
          "  {}* {}: required by {} (at least {} per shift){}\n", c.code, c.name,
          fmt::join(c.equipment, ", "), c.min_per_shift,
          c.operations.empty() ? "" : fmt::format("; allows {}", fmt::join(c.operations, ", ")));
    }
  }
  fmt::print(
      "\nCells: ok valid; Nd expiring in N days (within {}); EXPIRED; pending (not yet valid); "
      "- not held. missing: required qualifications not held.\n",
      matrix.within_days);
  return Status::Ok();
}

void PrintAlerts(const std::vector<CertificateAlert>& alerts, bool unmasked) {
  Table t({{"person"},
           {"name"},
           {"line"},
           {"shift"},
           {"qualification"},
           {"certificate"},
           {"valid to"},
           {"days", true},
           {"required"}});
  for (const CertificateAlert& a : alerts) {
    t.AddRow({a.person, OrDash(ShownName(a.name, unmasked)), OrDash(a.line), OrDash(a.shift),
              a.qualification, OrDash(unmasked ? a.certificate : MaskPersonal(a.certificate)),
              FormatRfc3339(a.valid_to), std::to_string(a.days_left),
              a.required_on_line ? "yes" : "no"});
  }
  t.Print();
}

Status RunGaps(const PeopleCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(const GapOptions options, PeopleGapOptions(*hub, o));
  CatalogSession session = hub->OpenCatalog();
  FH_ASSIGN_OR_RETURN(const SkillGaps gaps, ComputeSkillGaps(session, options));
  if (o.json) {
    PrintJson(SkillGapsJson(gaps, !o.unmasked));
    return Status::Ok();
  }
  for (const std::string& w : gaps.warnings)
    fmt::print(stderr, "factoryhub: warning: {}\n", w);
  fmt::print("Skill gaps {}at {}: {} {} to train on {} line{}, shifts {}\n",
             o.line.empty() ? "" : "under " + o.line + " ", FormatRfc3339(gaps.at), gaps.shortfall,
             gaps.shortfall == 1 ? "person" : "people", gaps.lines.size(),
             gaps.lines.size() == 1 ? "" : "s",
             gaps.shifts.size() == 1 && gaps.shifts.front().empty()
                 ? "(none: one shift)"
                 : fmt::format("{}", fmt::join(gaps.shifts, ", ")));
  Table t({{"line"},
           {"qualification"},
           {"shift"},
           {"qualified", true},
           {"required", true},
           {"shortfall", true},
           {"expiring", true},
           {"after expiry", true}});
  for (const ShiftGap& g : gaps.gaps) {
    if (!o.all && g.shortfall == 0 && g.shortfall_after_expiry == 0) continue;
    t.AddRow({g.line, g.qualification, OrDash(g.shift), std::to_string(g.qualified),
              std::to_string(g.required), std::to_string(g.shortfall), std::to_string(g.expiring),
              std::to_string(g.shortfall_after_expiry)});
  }
  if (t.empty()) {
    fmt::print("\nEvery shift has the qualified people it needs{}.\n",
               gaps.gaps.empty() ? " (no equipment requires a qualification)" : "");
  } else {
    fmt::print("\nShifts short of qualified people{}:\n",
               o.all ? "" : " (--all: every line, qualification and shift)");
    t.Print();
  }
  if (!gaps.qualifications.empty()) {
    fmt::print("\nBy qualification:\n");
    Table q({{"qualification"},
             {"holders", true},
             {"required", true},
             {"to train", true},
             {"after expiry", true},
             {"expiring", true},
             {"expired", true},
             {"operations"}});
    for (const QualificationGap& g : gaps.qualifications) {
      q.AddRow({g.code, std::to_string(g.holders), std::to_string(g.required),
                std::to_string(g.shortfall), std::to_string(g.shortfall_after_expiry),
                std::to_string(g.expiring), std::to_string(g.expired),
                g.operations.empty() ? "-" : fmt::format("{}", fmt::join(g.operations, ", "))});
    }
    q.Print();
  }
  if (!gaps.expiring.empty()) {
    fmt::print("\nCertificates expiring within {} days:\n", gaps.within_days);
    PrintAlerts(gaps.expiring, o.unmasked);
  }
  if (!gaps.expired.empty()) {
    fmt::print("\nExpired certificates:\n");
    PrintAlerts(gaps.expired, o.unmasked);
  }
  if (!gaps.unqualified.empty()) {
    fmt::print(
        "\nPeople on work orders without a qualification the equipment requires (last {} "
        "days):\n",
        o.assignment_days);
    Table u({{"work order"}, {"equipment"}, {"person"}, {"name"}, {"started"}, {"missing"}});
    for (const UnqualifiedAssignment& a : gaps.unqualified) {
      u.AddRow({a.work_order, a.equipment, a.person, OrDash(ShownName(a.name, o.unmasked)),
                FormatRfc3339(a.at), fmt::format("{}", fmt::join(a.missing, ", "))});
    }
    u.Print();
  }
  return Status::Ok();
}

void AddCommonOptions(CLI::App* app, PeopleCli* o) {
  AddHubOption(app, &o->hub);
  app->add_option("--line", o->line,
                  "The line (ISA-95 path), or an area or site: its lines (default: every line)");
  app->add_option("--at", o->at, "Judge at this time (RFC 3339, a date, now-30d; default: now)")
      ->check([](const std::string& text) -> std::string {
        Result<int64_t> at = ParseTimePoint(text, NowNs());
        return at.ok() ? "" : at.status().message();
      });
  app->add_option("--within", o->within,
                  "A certificate ending within this many days is expiring (default: people.yaml's "
                  "expiring_within_days, 90)")
      ->check(CLI::Range(int64_t{0}, int64_t{3650}));
  app->add_option("--min-per-shift", o->min_per_shift,
                  "Qualified people each shift needs, for every qualification (default: "
                  "people.yaml, else 2)")
      ->check(CLI::Range(0, 1000));
  app->add_flag("--unmasked", o->unmasked,
                "Show people's names and certificate numbers (personal data; masked by default)");
  AddJsonOption(app, &o->json);
}

}  // namespace

Command RegisterPeople(CLI::App& parent) {
  auto o = std::make_shared<PeopleCli>();
  auto which = std::make_shared<std::string>();
  CLI::App* sub = parent.add_subcommand(
      "people", "People and qualifications: the skills matrix of each line and the skill gaps");
  sub->require_subcommand(1);

  CLI::App* matrix = sub->add_subcommand(
      "matrix",
      "Who on each line holds which qualification: valid, expiring, expired, pending or not held");
  AddCommonOptions(matrix, o.get());
  matrix->callback([which] { *which = "matrix"; });

  CLI::App* gaps = sub->add_subcommand(
      "gaps",
      "Shifts with too few qualified people, certificates expiring or expired, people on work "
      "orders without the qualifications their equipment requires");
  AddCommonOptions(gaps, o.get());
  gaps->add_flag("--all", o->all, "Every line, qualification and shift, not only those short");
  gaps->add_option("--assignments", o->assignment_days,
                   "Check the work orders of this many days before --at (default 7; 0: none)")
      ->check(CLI::Range(int64_t{0}, int64_t{3650}));
  gaps->callback([which] { *which = "gaps"; });

  sub->footer(
      "Examples:\n"
      "  factoryhub people matrix --hub plant --line acme/shanghai/machining/line-1\n"
      "  factoryhub people gaps --hub plant --within 60\n"
      "  factoryhub people gaps --hub plant --at 2027-01-01 --json\n"
      "Settings: the hub's people.yaml (docs/people.md): minimum qualified people per shift,\n"
      "per qualification and line; the shifts; how many days ahead a certificate is expiring.");
  return {sub, [o, which]() -> Status {
            if (*which == "matrix") return RunMatrix(*o);
            return RunGaps(*o);
          }};
}

}  // namespace fh::cli
