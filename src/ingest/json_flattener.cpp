#include "ingest/json_flattener.h"

#include <algorithm>
#include <cstring>

#include "common/ascii.h"

namespace fh::ingest {
namespace {

namespace od = simdjson::ondemand;

// More distinct keys than this is not a table: without a cap, a file whose every line
// invents a key would make records of ever more null fields.
constexpr size_t kMaxColumns = 16384;

// RFC 8259 number grammar; simdjson's raw token is only delimited, not checked.
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i == n) return false;
  if (s[i] == '0') {
    ++i;
  } else if (s[i] >= '1' && s[i] <= '9') {
    while (i < n && IsAsciiDigit(s[i]))
      ++i;
  } else {
    return false;
  }
  if (i < n && s[i] == '.') {
    const size_t digits = ++i;
    while (i < n && IsAsciiDigit(s[i]))
      ++i;
    if (i == digits) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t digits = i;
    while (i < n && IsAsciiDigit(s[i]))
      ++i;
    if (i == digits) return false;
  }
  return i == n;
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string_view TypeName(od::json_type type) {
  switch (type) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "a value";
}

std::string_view Describe(simdjson::error_code error) {
  switch (error) {
    case simdjson::UTF8_ERROR:
      return "not valid UTF-8 (JSON must be UTF-8)";
    case simdjson::UNCLOSED_STRING:
      return "unclosed string";
    case simdjson::STRING_ERROR:
      return "invalid string (bad escape or \\u sequence)";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
    case simdjson::INCORRECT_TYPE:
      return "invalid literal (expected true, false or null)";
    case simdjson::NUMBER_ERROR:
      return "invalid number";
    case simdjson::TAPE_ERROR:
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "malformed JSON (a missing or extra comma, colon, brace or bracket)";
    case simdjson::DEPTH_ERROR: {
      // The flattener recurses per level: deeper input is refused, never followed.
      static const std::string too_deep =
          fmt::format("nested more than {} levels deep", JsonFlattener::kMaxDepth);
      return too_deep;
    }
    case simdjson::EMPTY:
      return "empty";
    default:
      return simdjson::error_message(error);
  }
}

// Length of the array or object starting at `begin` (well-formed: checked before).
size_t BracketedLength(const char* begin, const char* end) {
  int64_t depth = 0;
  bool in_string = false;
  for (const char* p = begin; p < end; ++p) {
    const char c = *p;
    if (in_string) {
      if (c == '\\') {
        ++p;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && --depth == 0) {
      return static_cast<size_t>(p + 1 - begin);
    }
  }
  return static_cast<size_t>(end - begin);
}

}  // namespace

JsonFlattener::JsonFlattener(std::string display_name) : display_name_(std::move(display_name)) {}

Status JsonFlattener::Error(const char* where, std::string_view what) {
  int64_t line = line_;
  if (where != nullptr && where >= text_.data() && where <= text_.data() + text_.size()) {
    line += std::count(text_.data(), where, '\n');
  }
  return InvalidArgument("{}:{}: {}", display_name_, line, what);
}

Status JsonFlattener::JsonError(simdjson::error_code error) {
  const char* where = nullptr;
  if (doc_.current_location().get(where) != simdjson::SUCCESS) where = nullptr;
  return Error(where, fmt::format("invalid JSON: {}", Describe(error)));
}

Status JsonFlattener::Append(std::string_view text, int64_t line, int64_t offset,
                             RecordBatch& batch) {
  const size_t needed = text.size() + simdjson::SIMDJSON_PADDING;
  if (padded_capacity_ < needed) {
    padded_capacity_ = std::max(needed, padded_capacity_ * 2);
    padded_ = std::make_unique_for_overwrite<char[]>(padded_capacity_);
  }
  std::memcpy(padded_.get(), text.data(), text.size());
  std::memset(padded_.get() + text.size(), ' ', simdjson::SIMDJSON_PADDING);
  text_ = std::string_view(padded_.get(), text.size());
  line_ = line;
  ++record_;
  values_in_record_ = 0;

  const auto parsed = parser_.iterate(padded_.get(), text.size(), padded_capacity_).get(doc_);
  if (parsed != simdjson::SUCCESS) {
    // The document is not usable to say where: point at the record.
    return Error(nullptr, fmt::format("invalid JSON: {}", Describe(parsed)));
  }
  od::json_type type;
  if (auto error = doc_.type().get(type)) return JsonError(error);
  if (type != od::json_type::object) {
    return Error(text_.data(), fmt::format("expected a JSON object, found {}", TypeName(type)));
  }
  od::object object;
  if (auto error = doc_.get_object().get(object)) return JsonError(error);
  path_.clear();
  size_t fields = 0;
  FH_RETURN_IF_ERROR(Flatten(object, 0, &fields));
  // The iterator has a location only while there is text left.
  const char* rest = nullptr;
  if (doc_.current_location().get(rest) == simdjson::SUCCESS) {
    return Error(rest, "invalid JSON: unexpected text after the object");
  }

  std::vector<std::string>& batch_columns = batch.mutable_columns();
  for (size_t c = batch_columns.size(); c < columns_.size(); ++c)
    batch_columns.push_back(columns_[c]);
  // Trailing absent fields are left out: field() reports them as null all the same.
  size_t count = columns_.size();
  while (count > 0 && (slots_[count - 1].record != record_ || slots_[count - 1].null))
    --count;
  batch.BeginRecord(line, offset);
  for (size_t c = 0; c < count; ++c) {
    const Slot& slot = slots_[c];
    if (slot.record == record_ && !slot.null) {
      batch.AddField(slot.text);
    } else {
      batch.AddNull();
    }
  }
  batch.EndRecord(text);
  return Status::Ok();
}

Status JsonFlattener::Flatten(od::object object, int depth, size_t* fields) {
  for (auto member : object) {
    od::field field;
    if (auto error = std::move(member).get(field)) return JsonError(error);
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return JsonError(error);
    const size_t parent = path_.size();
    if (depth > 0) path_ += '.';
    path_.append(key);
    FH_RETURN_IF_ERROR(AddValue(field.value(), depth));
    path_.resize(parent);
    ++*fields;
  }
  return Status::Ok();
}

Status JsonFlattener::AddValue(Value& value, int depth) {
  od::json_type type;
  if (auto error = value.type().get(type)) return JsonError(error);
  if (type == od::json_type::object) {
    if (depth + 1 >= kMaxDepth) return JsonError(simdjson::DEPTH_ERROR);
    od::object object;
    if (auto error = value.get_object().get(object)) return JsonError(error);
    size_t fields = 0;
    FH_RETURN_IF_ERROR(Flatten(object, depth + 1, &fields));
    // Nothing to flatten, but the key was there: keep it.
    if (fields == 0) return Set("{}", false);
    return Status::Ok();
  }
  if (type == od::json_type::array) {
    const std::string_view token = value.raw_json_token();
    FH_RETURN_IF_ERROR(Check(value, type, depth + 1));
    const char* end = text_.data() + text_.size();
    return Set(std::string_view(token.data(), BracketedLength(token.data(), end)), false);
  }
  std::string_view text;
  bool null = false;
  FH_RETURN_IF_ERROR(ReadScalar(value, type, &text, &null));
  return Set(text, null);
}

Status JsonFlattener::ReadScalar(Value& value, od::json_type type, std::string_view* text,
                                 bool* null) {
  *null = false;
  switch (type) {
    case od::json_type::string:
      if (auto error = value.get_string().get(*text)) return JsonError(error);
      return Status::Ok();
    case od::json_type::number: {
      const std::string_view token = TrimRight(value.raw_json_token());
      if (!IsJsonNumber(token)) {
        return Error(token.data(),
                     fmt::format("invalid JSON: invalid number '{}'", token.substr(0, 64)));
      }
      *text = token;
      return Status::Ok();
    }
    case od::json_type::boolean: {
      bool b = false;
      if (auto error = value.get_bool().get(b)) return JsonError(error);
      *text = b ? "true" : "false";
      return Status::Ok();
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto error = value.is_null().get(is_null)) return JsonError(error);
      if (!is_null) return JsonError(simdjson::N_ATOM_ERROR);
      *null = true;
      return Status::Ok();
    }
    default:
      return JsonError(simdjson::INCORRECT_TYPE);
  }
}

