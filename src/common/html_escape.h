// Escaping text for HTML pages the program writes (the API's index page, the quality
// report): & < > " ' become entities, so that data can never become markup.
#pragma once

#include <string>
#include <string_view>

namespace fh {

std::string HtmlEscape(std::string_view text);

// The start of a self-contained page, up to and including <body>: the doctype, UTF-8,
// a viewport for phones, the title (escaped here) and an inline style sheet.
std::string HtmlPageStart(std::string_view title, std::string_view css);

}  // namespace fh
