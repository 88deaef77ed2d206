// The one translation unit that includes Eigen.
#include "ml/pca/pca_detector.h"

#include <cmath>
#include <limits>

#include <Eigen/Dense>

#include "ml/pca/pca_limits.h"

namespace fh::ml {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr size_t kChunk = 4096;  // rows scored at once: the matrices stay in cache

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace

bool PcaDetector::Standardise(const std::vector<std::span<const double>>& columns, size_t row,
                              double* z) const {
  const size_t m = signals_.size();
  if (row < static_cast<size_t>(lags_)) return false;
  for (int lag = 0; lag <= lags_; ++lag) {
    for (size_t s = 0; s < m; ++s) {
      const size_t j = static_cast<size_t>(lag) * m + s;
      const double v = columns[s][row - static_cast<size_t>(lag)];
      if (std::isnan(v)) return false;
      z[j] = (v - mean_[j]) / scale_[j];
    }
  }
  return true;
}

Result<PcaDetector> PcaDetector::Train(std::vector<std::string> signals,
                                       const std::vector<std::vector<double>>& columns,
                                       const PcaOptions& options) {
  if (signals.empty() || signals.size() != columns.size()) {
    return InvalidArgument("pca: {} signals named, {} columns", signals.size(), columns.size());
  }
  if (options.lags < 0 || options.lags > 100) return InvalidArgument("pca: lags is 0 to 100");
  if (!(options.alpha > 0 && options.alpha < 0.5)) {
    return InvalidArgument("pca: the false-alarm rate must be above 0 and below 0.5");
  }
  if (options.components == 0 && !(options.variance > 0 && options.variance <= 1)) {
    return InvalidArgument("pca: variance is a share above 0, at most 1");
  }
  const size_t n_all = columns[0].size();
  for (size_t s = 0; s < columns.size(); ++s) {
    if (columns[s].size() != n_all) {
      return InvalidArgument("pca: signal '{}' has {} rows, '{}' {}", signals[s], columns[s].size(),
                             signals[0], n_all);
    }
  }
  PcaDetector d;
  d.signals_ = std::move(signals);
  d.lags_ = options.lags;
  d.alpha_ = options.alpha;
  const size_t m = d.signals_.size();
  const size_t w = m * static_cast<size_t>(options.lags + 1);
  // SPE needs a residual: at most one component fewer than there are variables.
  if (w < 2) return InvalidArgument("pca: at least 2 variables (signals x (lags + 1))");
  if (options.components < 0 || static_cast<size_t>(options.components) >= w) {
    return InvalidArgument("pca: {} components of {} variables: at most {}", options.components, w,
                           w - 1);
  }

  // The training matrix, unstandardised: the rows whose window is complete.
  std::vector<std::span<const double>> spans;
  for (const auto& c : columns)
    spans.emplace_back(c);
  d.mean_.assign(w, 0);
  d.scale_.assign(w, 1);
  RowMatrix x(static_cast<Eigen::Index>(n_all), static_cast<Eigen::Index>(w));
  Eigen::Index n = 0;
  std::vector<double> row(w);
  for (size_t r = 0; r < n_all; ++r) {
    if (!d.Standardise(spans, r, row.data())) continue;  // mean 0, scale 1: the raw values
    x.row(n++) = Eigen::Map<const Eigen::RowVectorXd>(row.data(), static_cast<Eigen::Index>(w));
  }
  if (static_cast<size_t>(n) < 2 * w) {
    return InvalidArgument(
        "pca: {} complete rows for {} variables ({} signals x {} lags + 1): at least {} are "
        "needed",
        n, w, m, options.lags, 2 * w);
  }
  x.conservativeResize(n, Eigen::NoChange);
  const Eigen::RowVectorXd mean = x.colwise().mean();
  x.rowwise() -= mean;
  Eigen::RowVectorXd sd = (x.colwise().squaredNorm() / static_cast<double>(n - 1)).cwiseSqrt();
  for (Eigen::Index j = 0; j < sd.size(); ++j) {
    // A signal constant while normal: any change is off the model, and shows in SPE.
    if (!(sd[j] > 1e-12 * (1 + std::abs(mean[j])))) sd[j] = 1;
  }
  x.array().rowwise() /= sd.array();
  const Eigen::MatrixXd corr = (x.transpose() * x) / static_cast<double>(n - 1);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(corr);
  if (eig.info() != Eigen::Success) return Internal("pca: the eigendecomposition failed");
  // Eigen sorts ascending: largest first here.
  const Eigen::Index wi = static_cast<Eigen::Index>(w);
  d.eigenvalues_.resize(w);
  for (Eigen::Index i = 0; i < wi; ++i)
    d.eigenvalues_[static_cast<size_t>(i)] = std::max(0.0, eig.eigenvalues()[wi - 1 - i]);
  int k = options.components;
  if (k == 0) {
    double total = 0, sum = 0;
    for (double l : d.eigenvalues_)
      total += l;
    while (k < static_cast<int>(w) - 1) {
      sum += d.eigenvalues_[static_cast<size_t>(k++)];
      if (sum >= options.variance * total - 1e-12) break;
    }
  }
  d.components_ = k;
  d.loadings_.resize(w * static_cast<size_t>(k));
  for (Eigen::Index j = 0; j < wi; ++j) {
    for (int a = 0; a < k; ++a) {
      Eigen::Index col = wi - 1 - a;
      // A sign convention, so that a model trains the same everywhere: the largest
      // coefficient of each component is positive.
      Eigen::Index big = 0;
      eig.eigenvectors().col(col).cwiseAbs().maxCoeff(&big);
      const double sign = eig.eigenvectors()(big, col) < 0 ? -1 : 1;
      d.loadings_[static_cast<size_t>(j) * static_cast<size_t>(k) + static_cast<size_t>(a)] =
          sign * eig.eigenvectors()(j, col);
    }
  }
  for (size_t j = 0; j < w; ++j) {
    d.mean_[j] = mean[static_cast<Eigen::Index>(j)];
    d.scale_[j] = sd[static_cast<Eigen::Index>(j)];
  }
  d.rows_ = static_cast<size_t>(n);
  d.t2_limit_ = HotellingT2Limit(static_cast<size_t>(k), d.rows_, d.alpha_);
  d.spe_limit_ = SpeLimit(std::span(d.eigenvalues_).subspan(static_cast<size_t>(k)), d.alpha_);
  return d;
}

void PcaDetector::Score(const std::vector<std::span<const double>>& columns,
                        std::vector<PcaScore>& out) const {
  const size_t rows = columns.empty() ? 0 : columns[0].size();
  out.assign(rows, PcaScore{kNaN, kNaN});
  const auto w = static_cast<Eigen::Index>(width());
  const Eigen::Index k = components_;
  const Eigen::Map<const RowMatrix> p(loadings_.data(), w, k);
  Eigen::VectorXd inverse_lambda(k);
  for (Eigen::Index a = 0; a < k; ++a)
    inverse_lambda[a] =
        eigenvalues_[static_cast<size_t>(a)] > 0 ? 1 / eigenvalues_[static_cast<size_t>(a)] : 0;
  RowMatrix z(static_cast<Eigen::Index>(std::min(rows, kChunk)), w);
  std::vector<size_t> which;
  for (size_t start = 0; start < rows; start += kChunk) {
    const size_t end = std::min(rows, start + kChunk);
    which.clear();
    for (size_t r = start; r < end; ++r) {
      if (Standardise(columns, r, z.row(static_cast<Eigen::Index>(which.size())).data()))
        which.push_back(r);
    }
    if (which.empty()) continue;
    const auto n = static_cast<Eigen::Index>(which.size());
    const RowMatrix t = z.topRows(n) * p;                  // n × k scores
    const RowMatrix e = z.topRows(n) - t * p.transpose();  // residuals
    const Eigen::VectorXd t2 = t.array().square().matrix() * inverse_lambda;
    const Eigen::VectorXd spe = e.rowwise().squaredNorm();
    for (Eigen::Index i = 0; i < n; ++i)
      out[which[static_cast<size_t>(i)]] = {t2[i], spe[i]};
  }
}

PcaContributions PcaDetector::Contribute(const std::vector<std::span<const double>>& columns,
                                         size_t row) const {
  const auto w = static_cast<Eigen::Index>(width());
  const Eigen::Index k = components_;
  PcaContributions out;
  Eigen::VectorXd z(w);
  if (!Standardise(columns, row, z.data())) {
    out.t2.assign(width(), kNaN);
    out.spe.assign(width(), kNaN);
    return out;
  }
  const Eigen::Map<const RowMatrix> p(loadings_.data(), w, k);
  const Eigen::VectorXd t = p.transpose() * z;
  Eigen::VectorXd weighted(k);
  for (Eigen::Index a = 0; a < k; ++a) {
    const double l = eigenvalues_[static_cast<size_t>(a)];
    weighted[a] = l > 0 ? t[a] / l : 0;
  }
  const Eigen::VectorXd c_t2 = z.cwiseProduct(p * weighted);
  const Eigen::VectorXd e = z - p * t;
  out.t2.assign(c_t2.data(), c_t2.data() + w);
  out.spe.resize(width());
  for (Eigen::Index j = 0; j < w; ++j)
    out.spe[static_cast<size_t>(j)] = e[j] * e[j];
  return out;
}

std::vector<double> PcaDetector::BySignal(const std::vector<double>& per_variable) const {
  std::vector<double> out(signals_.size(), 0);
  for (size_t j = 0; j < per_variable.size(); ++j)
    out[j % signals_.size()] += per_variable[j];
  return out;
}

std::vector<std::string> PcaDetector::VariableNames() const {
  std::vector<std::string> out = signals_;
  for (int lag = 1; lag <= lags_; ++lag) {
    for (const std::string& s : signals_)
      out.push_back(fmt::format("{}@-{}", s, lag));
  }
  return out;
}

double PcaDetector::explained() const {
  double total = 0, kept = 0;
  for (size_t i = 0; i < eigenvalues_.size(); ++i) {
    total += eigenvalues_[i];
    if (static_cast<int>(i) < components_) kept += eigenvalues_[i];
  }
  return total > 0 ? kept / total : 0;
}

nlohmann::json PcaDetector::ToJson() const {
  return {{"kind", "pca"},
          {"signals", signals_},
          {"lags", lags_},
          {"mean", mean_},
          {"scale", scale_},
          {"eigenvalues", eigenvalues_},
          {"components", components_},
          {"loadings", loadings_},
          {"rows", rows_},
          {"alpha", alpha_},
          {"t2_limit", t2_limit_},
          {"spe_limit", spe_limit_}};
}

Result<PcaDetector> PcaDetector::FromJson(const nlohmann::json& j) {
  PcaDetector d;
  try {
    if (j.at("kind") != "pca") return InvalidArgument("not a PCA detector");
    d.signals_ = j.at("signals").get<std::vector<std::string>>();
    d.lags_ = j.at("lags").get<int>();
    d.mean_ = j.at("mean").get<std::vector<double>>();
    d.scale_ = j.at("scale").get<std::vector<double>>();
    d.eigenvalues_ = j.at("eigenvalues").get<std::vector<double>>();
    d.components_ = j.at("components").get<int>();
    d.loadings_ = j.at("loadings").get<std::vector<double>>();
    d.rows_ = j.at("rows").get<size_t>();
    d.alpha_ = j.at("alpha").get<double>();
    d.t2_limit_ = j.at("t2_limit").get<double>();
    d.spe_limit_ = j.at("spe_limit").get<double>();
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument("a PCA detector: {}", e.what());
  }
  const size_t w = d.signals_.size() * static_cast<size_t>(d.lags_ + 1);
  if (d.lags_ < 0 || d.components_ < 1 || static_cast<size_t>(d.components_) > w ||
      d.mean_.size() != w || d.scale_.size() != w || d.eigenvalues_.size() != w ||
      d.loadings_.size() != w * static_cast<size_t>(d.components_)) {
    return InvalidArgument("a PCA detector whose sizes do not agree ({} variables)", w);
  }
  return d;
}

}  // namespace fh::ml
