// XmlStream: a push parser (expat) for the XML parts of an xlsx package, fed in chunks so
// that a large worksheet never has to be in memory whole.
//
// Element and attribute names reach the handler without their namespace ("row", "id" for
// r:id), since xlsx writers differ in the prefixes they use. Documents with a DOCTYPE are
// refused: xlsx parts never have one, and it is where entity expansion attacks live.
// Handlers run inside expat: they must not throw, and report problems through Fail().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "ingest/zip_archive.h"

typedef struct XML_ParserStruct* XML_Parser;

namespace fh::ingest {

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  // `attributes` is expat's null-terminated list of name, value pairs; see Attribute().
  virtual void StartElement(std::string_view name, const char** attributes) = 0;
  virtual void EndElement(std::string_view name) = 0;
  // Text of the current element, possibly in several pieces.
  virtual void Text(std::string_view text) = 0;

  // Stops the parse; XmlStream::Parse then returns `status`.
  void Fail(Status status) {
    if (status_.ok()) status_ = std::move(status);
  }
  const Status& status() const { return status_; }

 private:
  Status status_;
};

// The value of the attribute whose local name is `name`, or nullptr.
const char* Attribute(const char** attributes, std::string_view name);

class XmlStream {
 public:
  // `context` ("book.xlsx: xl/workbook.xml") prefixes malformed-XML errors.
  XmlStream(XmlHandler* handler, std::string context);
  ~XmlStream();
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  // Parses the next piece of the document (at most INT_MAX bytes); `last` for the final
  // one (may be empty). Must not be called while suspended().
  Status Parse(std::string_view chunk, bool last);
  // From inside a handler: pause after this event, so that a consumer can drain what the
  // handler produced before the rest of the piece is parsed. Parse (or Resume) then
  // returns with suspended() true.
  void Suspend();
  bool suspended() const { return suspended_; }
  // Goes on where Suspend() stopped, with the rest of the piece given to Parse.
  Status Resume();
  // Offset in the document of the event being handled (valid inside handler calls).
  int64_t byte_index() const;

 private:
  Status Check(int status);  // an XML_Status

  XML_Parser parser_;
  XmlHandler* handler_;
  std::string context_;
  bool suspended_ = false;
};

// Parses a whole zip member through `handler`, reading it a chunk at a time.
Status ParseXmlMember(ZipArchive& archive, const std::string& member, uint64_t max_bytes,
                      XmlHandler* handler);

}  // namespace fh::ingest
