#include "common/stemmer.h"

namespace findling {

Stemmer::Stemmer(const std::string& language) : stem_(language) {}

std::string Stemmer::Stem(std::string_view form) {
  if (form.empty() || (form[0] >= '0' && form[0] <= '9')) return std::string(form);
  if (auto it = cache_.find(form); it != cache_.end()) return it->second;
  if (cache_.size() >= kCacheEntries) cache_.clear();
  std::string stem = stem_(std::string(form));
  cache_.emplace(form, stem);
  return stem;
}

}  // namespace findling
