// The search page served at GET / (server/web/index.html, embedded into the
// binary at build time by server/CMakeLists.txt, so an installed server needs
// no data files and nothing is fetched from the internet).
#pragma once

#include <string_view>

namespace findling::server {

std::string_view SearchPageHtml();

}  // namespace findling::server
