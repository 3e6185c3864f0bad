// HitPrinter: search results for a person on a terminal. Colour (bold yellow
// highlights, dim metadata) when writing to a terminal, plain text with
// **markers** when piped.
#pragma once

#include <cstdio>
#include <string>

#include "searcher/searcher.h"

namespace findling {

struct PrintOptions {
  bool colour = false;
};

void PrintResponse(const SearchResponse& response, const SearchRequest& request,
                   const PrintOptions& options, std::FILE* out);

}  // namespace findling
