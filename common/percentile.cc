#include "common/percentile.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace findling {

// Nearest rank rather than interpolation: a reported p99 is a latency some
// request really had, and the same samples give the same figure in every
// tool that reports them.
double Percentile(std::span<const double> sorted, double p) {
  if (sorted.empty()) return 0;
  const double clamped = std::clamp(p, 0.0, 100.0);
  const auto rank =
      static_cast<std::size_t>(std::ceil(clamped / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace findling
