// Escaping text for HTML pages the program writes (the API's index page, the quality
// report): & < > " ' become entities, so that data can never become markup.
#pragma once

#include <string>
#include <string_view>

namespace fh {

std::string HtmlEscape(std::string_view text);

}  // namespace fh
