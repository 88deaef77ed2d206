#include "ingest/xml_stream.h"

#include <expat.h>

#include <climits>
#include <cstring>
#include <memory>
#include <new>

namespace fh::ingest {
namespace {

constexpr char kNamespaceSeparator = '|';

std::string_view LocalName(const char* name) {
  const char* separator = std::strrchr(name, kNamespaceSeparator);
  return separator != nullptr ? separator + 1 : name;
}

// Runs a handler callback, turning a failure (or an allocation failure, the one exception
// a handler can raise) into a stopped parse: nothing may unwind through expat's C frames.
template <typename Fn>
void Guarded(XmlHandler* handler, XML_Parser parser, Fn&& fn) {
  try {
    fn(handler);
  } catch (const std::bad_alloc&) {
    handler->Fail(Internal("out of memory while parsing XML"));
  }
  if (!handler->status().ok()) XML_StopParser(parser, XML_FALSE);
}

}  // namespace

const char* Attribute(const char** attributes, std::string_view name) {
  for (const char** a = attributes; a[0] != nullptr; a += 2) {
    if (LocalName(a[0]) == name) return a[1];
  }
  return nullptr;
}

XmlStream::XmlStream(XmlHandler* handler, std::string context)
    : parser_(XML_ParserCreateNS(nullptr, kNamespaceSeparator)),
      handler_(handler),
      context_(std::move(context)) {
  if (parser_ == nullptr) return;  // reported by Parse
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(
      parser_,
      [](void* self, const XML_Char* name, const XML_Char** attributes) {
        auto* stream = static_cast<XmlStream*>(self);
        Guarded(stream->handler_, stream->parser_,
                [&](XmlHandler* h) { h->StartElement(LocalName(name), attributes); });
      },
      [](void* self, const XML_Char* name) {
        auto* stream = static_cast<XmlStream*>(self);
        Guarded(stream->handler_, stream->parser_,
                [&](XmlHandler* h) { h->EndElement(LocalName(name)); });
      });
  XML_SetCharacterDataHandler(parser_, [](void* self, const XML_Char* text, int length) {
    auto* stream = static_cast<XmlStream*>(self);
    Guarded(stream->handler_, stream->parser_,
            [&](XmlHandler* h) { h->Text(std::string_view(text, static_cast<size_t>(length))); });
  });
  XML_SetStartDoctypeDeclHandler(parser_, [](void* self, const XML_Char*, const XML_Char*,
                                             const XML_Char*, int) {
    auto* stream = static_cast<XmlStream*>(self);
    Guarded(stream->handler_, stream->parser_, [&](XmlHandler* h) {
      h->Fail(InvalidArgument("{}: has a DOCTYPE, which xlsx parts never have", stream->context_));
    });
  });
}

XmlStream::~XmlStream() {
  if (parser_ != nullptr) XML_ParserFree(parser_);
}

Status XmlStream::Parse(std::string_view chunk, bool last) {
  if (parser_ == nullptr) return Internal("{}: cannot create an XML parser", context_);
  if (chunk.size() > INT_MAX) return Internal("{}: XML piece too large", context_);
  return Check(XML_Parse(parser_, chunk.data(), static_cast<int>(chunk.size()),
                         last ? XML_TRUE : XML_FALSE));
}

void XmlStream::Suspend() {
  XML_StopParser(parser_, XML_TRUE);
}

Status XmlStream::Resume() {
  suspended_ = false;
  return Check(XML_ResumeParser(parser_));
}

Status XmlStream::Check(int status) {
  if (!handler_->status().ok()) return handler_->status();
  if (status == XML_STATUS_SUSPENDED) {
    suspended_ = true;
    return Status::Ok();
  }
  if (status != XML_STATUS_OK) {
    return InvalidArgument("{}: malformed XML at line {}, column {}: {}", context_,
                           XML_GetCurrentLineNumber(parser_), XML_GetCurrentColumnNumber(parser_),
                           XML_ErrorString(XML_GetErrorCode(parser_)));
  }
  return Status::Ok();
}

int64_t XmlStream::byte_index() const {
  return parser_ != nullptr ? static_cast<int64_t>(XML_GetCurrentByteIndex(parser_)) : 0;
}

Status ParseXmlMember(ZipArchive& archive, const std::string& member, uint64_t max_bytes,
                      XmlHandler* handler) {
  FH_ASSIGN_OR_RETURN(auto input, archive.Open(member, max_bytes));
  XmlStream stream(handler, fmt::format("{}: {}", archive.display_name(), member));
  constexpr size_t kChunk = 256 << 10;
  auto buffer = std::make_unique_for_overwrite<char[]>(kChunk);
  while (true) {
    FH_ASSIGN_OR_RETURN(const size_t got, input->Read(buffer.get(), kChunk));
    FH_RETURN_IF_ERROR(stream.Parse(std::string_view(buffer.get(), got), got == 0));
    if (got == 0) return Status::Ok();
  }
}

}  // namespace fh::ingest
