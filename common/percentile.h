// Percentile: the one definition behind every latency figure Findling reports
// ({"op":"stats"}, findling-load, findling-hostile, the query benchmark).
#pragma once

#include <span>

namespace findling {

// The nearest-rank percentile `p` (0..100) of `sorted` (ascending): the
// value at rank ceil(p/100 * n), counted from 1, with rank 0 read as 1. So
// p = 100 is the maximum, p = 50 of an even count is the lower of the two
// middle values, and the result is always one of the measured values (never
// interpolated). Returns 0 for an empty span; p outside 0..100 is clamped.
// Does not sort: an unsorted span gives a value of the span, not its
// percentile.
double Percentile(std::span<const double> sorted, double p);

}  // namespace findling
