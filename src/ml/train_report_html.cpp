#include "ml/train_report_html.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/html_escape.h"
#include "ml/metrics.h"
#include "ml/multiclass_metrics.h"

namespace fh::ml {

namespace {

constexpr const char* kColors[] = {"#2563eb", "#ea580c", "#16a34a", "#9333ea",
                                   "#dc2626", "#0891b2", "#ca8a04", "#db2777"};
constexpr size_t kMaxPoints = 1500;  // per scatter: enough to see, small enough to open

// A square plot of [x0, x1] x [y0, y1] with a frame, the axis ranges and their names.
class Plot {
 public:
  Plot(double x0, double x1, double y0, double y1, std::string_view x_name, std::string_view y_name)
      : x0_(x0), x1_(x1), y0_(y0), y1_(y1) {
    svg_ = fmt::format(
        "<svg viewBox=\"0 0 {0} {0}\" width=\"{0}\" height=\"{0}\" role=\"img\">"
        "<rect x=\"{1}\" y=\"{2}\" width=\"{3}\" height=\"{3}\" class=\"frame\"/>"
        "<text x=\"{1}\" y=\"{4}\" class=\"tick\">{5}</text>"
        "<text x=\"{6}\" y=\"{4}\" class=\"tick\" text-anchor=\"end\">{7}</text>"
        "<text x=\"{8}\" y=\"{4}\" class=\"axis\" text-anchor=\"middle\">{9}</text>"
        "<text x=\"12\" y=\"{8}\" class=\"axis\" text-anchor=\"middle\" "
        "transform=\"rotate(-90 12 {8})\">{10}</text>"
        "<text x=\"{11}\" y=\"{2}\" class=\"tick\" text-anchor=\"end\" dy=\"8\">{12}</text>"
        "<text x=\"{11}\" y=\"{13}\" class=\"tick\" text-anchor=\"end\">{14}</text>",
        kSize, kLeft, kTop, kInner, kSize - 6, Tick(x0), kLeft + kInner, Tick(x1),
        kLeft + kInner / 2, HtmlEscape(x_name), HtmlEscape(y_name), kLeft - 3, Tick(y1),
        kTop + kInner, Tick(y0));
  }
  double X(double x) const { return kLeft + (x - x0_) / (x1_ - x0_) * kInner; }
  double Y(double y) const { return kTop + kInner - (y - y0_) / (y1_ - y0_) * kInner; }
  void Line(const std::vector<CurvePoint>& points, const char* color, std::string_view title,
            bool dashed = false) {
    std::string pts;
    for (const CurvePoint& p : points)
      pts += fmt::format("{:.1f},{:.1f} ", X(p.x), Y(p.y));
    svg_ += fmt::format(
        "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{} points=\"{}\"><title>{}"
        "</title></polyline>",
        color, dashed ? 1 : 2, dashed ? " stroke-dasharray=\"4 3\"" : "", pts, HtmlEscape(title));
  }
  void Dots(std::span<const double> x, std::span<const double> y, const char* color) {
    const size_t step = std::max<size_t>(1, x.size() / kMaxPoints);
    for (size_t i = 0; i < x.size(); i += step) {
      svg_ += fmt::format(
          "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"1.6\" fill=\"{}\" "
          "fill-opacity=\"0.45\"/>",
          X(std::clamp(x[i], x0_, x1_)), Y(std::clamp(y[i], y0_, y1_)), color);
    }
  }
  std::string Done() { return svg_ + "</svg>"; }

 private:
  static std::string Tick(double v) { return fmt::format("{:.3g}", v); }
  static constexpr int kSize = 300, kLeft = 44, kTop = 10, kInner = 236;
  double x0_, x1_, y0_, y1_;
  std::string svg_;
};

std::string Num(double v, int digits = 4) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, digits) : std::string("n/a");
}

std::string Legend(const TrainReport& r) {
  std::string h = "<p class=\"legend\">";
  for (size_t m = 0; m < r.models.size() && m < std::size(kColors); ++m) {
    h += fmt::format("<span><i style=\"background:{}\"></i>{}</span>", kColors[m],
                     HtmlEscape(r.models[m].kind));
  }
  return h + "</p>";
}

