#include "connect/opcua/ua_view_services.h"

namespace fh::opcua {

void Write(Writer& w, const BrowseDescription& v) {
  Write(w, v.node_id);
  w.WriteInt32(static_cast<int32_t>(v.direction));
  Write(w, v.reference_type_id);
  w.WriteBoolean(v.include_subtypes);
  w.WriteUInt32(v.node_class_mask);
  w.WriteUInt32(v.result_mask);
}

void Write(Writer& w, const BrowseRequest& v) {
  Write(w, v.header);
  // View: the null ViewDescription (the whole address space, now).
  Write(w, NodeId{});
  Write(w, DateTime{});
  w.WriteUInt32(0);
  w.WriteUInt32(v.requested_max_references_per_node);
  WriteArray(w, v.nodes_to_browse);
}

void Write(Writer& w, const BrowseNextRequest& v) {
  Write(w, v.header);
  w.WriteBoolean(v.release_continuation_points);
  WriteStringArray(w, v.continuation_points);
}

void Write(Writer& w, const ReferenceDescription& v) {
  Write(w, v.reference_type_id);
  w.WriteBoolean(v.is_forward);
  Write(w, v.node_id);
  Write(w, v.browse_name);
  Write(w, v.display_name);
  w.WriteUInt32(static_cast<uint32_t>(v.node_class));
  Write(w, v.type_definition);
}

Status Read(Reader& r, ReferenceDescription* out) {
  FH_RETURN_IF_ERROR(Read(r, &out->reference_type_id));
  FH_RETURN_IF_ERROR(r.ReadBoolean(&out->is_forward, "ReferenceDescription.IsForward"));
  FH_RETURN_IF_ERROR(Read(r, &out->node_id));
  FH_RETURN_IF_ERROR(Read(r, &out->browse_name));
  FH_RETURN_IF_ERROR(Read(r, &out->display_name));
  uint32_t node_class = 0;
  FH_RETURN_IF_ERROR(r.ReadUInt32(&node_class, "ReferenceDescription.NodeClass"));
  out->node_class = static_cast<NodeClass>(node_class);
  return Read(r, &out->type_definition);
}

void Write(Writer& w, const BrowseResult& v) {
  w.WriteUInt32(v.status_code);
  if (v.continuation_point.empty()) {
    w.WriteNullString();
  } else {
    w.WriteString(v.continuation_point);
  }
  WriteArray(w, v.references);
}

Status Read(Reader& r, BrowseResult* out) {
  FH_RETURN_IF_ERROR(r.ReadUInt32(&out->status_code, "BrowseResult.StatusCode"));
  FH_RETURN_IF_ERROR(r.ReadString(&out->continuation_point, "BrowseResult.ContinuationPoint"));
  // The least a ReferenceDescription takes: two 2-byte NodeIds, a Boolean, an
  // ExpandedNodeId, a QualifiedName, a LocalizedText mask, the NodeClass and another id.
  return ReadArray(r, &out->references, 18, "BrowseResult.References");
}

void Write(Writer& w, const BrowseResponse& v) {
  Write(w, v.header);
  WriteArray(w, v.results);
  w.WriteArrayLength(0);
}

Status Read(Reader& r, BrowseResponse* out) {
  FH_RETURN_IF_ERROR(Read(r, &out->header));
  FH_RETURN_IF_ERROR(ReadArray(r, &out->results, 12, "BrowseResponse.Results"));
  return SkipDiagnosticInfos(r);
}

Status Read(Reader& r, BrowseNextResponse* out) {
  FH_RETURN_IF_ERROR(Read(r, &out->header));
  FH_RETURN_IF_ERROR(ReadArray(r, &out->results, 12, "BrowseNextResponse.Results"));
  return SkipDiagnosticInfos(r);
}

void Write(Writer& w, const ReadValueId& v) {
  Write(w, v.node_id);
  w.WriteUInt32(v.attribute_id);
  if (v.index_range.empty()) {
    w.WriteNullString();
  } else {
    w.WriteString(v.index_range);
  }
  w.WriteUInt16(v.data_encoding.namespace_index);
  if (v.data_encoding.name.empty()) {
    w.WriteNullString();
  } else {
    w.WriteString(v.data_encoding.name);
  }
}

void Write(Writer& w, const ReadRequest& v) {
  Write(w, v.header);
  w.WriteDouble(v.max_age_ms);
  w.WriteInt32(static_cast<int32_t>(v.timestamps_to_return));
  WriteArray(w, v.nodes_to_read);
}

Status Write(Writer& w, const ReadResponse& v) {
  Write(w, v.header);
  w.WriteArrayLength(v.results.size());
  for (const auto& dv : v.results)
    FH_RETURN_IF_ERROR(Write(w, dv));
  w.WriteArrayLength(0);
  return Status::Ok();
}

Status Read(Reader& r, ReadResponse* out) {
  FH_RETURN_IF_ERROR(Read(r, &out->header));
  FH_RETURN_IF_ERROR(ReadArray(r, &out->results, 1, "ReadResponse.Results"));
  return SkipDiagnosticInfos(r);
}

}  // namespace fh::opcua
