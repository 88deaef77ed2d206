// Control limits of a PCA monitoring model at a false-alarm rate α (the share of normal
// observations that exceed the limit):
//  - Hotelling's T² of a new observation, k components from n training rows:
//    k (n² - 1) / (n (n - k)) · F(1 - α; k, n - k)   (Tracy, Young & Mason 1992);
//  - the squared prediction error Q (SPE), from the eigenvalues λ the model leaves out,
//    θᵢ = Σ λⱼⁱ, h₀ = 1 - 2θ₁θ₃ / 3θ₂²:
//    θ₁ [c_α √(2θ₂h₀²) / θ₁ + 1 + θ₂h₀(h₀ - 1) / θ₁²]^(1/h₀)   (Jackson & Mudholkar 1979).
#pragma once

#include <cstddef>
#include <span>

namespace fh::ml {

double HotellingT2Limit(size_t components, size_t rows, double alpha);
// `residual_eigenvalues`: those of the components left out; 0 when there are none.
double SpeLimit(std::span<const double> residual_eigenvalues, double alpha);

}  // namespace fh::ml
