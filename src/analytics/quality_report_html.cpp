// The quality report as one HTML page a quality manager can open, mail or archive: inline
// CSS and SVG, no scripts, nothing fetched.
#include <fmt/format.h>

#include <algorithm>

#include "analytics/quality_report.h"
#include "common/html_escape.h"
#include "common/time.h"

namespace fh::analytics {

namespace {

constexpr std::array<const char*, 5> kColors = {"#2563eb", "#16a34a", "#9333ea", "#ea580c",
                                                "#0891b2"};

// Green at or above 98%, amber at or above 90%, red below; grey when not measured.
const char* ScoreClass(const std::optional<double>& s) {
  if (!s) return "na";
  if (*s >= 0.98) return "good";
  if (*s >= 0.90) return "fair";
  return "poor";
}

std::string Percent(const std::optional<double>& s) {
  return FormatScore(s);
}

std::string Title(govern::QualityDimension d) {
  std::string name(govern::ToString(d));
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

// One line per dimension over the batches, y from the lowest score shown to 100%.
std::string TrendChart(const SourceQuality& s) {
  constexpr int kW = 170, kH = 44, kPad = 4;
  double lo = 1.0;
  for (const BatchQuality& b : s.batches) {
    for (const auto& v : b.dimensions.score) {
      if (v) lo = std::min(lo, *v);
    }
  }
  lo = std::max(0.0, std::min(lo, 0.9) - 0.02);
  const size_t n = s.batches.size();
  std::string svg = fmt::format(
      "<svg class=\"trend\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
      "aria-label=\"quality trend over {} batches\">",
      kW, kH, kW, kH, n);
  svg += fmt::format("<line x1=\"0\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" class=\"axis\"/>", kPad, kW);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\">100%</text>", kW - 30, kPad + 10);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\">{:.0f}%</text>", kW - 30, kH - 2,
                     lo * 100);
  auto x = [&](size_t i) { return n <= 1 ? kW / 2.0 : kPad + (kW - 40.0) * i / (n - 1); };
  auto y = [&](double v) { return kPad + (kH - 2.0 * kPad) * (1.0 - (v - lo) / (1.0 - lo)); };
  for (size_t d = 0; d < kDimensions.size(); ++d) {
    std::string points;
    for (size_t i = 0; i < n; ++i) {
      const auto& v = s.batches[i].dimensions.score[d];
      if (v) points += fmt::format("{:.1f},{:.1f} ", x(i), y(*v));
    }
    if (points.empty()) continue;
    svg += fmt::format(
        "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"><title>{}</title>"
        "</polyline>",
        kColors[d], points, Title(kDimensions[d]));
    if (n == 1) {
      svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>", x(0),
                         y(*s.batches[0].dimensions.score[d]), kColors[d]);
    }
  }
  return svg + "</svg>";
}

std::string Bar(double fraction, const char* cls) {
  return fmt::format("<div class=\"bar\"><div class=\"{}\" style=\"width:{:.1f}%\"></div></div>",
                     cls, std::clamp(fraction, 0.0, 1.0) * 100);
}

constexpr const char* kStyle = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","PingFang SC",sans-serif;
  margin:0;color:#1f2937;background:#f8fafc}
