#include "connect/opcua/ua_service_header.h"

namespace fh::opcua {

void Write(Writer& w, const RequestHeader& v) {
  Write(w, v.authentication_token);
  Write(w, v.timestamp);
  w.WriteUInt32(v.request_handle);
  w.WriteUInt32(v.return_diagnostics);
  if (v.audit_entry_id.empty()) {
    w.WriteNullString();
  } else {
    w.WriteString(v.audit_entry_id);
  }
  w.WriteUInt32(v.timeout_hint_ms);
  Write(w, ExtensionObject{});  // AdditionalHeader: none
}

Status Read(Reader& r, ResponseHeader* out) {
  FH_RETURN_IF_ERROR(Read(r, &out->timestamp));
  FH_RETURN_IF_ERROR(r.ReadUInt32(&out->request_handle, "ResponseHeader.RequestHandle"));
  FH_RETURN_IF_ERROR(r.ReadUInt32(&out->service_result, "ResponseHeader.ServiceResult"));
  FH_RETURN_IF_ERROR(SkipDiagnosticInfo(r));
  FH_RETURN_IF_ERROR(ReadStringArray(r, &out->string_table, "ResponseHeader.StringTable"));
  ExtensionObject additional;
  return Read(r, &additional);
}

void Write(Writer& w, const ResponseHeader& v) {
  Write(w, v.timestamp);
  w.WriteUInt32(v.request_handle);
  w.WriteUInt32(v.service_result);
  w.WriteUInt8(0);  // ServiceDiagnostics: empty mask
  WriteStringArray(w, v.string_table);
  Write(w, ExtensionObject{});
}

Status ServiceResultToStatus(StatusCode code, std::string_view service) {
  std::string message = fmt::format("OPC UA {}: {}", service, StatusName(code));
  fh::StatusCode kind = fh::StatusCode::kIOError;
  switch (code & 0xFFFF0000u) {
    case kBadTimeout:
    case kBadTooManyOperations:
    case kBadServerNotConnected:
    case kBadShutdown:
    case kBadCommunicationError:
    case kBadNoCommunication:
    case kBadOutOfMemory:
    case kBadTcpNotEnoughResources:
      kind = fh::StatusCode::kUnavailable;
      break;
    case kBadSessionIdInvalid:
    case kBadSessionClosed:
    case kBadSessionNotActivated:
    case kBadSecureChannelIdInvalid:
    case kBadTcpSecureChannelUnknown:
    case kBadSubscriptionIdInvalid:
    case kBadNoSubscription:
      kind = fh::StatusCode::kFailedPrecondition;
      break;
    case kBadIdentityTokenInvalid:
    case kBadIdentityTokenRejected:
    case kBadSecurityChecksFailed:
    case kBadCertificateInvalid:
    case kBadCertificateUntrusted:
      kind = fh::StatusCode::kUnauthenticated;
      break;
    case kBadUserAccessDenied:
      kind = fh::StatusCode::kPermissionDenied;
      break;
    case kBadNodeIdUnknown:
    case kBadMessageNotAvailable:
      kind = fh::StatusCode::kNotFound;
      break;
    case kBadServiceUnsupported:
      kind = fh::StatusCode::kUnimplemented;
      break;
    case kBadDecodingError:
    case kBadEncodingError:
    case kBadEncodingLimitsExceeded:
    case kBadAttributeIdInvalid:
    case kBadRequestTooLarge:
    case kBadResponseTooLarge:
      kind = fh::StatusCode::kInvalidArgument;
      break;
    default:
      break;
  }
  return Status(kind, std::move(message));
}

Status ReadResponseType(Reader& r, uint32_t expected, std::string_view service) {
  const size_t at = r.offset();
  ExpandedNodeId type;
  FH_RETURN_IF_ERROR(Read(r, &type));
  if (type.node_id.IsNumeric(0, expected)) return Status::Ok();
  if (type.node_id.IsNumeric(0, encoding_id::kServiceFault)) {
    ResponseHeader header;
    FH_RETURN_IF_ERROR(Read(r, &header));
    // A fault whose result is not Bad is malformed; it still failed the call.
    return ServiceResultToStatus(
        IsBad(header.service_result) ? header.service_result : kBadUnexpectedError, service);
  }
  return r.ErrorAt(at, "response type",
                   fmt::format("expected the {} response (i={}), got {}", service, expected,
                               FormatExpandedNodeId(type)));
}

}  // namespace fh::opcua
