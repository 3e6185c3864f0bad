// Progress: a one-line progress bar on stderr (documents/s, MB/s, percent of
// the input when its size is known), redrawn at most ten times a second.
// Disabled, it only keeps the counts and the clock for the summary.
#pragma once

#include <chrono>
#include <cstdint>

namespace findling {

class Progress {
 public:
  Progress(bool enabled, std::uint64_t total_bytes);
  void Add(std::uint64_t documents, std::uint64_t bytes);
  void Clear();   // erase the bar before printing a warning; redrawn on the next Add()
  void Finish();  // erase the bar for good
  double Seconds() const;
  std::uint64_t documents() const { return documents_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  void Draw();
  bool enabled_;
  bool drawn_ = false;
  std::uint64_t total_bytes_;
  std::uint64_t documents_ = 0;
  std::uint64_t bytes_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace findling
