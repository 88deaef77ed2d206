// What every service message shares (OPC 10000-4 §7.33, §7.34): the RequestHeader and
// ResponseHeader, the ServiceFault a server answers with instead of a response, the
// numeric ids of the messages' binary encodings (OPC 10000-6 §5.2.9: a message body is the
// encoding's NodeId followed by the structure), and how a ServiceResult becomes a Status.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "connect/opcua/status_code.h"
#include "connect/opcua/ua_binary.h"
#include "connect/opcua/ua_types.h"

namespace fh::opcua {

// The ..._Encoding_DefaultBinary ids of namespace 0 (NodeIds.csv).
namespace encoding_id {
inline constexpr uint32_t kServiceFault = 397;
inline constexpr uint32_t kGetEndpointsRequest = 428;
inline constexpr uint32_t kGetEndpointsResponse = 431;
inline constexpr uint32_t kOpenSecureChannelRequest = 446;
inline constexpr uint32_t kOpenSecureChannelResponse = 449;
inline constexpr uint32_t kCloseSecureChannelRequest = 452;
inline constexpr uint32_t kCloseSecureChannelResponse = 455;
inline constexpr uint32_t kCreateSessionRequest = 461;
inline constexpr uint32_t kCreateSessionResponse = 464;
inline constexpr uint32_t kActivateSessionRequest = 467;
inline constexpr uint32_t kActivateSessionResponse = 470;
inline constexpr uint32_t kCloseSessionRequest = 473;
inline constexpr uint32_t kCloseSessionResponse = 476;
inline constexpr uint32_t kBrowseRequest = 527;
inline constexpr uint32_t kBrowseResponse = 530;
inline constexpr uint32_t kBrowseNextRequest = 533;
inline constexpr uint32_t kBrowseNextResponse = 536;
inline constexpr uint32_t kReadRequest = 631;
inline constexpr uint32_t kReadResponse = 634;
inline constexpr uint32_t kCreateMonitoredItemsRequest = 751;
inline constexpr uint32_t kCreateMonitoredItemsResponse = 754;
inline constexpr uint32_t kCreateSubscriptionRequest = 787;
inline constexpr uint32_t kCreateSubscriptionResponse = 790;
inline constexpr uint32_t kPublishRequest = 826;
inline constexpr uint32_t kPublishResponse = 829;
inline constexpr uint32_t kRepublishRequest = 832;
inline constexpr uint32_t kRepublishResponse = 835;
inline constexpr uint32_t kDeleteSubscriptionsRequest = 847;
inline constexpr uint32_t kDeleteSubscriptionsResponse = 850;
// Structures carried in ExtensionObjects.
inline constexpr uint32_t kAnonymousIdentityToken = 321;
inline constexpr uint32_t kUserNameIdentityToken = 324;
inline constexpr uint32_t kDataChangeFilter = 724;
inline constexpr uint32_t kDataChangeNotification = 811;
inline constexpr uint32_t kStatusChangeNotification = 820;
inline constexpr uint32_t kEventNotificationList = 916;
}  // namespace encoding_id

struct RequestHeader {
  NodeId authentication_token;  // null before CreateSession
  DateTime timestamp;
  uint32_t request_handle = 0;
  uint32_t return_diagnostics = 0;
  std::string audit_entry_id;
  uint32_t timeout_hint_ms = 0;  // 0: no timeout hint
};

struct ResponseHeader {
  DateTime timestamp;
  uint32_t request_handle = 0;
  StatusCode service_result = kGood;
  std::vector<std::string> string_table;
};

void Write(Writer& w, const RequestHeader& v);
Status Read(Reader& r, ResponseHeader* out);
// For tests and the fuzzer's seeds: the server's side.
void Write(Writer& w, const ResponseHeader& v);

// A ServiceResult or operation result as a Status: "OPC UA Read: BadNodeIdUnknown
// (0x80340000)", its code chosen by what the caller can do about it (Unavailable: retry;
// FailedPrecondition: the session or channel is gone, reconnect; NotFound, PermissionDenied,
// Unauthenticated, InvalidArgument, ...).
Status ServiceResultToStatus(StatusCode code, std::string_view service);

// Encodes a request message body: the request's encoding NodeId, then the request.
// Request types have kEncodingId and a Write(Writer&, const Request&) overload.
template <typename Request>
void EncodeRequest(const Request& request, std::vector<uint8_t>* body) {
  body->clear();
  Writer w(body);
  Write(w, NodeId::Numeric(0, Request::kEncodingId));
  Write(w, request);
}

// Reads a response body's encoding NodeId. A ServiceFault is read and returned as the
// Status of its ServiceResult; any other id than `expected` is an error naming both.
Status ReadResponseType(Reader& r, uint32_t expected, std::string_view service);

// Decodes a response message body into *out (reusing its buffers): the type, the response,
// then the ServiceResult, Bad giving its Status. Response types have kEncodingId, kService
// ("Read") and a Read(Reader&, Response*) overload.
template <typename Response>
Status DecodeResponse(std::span<const uint8_t> body, Response* out,
                      const DecodeLimits& limits = {}) {
  Reader r(body, limits);
  FH_RETURN_IF_ERROR(ReadResponseType(r, Response::kEncodingId, Response::kService));
  FH_RETURN_IF_ERROR(Read(r, out));
  if (IsBad(out->header.service_result)) {
    return ServiceResultToStatus(out->header.service_result, Response::kService);
  }
  return Status::Ok();
}

}  // namespace fh::opcua