header{background:#0f172a;color:#f8fafc;padding:20px 32px}
header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#cbd5e1}
main{padding:24px 32px;max-width:1500px}
h2{font-size:17px;margin:28px 0 10px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px 16px;min-width:150px}
.card .label{color:#64748b;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .value{font-size:26px;font-weight:600}
.good{color:#15803d}.fair{color:#b45309}.poor{color:#b91c1c}.na{color:#94a3b8}
td.good,td.fair,td.poor,td.na{font-weight:600}
table{border-collapse:collapse;background:#fff;border:1px solid #e2e8f0;width:100%}
th,td{padding:5px 9px;border-bottom:1px solid #eef2f7;text-align:left;vertical-align:middle;white-space:nowrap}
th{background:#f1f5f9;font-weight:600;font-size:12px;color:#475569}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{background:#eef2f7;border-radius:3px;height:8px;width:120px}
.bar div{height:8px;border-radius:3px}.bar .ok{background:#22c55e}.bar .bad{background:#ef4444}
.legend span{display:inline-block;margin-right:14px;font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
svg.trend .axis{stroke:#e2e8f0}svg.trend .tick{font-size:9px;fill:#94a3b8}
.muted{color:#64748b}details{margin:10px 0}summary{cursor:pointer;font-weight:600}
)css";

}  // namespace

std::string QualityReportHtml(const QualityReport& r) {
  std::string h = HtmlPageStart(fmt::format("Data quality — {}", r.hub_name), kStyle);
  h += fmt::format(
      "<header><h1>Data quality — {}</h1><p>{} records imported through {} mappings · report "
      "generated {}</p></header><main>",
      HtmlEscape(r.hub_name), r.records, r.sources.size(), FormatRfc3339(r.generated_at));

  h += "<h2>Overall (latest batch of each source)</h2><div class=\"cards\">";
  for (size_t d = 0; d < kDimensions.size(); ++d) {
    h += fmt::format(
        "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value {}\">{}</div>"
        "<div class=\"muted\">{} checks, {} failed</div></div>",
        Title(kDimensions[d]), ScoreClass(r.overall.score[d]), Percent(r.overall.score[d]),
        r.overall.checked[d], r.overall.failed[d]);
  }
  h += fmt::format(
      "<div class=\"card\"><div class=\"label\">Open quarantine</div><div class=\"value {}\">{}"
      "</div><div class=\"muted\">records waiting for a fix</div></div></div>",
      r.open_quarantine ? "fair" : "good", r.open_quarantine);

  h += "<h2>Sources</h2><p class=\"legend\">";
  for (size_t d = 0; d < kDimensions.size(); ++d) {
    h += fmt::format("<span><i style=\"background:{}\"></i>{}</span>", kColors[d],
                     Title(kDimensions[d]));
  }
  h += "</p><table><tr><th>Mapping</th><th>System</th><th>Entity</th><th>Read</th>"
       "<th>Accepted</th><th>Quarantined</th><th>Duplicates</th>";
  for (auto d : kDimensions)
    h += "<th>" + Title(d) + "</th>";
  h += "<th>Trend</th></tr>";
  for (const SourceQuality& s : r.sources) {
    if (s.current_batches == 0) continue;
    const BatchQuality& last = s.current;  // the latest import and the batches since
    h += fmt::format(
        "<tr><td><a href=\"#{0}\">{0}</a></td><td>{1}</td><td>{2}</td><td class=\"num\">{3}</td>"
        "<td class=\"num\">{4}</td><td class=\"num\">{5}</td><td class=\"num\">{6}</td>",
        HtmlEscape(s.mapping), HtmlEscape(s.source_system), HtmlEscape(s.entity), last.read,
        last.accepted, last.quarantined, last.duplicates);
    for (size_t d = 0; d < kDimensions.size(); ++d) {
      h += fmt::format("<td class=\"num {}\">{}</td>", ScoreClass(last.dimensions.score[d]),
                       Percent(last.dimensions.score[d]));
    }
    h += "<td>" + TrendChart(s) + "</td></tr>";
  }
  h += "</table>";

  if (!r.top_reasons.empty()) {
    int64_t most = 1;
    for (const ReasonCount& c : r.top_reasons)
      most = std::max(most, c.records);
    h += "<h2>Why records are in quarantine</h2><table><tr><th>Mapping</th><th>Check</th>"
         "<th>Field</th><th>Records</th><th></th></tr>";
    for (const ReasonCount& c : r.top_reasons) {
      h += fmt::format(
          "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
          HtmlEscape(c.mapping), HtmlEscape(c.rule), HtmlEscape(c.field), c.records,
          Bar(static_cast<double>(c.records) / static_cast<double>(most), "bad"));
    }
    h += "</table><p class=\"muted\">See them with <code>factoryhub quarantine list</code>; "
         "after fixing the mapping, <code>factoryhub quarantine replay</code> stores those that "
         "pass.</p>";
  }

  h += "<h2>Checks of each source's latest import and the batches since</h2>";
  for (const SourceQuality& s : r.sources) {
    if (s.current_batches == 0) continue;
    const BatchQuality& last = s.current;  // the latest import and the batches since
    h += fmt::format(
        "<details open id=\"{0}\"><summary>{0} → {1} · batch {2}{6} ({3}, {4}, {5})</summary>",
        HtmlEscape(s.mapping), HtmlEscape(s.entity), last.id, HtmlEscape(last.source_object),
        HtmlEscape(last.mapping_version), FormatRfc3339(last.started_at),
        s.current_batches > 1 ? fmt::format(" and {} since", s.current_batches - 1) : "");
    h += "<table><tr><th>Check</th><th>Dimension</th><th>Severity</th><th>Field</th>"
         "<th>Checked</th><th>Failed</th><th>Pass rate</th><th></th></tr>";
    for (const govern::CheckTally& t : last.checks) {
      const double pass = t.checked > 0
                              ? 1.0 - static_cast<double>(t.failed) / static_cast<double>(t.checked)
                              : 1.0;
      h += fmt::format(
          "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num {}\">{}</td><td>{}</td></tr>",
          HtmlEscape(t.rule), govern::ToString(govern::DimensionOf(t.check)),
          govern::ToString(t.severity), HtmlEscape(t.field), t.checked, t.failed, ScoreClass(pass),
          Percent(pass), Bar(pass, t.failed ? "bad" : "ok"));
    }
    if (last.checks.empty()) h += "<tr><td colspan=\"8\" class=\"muted\">no checks ran</td></tr>";
    h += fmt::format(
        "</table><p class=\"muted\">{} open quarantined records · {} batches in the "
        "trend</p></details>",
        s.open_quarantine, s.batches.size());
  }
  h += "<p class=\"muted\">Scores are the share of checks passed (1 − failed / checked) per DAMA "
       "dimension: completeness (required, not_null), validity (types, code tables, range, "
       "regex, sets, store constraints), uniqueness (unique), timeliness (freshness), "
       "consistency (references, crosswalk, monotonic time, row counts). A dimension no rule "
       "measures shows n/a.</p></main></body></html>\n";
  return h;
}

}  // namespace fh::analytics
