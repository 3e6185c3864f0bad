// German stop words (Snowball's German list): the words a bare-word query
// ignores. Documents keep them, so phrases such as "Haus am See" still match.
#pragma once

#include <string_view>

namespace findling {

// True if the normalised (lower-case) form is a German stop word.
bool IsGermanStopword(std::string_view form);

}  // namespace findling