Status JsonFlattener::Check(Value& value, od::json_type type, int depth) {
  if (depth >= kMaxDepth) return JsonError(simdjson::DEPTH_ERROR);
  if (type == od::json_type::array) {
    od::array array;
    if (auto error = value.get_array().get(array)) return JsonError(error);
    for (auto item : array) {
      Value element;
      if (auto error = std::move(item).get(element)) return JsonError(error);
      od::json_type element_type;
      if (auto error = element.type().get(element_type)) return JsonError(error);
      FH_RETURN_IF_ERROR(Check(element, element_type, depth + 1));
    }
    return Status::Ok();
  }
  if (type == od::json_type::object) {
    od::object object;
    if (auto error = value.get_object().get(object)) return JsonError(error);
    for (auto member : object) {
      od::field field;
      if (auto error = std::move(member).get(field)) return JsonError(error);
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return JsonError(error);
      od::json_type member_type;
      if (auto error = field.value().type().get(member_type)) return JsonError(error);
      FH_RETURN_IF_ERROR(Check(field.value(), member_type, depth + 1));
    }
    return Status::Ok();
  }
  std::string_view text;
  bool null = false;
  return ReadScalar(value, type, &text, &null);
}

Status JsonFlattener::Set(std::string_view text, bool null) {
  // Exports repeat one key order: the n-th value of a record usually belongs to the column
  // of the previous record's n-th value, which one comparison confirms without hashing.
  const size_t nth = values_in_record_++;
  if (nth < previous_order_.size()) {
    const size_t guess = previous_order_[nth];
    if (columns_[guess] == path_) {
      slots_[guess] = Slot{record_, null, text};
      return Status::Ok();
    }
  } else {
    previous_order_.resize(nth + 1);
  }
  auto it = index_.find(std::string_view(path_));
  size_t column;
  if (it != index_.end()) {
    column = it->second;
  } else {
    if (columns_.size() >= kMaxColumns) {
      return Error(nullptr,
                   fmt::format("more than {} distinct keys: not a table of records", kMaxColumns));
    }
    column = columns_.size();
    columns_.push_back(path_);
    index_.emplace(path_, column);
    slots_.emplace_back();
  }
  previous_order_[nth] = static_cast<uint32_t>(column);
  slots_[column] = Slot{record_, null, text};
  return Status::Ok();
}

}  // namespace fh::ingest
