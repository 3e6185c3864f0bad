#include "common/stemmer.h"

namespace findling {

Stemmer::Stemmer(const std::string& language) : stem_(language) {}

std::string Stemmer::Stem(std::string_view form) const {
  if (form.empty() || (form[0] >= '0' && form[0] <= '9')) return std::string(form);
  return stem_(std::string(form));
}

}  // namespace findling
