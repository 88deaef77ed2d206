// How an MQTT message becomes points: the topic matched against a template whose {names}
// stand for one level each ("plant/{line}/{machine}/{signal}", subscribed as
// "plant/+/+/+"), the tag named by a second template over those names
// ("{line}.{machine}.{signal}"), and the value (and time) read from the payload: a number
// as text, or JSON with dotted paths ("value", "data.temp"). With {field} in the tag
// template, every number of the JSON object at `value` is a point, {field} its key:
// {"temperature": 71.5, "speed": 1480} from "plant/l2/m7" gives l2.m7.temperature and
// l2.m7.speed. Values follow line protocol's rules (src/ingest/line_protocol.cpp) in every
// mode: booleans are 1 and 0, NaN and infinities are refused, surrounding white space is
// ignored, a number as text may have one leading sign.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/sample.h"

namespace fh::connect {

struct TopicMappingSpec {
  std::string topic;            // template
  std::string tag;              // template; empty: the topic itself
  bool json = true;             // false: the payload is a number as text
  std::string value = "value";  // JSON: dotted path of the number (or of the object, with
                                // {field}); "" is the whole payload
  std::string time;             // JSON: dotted path of the time, RFC 3339 text or epoch
                                // milliseconds; empty: the time of arrival
};

class TopicMapping {
 public:
  // Checks the templates: {names} are whole levels, the tag uses only the topic's names
  // (and {field}).
  static Result<TopicMapping> Make(TopicMappingSpec spec);

  // The subscription filter: each {name} becomes '+'.
  const std::string& filter() const { return filter_; }
  const TopicMappingSpec& spec() const { return spec_; }

  // Whether `topic` matches the template.
  bool Matches(std::string_view topic) const;
  // Appends the message's points to `batch` (nothing on error): why it cannot, otherwise.
  // Adds to *skipped the members of a {field} object that are not numbers (text, null,
  // nested), which a stored message leaves out.
  std::string Decode(std::string_view topic, std::string_view payload, TimestampNs arrival,
                     SampleBatch& batch, int64_t* skipped = nullptr) const;

 private:
  // The topic's level for each template name, in template order; false if no match.
  bool Bind(std::string_view topic, std::vector<std::string_view>* values) const;
  std::string TagName(const std::vector<std::string_view>& values, std::string_view field) const;

  TopicMappingSpec spec_;
  std::string filter_;
  std::vector<std::string> levels_;  // the template's levels; "{x}" for a name
  std::vector<std::string> names_;   // in order of appearance
  bool per_field_ = false;
};

}  // namespace fh::connect