std::string MetricsTable(const TrainReport& r) {
  const bool binary = r.task == Task::kBinary;
  const bool multiclass = r.task == Task::kMulticlass;
  std::string h = "<table><tr><th>model</th>";
  const std::vector<std::string> cv =
      binary       ? std::vector<std::string>{"ROC AUC", "PR AUC",    "F1",   "precision",
                                              "recall",  "threshold", "Brier"}
      : multiclass ? std::vector<std::string>{"accuracy",
                                              "balanced accuracy",
                                              "kappa",
                                              "macro F1",
                                              "macro precision",
                                              "macro recall",
                                              "ROC AUC (one vs rest)",
                                              "log loss"}
                   : std::vector<std::string>{"RMSE", "MAE", "PHM08"};
  for (const std::string& c : cv)
    h += "<th class=\"num\">" + c + "</th>";
  if (r.test_rows) {
    for (const std::string& c : cv)
      h += "<th class=\"num\">test " + c + "</th>";
  }
  h += "<th class=\"num\">train s</th></tr>";
  auto cells = [&](const FoldScores& s) {
    if (multiclass) {
      return fmt::format(
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td>",
          Num(s.accuracy), Num(s.balanced_accuracy), Num(s.kappa), Num(s.f1), Num(s.precision),
          Num(s.recall), Num(s.roc_auc), Num(s.log_loss));
    }
    if (binary) {
      return fmt::format(
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td>",
          Num(s.roc_auc), Num(s.pr_auc), Num(s.f1), Num(s.precision), Num(s.recall),
          Num(s.threshold, 3), Num(s.brier));
    }
    return fmt::format(
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
        Num(s.rmse, 3), Num(s.mae, 3), Num(s.phm08, 1));
  };
  for (const ModelEvaluation& e : r.models) {
    h += "<tr><td>" + HtmlEscape(e.kind) + "</td>" + cells(e.mean);
    if (r.test_rows) h += e.test ? cells(*e.test) : std::string();
    h += fmt::format("<td class=\"num\">{:.2f}</td></tr>", e.seconds);
  }
  return h + "</table>";
}

std::string Curves(const TrainReport& r) {
  Plot roc(0, 1, 0, 1, "false positive rate", "true positive rate");
  Plot pr(0, 1, 0, 1, "recall", "precision");
  Plot reliability(0, 1, 0, 1, "mean predicted probability", "share positive");
  roc.Line({{0, 0}, {1, 1}}, "#94a3b8", "chance", true);
  reliability.Line({{0, 0}, {1, 1}}, "#94a3b8", "calibrated", true);
  for (size_t m = 0; m < r.models.size() && m < std::size(kColors); ++m) {
    const ModelEvaluation& e = r.models[m];
    roc.Line(RocCurve(e.out_of_fold, r.label_values), kColors[m],
             fmt::format("{}: ROC AUC {}", e.kind, Num(e.mean.roc_auc)));
    pr.Line(PrCurve(e.out_of_fold, r.label_values), kColors[m],
            fmt::format("{}: PR AUC {}", e.kind, Num(e.mean.pr_auc)));
    std::vector<CurvePoint> bins;
    for (const ReliabilityBin& b : ReliabilityCurve(e.out_of_fold, r.label_values))
      bins.push_back({b.predicted, b.observed});
    reliability.Line(bins, kColors[m], fmt::format("{}: Brier {}", e.kind, Num(e.mean.brier)));
  }
  return "<div class=\"plots\"><figure>" + roc.Done() +
         "<figcaption>ROC curve, out-of-fold predictions</figcaption></figure><figure>" +
         pr.Done() + "<figcaption>Precision-recall curve</figcaption></figure><figure>" +
         reliability.Done() +
         "<figcaption>Reliability: out-of-fold probabilities in ten bins against the share "
         "of positives in each</figcaption></figure></div>";
}

// The main model's confusion matrix over all folds, each class's precision, recall and F1
// beside its row, and its one-vs-rest ROC curves.
// A classes x classes matrix (row: actual, column: predicted) under `title`, each class's
// precision, recall, F1 and rows beside its row.
std::string MatrixTable(std::string_view title, const std::vector<int64_t>& matrix,
                        const std::vector<std::string>& classes) {
  const size_t k = classes.size();
  const MulticlassScores m = FromMatrix(matrix, k);
  std::string h =
      fmt::format("<h2>{}</h2><table><tr><th>actual \\ predicted</th>", HtmlEscape(title));
  for (const std::string& c : classes)
    h += "<th class=\"num\">" + HtmlEscape(c) + "</th>";
  h += "<th class=\"num\">precision</th><th class=\"num\">recall</th>"
       "<th class=\"num\">F1</th><th class=\"num\">rows</th></tr>";
  for (size_t a = 0; a < k && matrix.size() == k * k; ++a) {
    h += "<tr><th>" + HtmlEscape(classes[a]) + "</th>";
    for (size_t b = 0; b < k; ++b) {
      h += fmt::format("<td class=\"num\"{}>{}</td>", a == b ? " style=\"background:#dbeafe\"" : "",
                       matrix[a * k + b]);
    }
    const ClassScores c = m.of(a);
    h += fmt::format(
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td></tr>",
        Num(c.precision, 3), Num(c.recall, 3), Num(c.f1, 3), c.support);
  }
  return h + "</table>";
}

