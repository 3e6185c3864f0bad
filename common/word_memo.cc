#include "common/word_memo.h"

#include <algorithm>
#include <bit>
#include <functional>

namespace findling {

WordMemo::WordMemo(std::size_t max_entries)
    : max_entries_(std::bit_ceil(std::max<std::size_t>(max_entries, 1))),
      slots_(std::min(2 * max_entries_, kInitialSlots)) {}

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
  if (entries_.size() >= max_entries_) {
    Clear();
  } else if (2 * (entries_.size() + 1) > slots_.size()) {
    Grow();
  }
  const std::uint64_t hash = Hash(form);
  const std::size_t i = FreeSlot(slots_, hash);
  entries_.emplace_back(std::string(form), std::move(analysis));
  slots_[i] =
      Slot{static_cast<std::uint32_t>(hash >> 32), static_cast<std::uint32_t>(entries_.size())};
  return entries_.back().second;
}

std::size_t WordMemo::FreeSlot(const std::vector<Slot>& slots, std::uint64_t hash) {
  const std::size_t mask = slots.size() - 1;
  std::size_t i = hash & mask;
  while (slots[i].entry != 0) i = (i + 1) & mask;
  return i;
}

void WordMemo::Grow() {
  std::vector<Slot> slots(2 * slots_.size());
  for (std::size_t e = 0; e < entries_.size(); ++e) {
    const std::uint64_t hash = Hash(entries_[e].first);
    slots[FreeSlot(slots, hash)] =
        Slot{static_cast<std::uint32_t>(hash >> 32), static_cast<std::uint32_t>(e + 1)};
  }
  slots_.swap(slots);
}

void WordMemo::Clear() {
  entries_.clear();
  std::fill(slots_.begin(), slots_.end(), Slot{});
}

}  // namespace findling
