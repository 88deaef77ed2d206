// A multivariate anomaly detector: principal component analysis of signals recorded while a
// process ran normally, monitored by Hotelling's T² (how far a row is, within the model's
// plane, from the normal centre) and the squared prediction error SPE, or Q (how far it is
// off that plane: the signals no longer move together as they did), each against its
// control limit at a stated false-alarm rate (pca_limits.h). A fault that moves several
// signals jointly while each stays within its own limits shows in T² or SPE; the
// contributions say which signals moved.
//
// Dynamic PCA (`lags` > 0) models each row together with its `lags` predecessors, so that
// autocorrelated signals (a temperature that follows its heater with a delay) are normal in
// their dynamics too. Variables are standardised by the training rows' mean and standard
// deviation (ddof 1); components are the eigenvectors of their correlation matrix, as many
// as explain `variance` of it (or `components`).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace fh::ml {

struct PcaOptions {
  double variance = 0.90;  // the share of variance the components explain
  int components = 0;      // > 0: this many instead
  int lags = 0;            // dynamic PCA: each row with this many predecessors
  double alpha = 0.01;     // each limit's false-alarm rate
};

struct PcaScore {
  double t2 = 0, spe = 0;  // NaN: not scored (a missing value, too few predecessors)
};

// Each variable's share of a row's T² (Westerhuis et al. 2000: z_j Σ_a t_a p_ja / λ_a, which
// sum to T²) and of its SPE (e_j², which sum to SPE).
struct PcaContributions {
  std::vector<double> t2, spe;
};

class PcaDetector {
 public:
  // Trains on `columns` (one per signal, named by `signals`, rows in time order); a row with a
  // missing (NaN) value is left out. InvalidArgument when there are too few rows for the
  // variables (at least twice as many), a column of another length, or bad options.
  static Result<PcaDetector> Train(std::vector<std::string> signals,
                                   const std::vector<std::vector<double>>& columns,
                                   const PcaOptions& options);

  // Scores every row of `columns` (as trained: one per signal, consecutive rows): `out` gets
  // one score per row; the first `lags` rows, and rows with a missing value in their window,
  // are NaN.
  void Score(const std::vector<std::span<const double>>& columns, std::vector<PcaScore>& out) const;
  // The contributions of row `row` (which Score scored) per variable (VariableNames()).
  PcaContributions Contribute(const std::vector<std::span<const double>>& columns,
                              size_t row) const;

  // Per-variable figures (contributions) summed per signal over its lags.
  std::vector<double> BySignal(const std::vector<double>& per_variable) const;

  const std::vector<std::string>& signals() const { return signals_; }
  // The signals, then each lagged copy: "tag", then "tag@-1", ... (dynamic PCA).
  std::vector<std::string> VariableNames() const;
  int lags() const { return lags_; }
  int components() const { return components_; }
  size_t rows() const { return rows_; }
  double alpha() const { return alpha_; }
  double t2_limit() const { return t2_limit_; }
  double spe_limit() const { return spe_limit_; }
  const std::vector<double>& eigenvalues() const { return eigenvalues_; }  // all, largest first
  double explained() const;  // the share of variance the components explain
  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& scale() const { return scale_; }
  // Variable j's loading on component a.
  double loading(size_t j, size_t a) const { return loadings_[j * components_ + a]; }

  nlohmann::json ToJson() const;
  static Result<PcaDetector> FromJson(const nlohmann::json& j);

 private:
  size_t width() const { return mean_.size(); }  // variables: signals × (lags + 1)
  // Row `row`'s standardised variables into `z`; false when one is missing.
  bool Standardise(const std::vector<std::span<const double>>& columns, size_t row,
                   double* z) const;

  std::vector<std::string> signals_;
  int lags_ = 0;
  std::vector<double> mean_, scale_;
  std::vector<double> eigenvalues_;
  int components_ = 0;
  std::vector<double> loadings_;  // width × components, row-major
  size_t rows_ = 0;
  double alpha_ = 0.01, t2_limit_ = 0, spe_limit_ = 0;
};

}  // namespace fh::ml
