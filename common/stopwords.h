// German stop words (Snowball's German list): the words a bare-word query
// ignores. Documents keep them, so phrases such as "Haus am See" still match.
#pragma once

#include <string_view>

namespace findling {

// True if the normalised (lower-case) form is a German stop word.
bool IsGermanStopword(std::string_view form);

// True if the normalised (lower-case) form is a German interrogative that
// Snowball's list lacks ("wer", "wann", "warum", "wofür", "worauf", ...; its
// list already has "was", "wie", "wo" and "welche"). A question names what
// it asks for with them, and an answer does not repeat them, so a query may
// ignore them as it ignores stop words (QueryWeights::drop_question_words).
// Documents index them as any word.
bool IsGermanQuestionWord(std::string_view form);

}  // namespace findling
