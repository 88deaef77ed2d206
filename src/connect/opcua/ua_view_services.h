// Finding nodes and reading them (OPC 10000-4 §5.8, §5.10.2): Browse with its continuation
// points, BrowseNext, and Read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "connect/opcua/ua_service_header.h"

namespace fh::opcua {

enum class BrowseDirection : int32_t { kForward = 0, kInverse = 1, kBoth = 2 };

// NodeClass bits (OPC 10000-3 §8.29), also the NodeClassMask of a browse.
enum class NodeClass : uint32_t {
  kUnspecified = 0,
  kObject = 1,
  kVariable = 2,
  kMethod = 4,
  kObjectType = 8,
  kVariableType = 16,
  kReferenceType = 32,
  kDataType = 64,
  kView = 128,
};

// Well-known nodes of namespace 0.
namespace node_ids {
inline constexpr uint32_t kObjectsFolder = 85;
inline constexpr uint32_t kServer = 2253;
inline constexpr uint32_t kServerStatusCurrentTime = 2258;
inline constexpr uint32_t kHierarchicalReferences = 33;
inline constexpr uint32_t kOrganizes = 35;
inline constexpr uint32_t kHasComponent = 47;
}  // namespace node_ids

// Attribute ids (OPC 10000-6 Annex A).
namespace attribute_id {
inline constexpr uint32_t kNodeId = 1;
inline constexpr uint32_t kNodeClass = 2;
inline constexpr uint32_t kBrowseName = 3;
inline constexpr uint32_t kDisplayName = 4;
inline constexpr uint32_t kValue = 13;
inline constexpr uint32_t kDataType = 14;
}  // namespace attribute_id

struct BrowseDescription {
  NodeId node_id;
  BrowseDirection direction = BrowseDirection::kForward;
  NodeId reference_type_id = NodeId::Numeric(0, node_ids::kHierarchicalReferences);
  bool include_subtypes = true;
  uint32_t node_class_mask = 0;  // 0: all classes
  uint32_t result_mask = 0x3F;   // all fields of ReferenceDescription
};

struct ReferenceDescription {
  NodeId reference_type_id;
  bool is_forward = true;
  ExpandedNodeId node_id;
  QualifiedName browse_name;
  LocalizedText display_name;
  NodeClass node_class = NodeClass::kUnspecified;
  ExpandedNodeId type_definition;
};

struct BrowseResult {
  StatusCode status_code = kGood;
  std::string continuation_point;  // empty: no more references
  std::vector<ReferenceDescription> references;
};

struct BrowseRequest {
  static constexpr uint32_t kEncodingId = encoding_id::kBrowseRequest;
  RequestHeader header;
  uint32_t requested_max_references_per_node = 0;  // 0: the server decides
  std::vector<BrowseDescription> nodes_to_browse;
};
struct BrowseResponse {
  static constexpr uint32_t kEncodingId = encoding_id::kBrowseResponse;
  static constexpr std::string_view kService = "Browse";
  ResponseHeader header;
  std::vector<BrowseResult> results;
};

struct BrowseNextRequest {
  static constexpr uint32_t kEncodingId = encoding_id::kBrowseNextRequest;
  RequestHeader header;
  bool release_continuation_points = false;
  std::vector<std::string> continuation_points;
};
struct BrowseNextResponse {
  static constexpr uint32_t kEncodingId = encoding_id::kBrowseNextResponse;
  static constexpr std::string_view kService = "BrowseNext";
  ResponseHeader header;
  std::vector<BrowseResult> results;
};

enum class TimestampsToReturn : int32_t { kSource = 0, kServer = 1, kBoth = 2, kNeither = 3 };

struct ReadValueId {
  NodeId node_id;
  uint32_t attribute_id = attribute_id::kValue;
  std::string index_range;      // empty: the whole value
  QualifiedName data_encoding;  // empty: the default
};

struct ReadRequest {
  static constexpr uint32_t kEncodingId = encoding_id::kReadRequest;
  RequestHeader header;
  double max_age_ms = 0;
  TimestampsToReturn timestamps_to_return = TimestampsToReturn::kBoth;
  std::vector<ReadValueId> nodes_to_read;
};
struct ReadResponse {
  static constexpr uint32_t kEncodingId = encoding_id::kReadResponse;
  static constexpr std::string_view kService = "Read";
  ResponseHeader header;
  std::vector<DataValue> results;
};

void Write(Writer& w, const BrowseDescription& v);
void Write(Writer& w, const BrowseRequest& v);
void Write(Writer& w, const BrowseNextRequest& v);
void Write(Writer& w, const ReadValueId& v);
void Write(Writer& w, const ReadRequest& v);
// The server's side, for tests and seeds.
void Write(Writer& w, const ReferenceDescription& v);
void Write(Writer& w, const BrowseResult& v);
void Write(Writer& w, const BrowseResponse& v);
Status Write(Writer& w, const ReadResponse& v);

Status Read(Reader& r, ReferenceDescription* out);
Status Read(Reader& r, BrowseResult* out);
Status Read(Reader& r, BrowseResponse* out);
Status Read(Reader& r, BrowseNextResponse* out);
Status Read(Reader& r, ReadResponse* out);

}  // namespace fh::opcua