// A binary model's confusion matrix at its threshold, under `title`.
std::string ConfusionTable(std::string_view title, const Confusion& c) {
  return fmt::format(
      "<h2>{}</h2><table><tr><th></th><th class=\"num\">"
      "predicted positive</th><th class=\"num\">predicted negative</th></tr>"
      "<tr><th>actual positive</th><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>"
      "<tr><th>actual negative</th><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>"
      "</table>",
      HtmlEscape(title), c.tp, c.fn, c.fp, c.tn);
}

// The test units (rows) sorted by their true value, the truth a line and each model's
// predictions dots beside it: the figure RUL papers draw of C-MAPSS's test engines.
std::string TestUnitsPlot(const TrainReport& r) {
  const size_t n = r.test_labels.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return r.test_labels[a] < r.test_labels[b]; });
  double lo = 0, hi = 1;
  for (double v : r.test_labels)
    hi = std::max(hi, v);
  for (const ModelEvaluation& e : r.models) {
    for (double v : e.test_predictions) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  Plot p(1, std::max<double>(2, static_cast<double>(n)), lo, hi, "test units, by true value",
         r.label);
  std::vector<CurvePoint> truth;
  std::vector<double> x(n);
  for (size_t i = 0; i < n; ++i) {
    truth.push_back({static_cast<double>(i + 1), r.test_labels[order[i]]});
    x[i] = static_cast<double>(i + 1);
  }
  const ModelEvaluation& main = r.models.front();
  if (main.test && main.test->cap) {
    p.Line({{1, *main.test->cap}, {static_cast<double>(n), *main.test->cap}}, "#94a3b8",
           fmt::format("the cap, {:g}", *main.test->cap), true);
  }
  std::string caption = "true value (line)";
  for (size_t m = 0; m < r.models.size() && m < std::size(kColors); ++m) {
    const ModelEvaluation& e = r.models[m];
    if (e.test_predictions.size() != n) continue;
    std::vector<double> y(n);
    for (size_t i = 0; i < n; ++i)
      y[i] = e.test_predictions[order[i]];
    p.Dots(x, y, kColors[m]);
    caption += fmt::format(", {} (dots)", e.kind);
  }
  p.Line(truth, "#0f172a", "true value");
  return "<figure>" + p.Done() + "<figcaption>Each test unit: " + HtmlEscape(caption) +
         "; units sorted by their true value</figcaption></figure>";
}

std::string MulticlassSection(const TrainReport& r, const ModelEvaluation& e) {
  const size_t k = r.classes.size();
  std::string h = MatrixTable(fmt::format("Confusion matrix of {} (all folds)", e.kind),
                              e.mean.matrix, r.classes);
  if (e.test && !e.test->matrix.empty()) {
    h += MatrixTable(fmt::format("Confusion matrix of {} on the test set", e.kind), e.test->matrix,
                     r.classes);
  }
  Plot roc(0, 1, 0, 1, "false positive rate", "true positive rate");
  roc.Line({{0, 0}, {1, 1}}, "#94a3b8", "chance", true);
  std::vector<double> score(r.label_values.size()), is_class(r.label_values.size());
  for (size_t c = 0; c < k; ++c) {
    for (size_t i = 0; i < score.size(); ++i) {
      score[i] = e.out_of_fold[i * k + c];
      is_class[i] = static_cast<size_t>(r.label_values[i]) == c ? 1 : 0;
    }
    const double auc = RocAuc(score, is_class);
    if (std::isnan(auc)) continue;
    roc.Line(RocCurve(score, is_class), kColors[c % std::size(kColors)],
             fmt::format("{}: ROC AUC {}", r.classes[c], Num(auc)));
  }
  return h + "<h2>Curves</h2><div class=\"plots\"><figure>" + roc.Done() +
         "<figcaption>ROC curve of each class against the rest, " + HtmlEscape(e.kind) +
         ", out-of-fold predictions</figcaption></figure></div>";
}

