#include "common/word_memo.h"

#include <algorithm>
#include <bit>
#include <functional>

namespace findling {

WordMemo::WordMemo(std::size_t max_entries)
    : max_entries_(std::bit_ceil(max_entries < 1 ? std::size_t{1} : max_entries)),
      slots_(2 * max_entries_) {
  entries_.reserve(max_entries_);
}

std::uint64_t WordMemo::Hash(std::string_view form) { return std::hash<std::string_view>{}(form); }

const WordAnalysis* WordMemo::Find(std::string_view form) const {
  const std::uint64_t hash = Hash(form);
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.entry == 0) return nullptr;
    if (slot.tag == tag && entries_[slot.entry - 1].first == form) {
      return &entries_[slot.entry - 1].second;
    }
  }
}

const WordAnalysis& WordMemo::Insert(std::string_view form, WordAnalysis analysis) {
  if (entries_.size() >= max_entries_) Clear();
  const std::uint64_t hash = Hash(form);
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (slots_[i].entry != 0) i = (i + 1) & mask;
  entries_.emplace_back(std::string(form), std::move(analysis));
  slots_[i] =
      Slot{static_cast<std::uint32_t>(hash >> 32), static_cast<std::uint32_t>(entries_.size())};
  return entries_.back().second;
}

void WordMemo::Clear() {
  entries_.clear();
  std::fill(slots_.begin(), slots_.end(), Slot{});
}

}  // namespace findling
