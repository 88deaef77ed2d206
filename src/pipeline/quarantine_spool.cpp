#include "pipeline/quarantine_spool.h"

#include <cerrno>
#include <cstring>

#include "store/governance/quarantine_bounds.h"

namespace fh::pipeline {

namespace {

// A record's encoding: integers as 8 native-endian bytes (the file never leaves this
// process), texts as their length then their bytes, optionals behind a presence byte.
class Encoder {
 public:
  explicit Encoder(std::string& out) : out_(out) {}
  void Int(int64_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void Text(std::string_view s) {
    Int(static_cast<int64_t>(s.size()));
    out_.append(s);
  }
  void OptInt(const std::optional<int64_t>& v) {
    out_.push_back(v ? 1 : 0);
    if (v) Int(*v);
  }
  void OptText(const std::optional<std::string>& v) {
    out_.push_back(v ? 1 : 0);
    if (v) Text(*v);
  }

 private:
  std::string& out_;
};

class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  int64_t Int() {
    int64_t v = 0;
    if (Take(sizeof v)) std::memcpy(&v, in_.data() + at_ - sizeof v, sizeof v);
    return v;
  }
  std::string Text() {
    const int64_t n = Int();
    if (n < 0 || !Take(static_cast<size_t>(n))) return {};
    return std::string(in_.substr(at_ - static_cast<size_t>(n), static_cast<size_t>(n)));
  }
  std::optional<int64_t> OptInt() {
    if (!Present()) return std::nullopt;
    return Int();
  }
  std::optional<std::string> OptText() {
    if (!Present()) return std::nullopt;
    return Text();
  }

 private:
  bool Present() { return Take(1) && in_[at_ - 1] != 0; }
  bool Take(size_t n) {
    if (!ok_ || in_.size() - at_ < n) return ok_ = false;
    at_ += n;
    return true;
  }
  std::string_view in_;
  size_t at_ = 0;
  bool ok_ = true;
};

void Encode(const QuarantinedRecord& q, std::string& out) {
  Encoder e(out);
  e.Int(q.batch_id);
  e.Text(q.mapping_name);
  e.Text(q.entity);
  e.Text(q.source_system);
  e.Text(q.source_object);
  e.OptInt(q.source_line);
  e.OptInt(q.source_offset);
  e.Int(static_cast<int64_t>(q.columns.size()));
  for (const std::string& c : q.columns)
    e.Text(c);
  e.Int(static_cast<int64_t>(q.fields.size()));
  for (const std::optional<std::string>& f : q.fields)
    e.OptText(f);
  e.Text(q.raw);
  e.Int(static_cast<int64_t>(q.reasons.size()));
  for (const govern::Violation& v : q.reasons) {
    e.Int(static_cast<int64_t>(v.check));
    e.Int(static_cast<int64_t>(v.severity));
    e.Text(v.rule);
    e.Text(v.field);
    e.Text(v.value);
    e.Text(v.message);
  }
  e.OptText(q.record_key);
  e.Int(static_cast<int64_t>(q.personal_columns.size()));
  for (const std::string& c : q.personal_columns)
    e.Text(c);
}

bool Decode(std::string_view in, QuarantinedRecord& q) {
  Decoder d(in);
  q = QuarantinedRecord{};
  q.batch_id = d.Int();
  q.mapping_name = d.Text();
  q.entity = d.Text();
  q.source_system = d.Text();
  q.source_object = d.Text();
  q.source_line = d.OptInt();
  q.source_offset = d.OptInt();
  for (int64_t n = d.Int(); d.ok() && n > 0; --n)
    q.columns.push_back(d.Text());
  for (int64_t n = d.Int(); d.ok() && n > 0; --n)
    q.fields.push_back(d.OptText());
  q.raw = d.Text();
  for (int64_t n = d.Int(); d.ok() && n > 0; --n) {
    govern::Violation v;
    v.check = static_cast<govern::CheckKind>(d.Int());
    v.severity = static_cast<govern::Severity>(d.Int());
    v.rule = d.Text();
    v.field = d.Text();
    v.value = d.Text();
    v.message = d.Text();
    q.reasons.push_back(std::move(v));
  }
  q.record_key = d.OptText();
  for (int64_t n = d.Int(); d.ok() && n > 0; --n)
    q.personal_columns.push_back(d.Text());
  return d.ok();
}

Status FileError(const char* what) {
  return IOError("quarantine spool: {} the temporary file: {}", what, std::strerror(errno));
}

}  // namespace

Status QuarantineSpool::Add(const QuarantinedRecord& record) {
  // Bounded as the store will keep it: a hostile file's 10 MB fields cost no more here.
  QuarantinedRecord q = Bounded(record);
  if (memory_.size() < memory_records_) {
    memory_.push_back(std::move(q));
    return Status::Ok();
  }
  if (!file_) {
    file_.reset(std::tmpfile());  // unlinked: gone when closed, or when the process dies
    if (!file_) return FileError("cannot create");
  }
  if (read_back_) {  // a write after a read needs a positioning call in between
    if (std::fseek(file_.get(), 0, SEEK_END) != 0) return FileError("cannot seek in");
    read_back_ = false;
  }
  buffer_.clear();
  Encoder(buffer_).Int(0);  // the length, filled in below
  Encode(q, buffer_);
  const int64_t length = static_cast<int64_t>(buffer_.size() - sizeof(int64_t));
  std::memcpy(buffer_.data(), &length, sizeof length);
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_.get()) != buffer_.size()) {
    return FileError("cannot write to");
  }
  ++spilled_;
  return Status::Ok();
}

Status QuarantineSpool::ForEach(const std::function<Status(const QuarantinedRecord&)>& fn) {
  for (const QuarantinedRecord& q : memory_)
    FH_RETURN_IF_ERROR(fn(q));
  if (!file_) return Status::Ok();
  if (std::fflush(file_.get()) != 0) return FileError("cannot write to");
  std::rewind(file_.get());
  read_back_ = true;
  QuarantinedRecord q;
  for (size_t i = 0; i < spilled_; ++i) {
    int64_t length = 0;
    if (std::fread(&length, sizeof length, 1, file_.get()) != 1 || length < 0) {
      return FileError("cannot read back");
    }
    buffer_.resize(static_cast<size_t>(length));
    if (std::fread(buffer_.data(), 1, buffer_.size(), file_.get()) != buffer_.size()) {
      return FileError("cannot read back");
    }
    if (!Decode(buffer_, q)) return Corruption("quarantine spool: record {} is damaged", i + 1);
    FH_RETURN_IF_ERROR(fn(q));
  }
  return Status::Ok();
}

}  // namespace fh::pipeline