std::string Scatter(std::span<const double> predicted, std::span<const double> actual,
                    const char* color, std::string_view caption) {
  double lo = 0, hi = 1;
  for (size_t i = 0; i < actual.size(); ++i) {
    lo = std::min({lo, actual[i], predicted[i]});
    hi = std::max({hi, actual[i], predicted[i]});
  }
  Plot p(lo, hi, lo, hi, "actual", "predicted");
  p.Line({{lo, lo}, {hi, hi}}, "#94a3b8", "predicted = actual", true);
  p.Dots(actual, predicted, color);
  return "<figure>" + p.Done() + "<figcaption>" + HtmlEscape(caption) + "</figcaption></figure>";
}

std::string Importance(const TrainReport& r, const ModelEvaluation& e) {
  std::vector<size_t> order(std::min(e.importance.size(), r.features.size()));
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return e.importance[a] > e.importance[b]; });
  if (order.size() > 20) order.resize(20);
  const double top = order.empty() ? 1 : std::max(e.importance[order[0]], 1e-12);
  std::string h = "<table>";
  for (size_t j : order) {
    h += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{:.1f}%</td><td><div class=\"bar\"><div "
        "style=\"width:{:.0f}%\"></div></div></td></tr>",
        HtmlEscape(r.features[j]), e.importance[j] * 100, e.importance[j] / top * 100);
  }
  return h + "</table>";
}

