#include "indexer/progress.h"

#include <cstdio>
#include <string>

namespace findling {

using Clock = std::chrono::steady_clock;

Progress::Progress(bool enabled, std::uint64_t total_bytes)
    : enabled_(enabled), total_bytes_(total_bytes), start_(Clock::now()), last_draw_(start_) {}

double Progress::Seconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

void Progress::Add(std::uint64_t documents, std::uint64_t bytes) {
  documents_ += documents;
  bytes_ += bytes;
  if (!enabled_) return;
  const auto now = Clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw();
}

void Progress::Draw() {
  const double s = Seconds();
  const double docs_per_s = s > 0 ? static_cast<double>(documents_) / s : 0;
  const double mb_per_s = s > 0 ? static_cast<double>(bytes_) / 1e6 / s : 0;
  std::string bar;
  if (total_bytes_ > 0) {
    const double fraction = std::min(1.0, static_cast<double>(bytes_) / static_cast<double>(total_bytes_));
    const int width = 30, filled = static_cast<int>(fraction * width);
    bar = "[" + std::string(filled, '=') + (filled < width ? ">" : "") +
          std::string(width - filled - (filled < width ? 1 : 0), ' ') + "] ";
    char pct[16];
    std::snprintf(pct, sizeof pct, "%3.0f%% ", fraction * 100);
    bar += pct;
  }
  std::fprintf(stderr, "\r\033[K%s%llu docs  %.0f docs/s  %.2f MB/s", bar.c_str(),
               static_cast<unsigned long long>(documents_), docs_per_s, mb_per_s);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Clear() {
  if (enabled_ && drawn_) {
    std::fprintf(stderr, "\r\033[K");
    drawn_ = false;
  }
}

void Progress::Finish() { Clear(); }

}  // namespace findling