constexpr const char* kStyle = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#0f172a;background:#f8fafc;margin:0;padding:24px 32px;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:26px 0 8px}
.muted{color:#64748b}
table{border-collapse:collapse;background:#fff;border:1px solid #e2e8f0}
th,td{padding:5px 9px;border-bottom:1px solid #eef2f7;text-align:left;white-space:nowrap}
th{background:#f1f5f9;font-weight:600;font-size:12px;color:#475569}
.num{text-align:right;font-variant-numeric:tabular-nums}
.plots{display:flex;flex-wrap:wrap;gap:18px}figure{margin:0;background:#fff;border:1px solid #e2e8f0;padding:8px}
figcaption{font-size:12px;color:#475569;text-align:center}
svg .frame{fill:none;stroke:#cbd5e1}svg .tick{font-size:9px;fill:#64748b}svg .axis{font-size:10px;fill:#334155}
.bar{background:#eef2f7;border-radius:3px;height:8px;width:160px}.bar div{height:8px;border-radius:3px;background:#2563eb}
.legend span{display:inline-block;margin-right:14px;font-size:12px}
.bad{color:#b91c1c;font-weight:600}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
)css";

// What each fold learnt and from which rows; the held-out units named (at most 30).
std::string FoldFitsTable(const ModelEvaluation& e) {
  std::string h =
      "<h2>What each fold learnt, and from which rows</h2><table><tr><th>fold</th>"
      "<th>fitted on, and scored on</th><th>held-out units</th><th>learnt</th></tr>";
  for (size_t i = 0; i < e.fits.size(); ++i) {
    const FoldFit& f = e.fits[i];
    std::string held;
    for (size_t k = 0; k < f.held_out.size() && k < 30; ++k)
      held += (k ? ", " : "") + HtmlEscape(f.held_out[k]);
    if (f.held_out.size() > 30) held += fmt::format(" and {} more", f.held_out.size() - 30);
    std::string steps;
    for (const std::string& s : f.steps)
      steps += "<li>" + HtmlEscape(s) + "</li>";
    h += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td><ul>{}</ul></td></tr>",
                     i + 1, HtmlEscape(DescribeFoldRows(f)), held, steps);
  }
  return h + fmt::format(
                 "</table><p class=\"muted\">Every step of a fold, {} included, was fitted on "
                 "its training rows alone and applied to the rows it was scored on.</p>",
                 HtmlEscape(e.kind));
}

}  // namespace

std::string TrainReportHtml(const TrainReport& r) {
  const bool binary = r.task == Task::kBinary;
  std::string h = HtmlPageStart(fmt::format("Model {} — training report", r.name), kStyle);
  h += fmt::format(
      "<h1>{}</h1><p class=\"muted\">{} rows{}, {} features; label <b>{}</b>{}; "
      "{} {}-fold cross-validation (seed {}){}</p>",
      HtmlEscape(r.name), r.rows,
      r.units > 1 ? fmt::format(" of {} units", r.units) : std::string(), r.features.size(),
      HtmlEscape(r.label),
      binary                        ? fmt::format(" ({} positive)", r.positives)
      : r.task == Task::kMulticlass ? fmt::format(" ({} classes)", r.classes.size())
                                    : std::string(),
      ToString(r.split.kind), r.split.folds, r.split.seed,
      r.test_rows ? fmt::format("; a test set of {} rows", r.test_rows) : std::string());
  if (!r.preprocessing.empty()) {
    h += "<h2>Preprocessing</h2><ul>";
    for (const std::string& step : r.preprocessing)
      h += "<li>" + HtmlEscape(step) + "</li>";
    h += "</ul><p class=\"muted\">As the kept model learnt it from all rows; each fold learnt "
         "its own from its training rows alone (below).</p>";
  }
  h += "<h2>Metrics</h2>" + MetricsTable(r) +
       "<p class=\"muted\">Cross-validation: means over the folds, each fold's model scored "
       "on rows it never saw" +
       (binary ? std::string(", its threshold tuned on its own training rows") : "") +
       (r.test_rows ? ". Test: the models fitted on all rows, scored once." : ".") + "</p>";
  for (const ModelEvaluation& e : r.models) {
    if (e.test_interval.empty()) continue;
    std::string list;
    for (const auto& [name, i] : e.test_interval)
      list +=
          fmt::format("{}{} {}–{}", list.empty() ? "" : ", ", name, Num(i.low, 3), Num(i.high, 3));
    h += fmt::format(
        "<p class=\"muted\">{}, test: {:g} % bootstrap intervals ({} resamples of the {} test "
        "units, seed {}): {}.</p>",
        HtmlEscape(e.kind), 100 * r.bootstrap.level, r.bootstrap.resamples, r.test_units,
        r.bootstrap.seed, HtmlEscape(list));
  }
  for (const ModelEvaluation& e : r.models) {
    if (!e.test || !e.test->cap) continue;
    h += fmt::format(
        "<p>{} on the test set against the true remaining life capped at {:g}, as the training "
        "target and published results score it: RMSE {}, MAE {}, PHM08 {} (uncapped: {}, {}, "
        "{}).</p>",
        HtmlEscape(e.kind), *e.test->cap, Num(e.test->capped_rmse, 3), Num(e.test->capped_mae, 3),
        Num(e.test->capped_phm08, 1), Num(e.test->rmse, 3), Num(e.test->mae, 3),
        Num(e.test->phm08, 1));
  }
  if (!r.models.empty() && !r.models.front().fits.empty()) h += FoldFitsTable(r.models.front());
  if (r.permutation && !r.models.empty()) {
    h += fmt::format("<h2>Label permutation</h2><p{}>{}.</p>",
                     r.permutation->at_chance() ? "" : " class=\"bad\"",
                     HtmlEscape(DescribePermutation(*r.permutation, r.models.front().kind)));
  }
  if (r.models.empty()) return h + "</body></html>";
  const ModelEvaluation& main = r.models.front();
  h += Legend(r);
  if (r.task == Task::kMulticlass) {
    h += MulticlassSection(r, main);
  } else if (binary) {
    h += "<h2>Curves</h2>" + Curves(r);
    h += ConfusionTable(fmt::format("Confusion matrix of {} (all folds)", main.kind),
                        main.mean.confusion);
    if (main.test) {
      h += ConfusionTable(fmt::format("Confusion matrix of {} on the test set (threshold {})",
                                      main.kind, Num(main.threshold.value_or(0.5), 3)),
                          main.test->confusion);
    }
  } else {
    h += "<h2>Predicted against actual</h2><div class=\"plots\">";
    for (size_t m = 0; m < r.models.size() && m < std::size(kColors); ++m) {
      const ModelEvaluation& e = r.models[m];
      h += Scatter(e.out_of_fold, r.label_values, kColors[m],
                   e.kind + ": cross-validation (out of fold)");
      if (!e.test_predictions.empty()) {
        h += Scatter(e.test_predictions, r.test_labels, kColors[m], e.kind + ": test set");
      }
    }
    h += "</div>";
    if (main.test && !r.test_labels.empty()) {
      h += "<h2>The test set, unit by unit</h2><div class=\"plots\">" + TestUnitsPlot(r) + "</div>";
    }
  }
  h += "<h2>Feature importance of " + HtmlEscape(main.kind) + "</h2>" + Importance(r, main);
  return h + "</body></html>";
}

}  // namespace fh::ml
