// The services that set up a connection (OPC 10000-4 §5.4-5.6): the secure channel's
// OpenSecureChannel and CloseSecureChannel, GetEndpoints, and the session's CreateSession,
// ActivateSession (with the anonymous and user name identity tokens) and CloseSession.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "connect/opcua/ua_channel_security.h"
#include "connect/opcua/ua_service_header.h"

namespace fh::opcua {

enum class SecurityTokenRequestType : int32_t { kIssue = 0, kRenew = 1 };

struct OpenSecureChannelRequest {
  static constexpr uint32_t kEncodingId = encoding_id::kOpenSecureChannelRequest;
  RequestHeader header;
  uint32_t client_protocol_version = 0;
  SecurityTokenRequestType request_type = SecurityTokenRequestType::kIssue;
  MessageSecurityMode security_mode = MessageSecurityMode::kNone;
  std::string client_nonce;
  uint32_t requested_lifetime_ms = 3600000;
};
struct ChannelSecurityToken {
  uint32_t channel_id = 0;
  uint32_t token_id = 0;
  DateTime created_at;
  uint32_t revised_lifetime_ms = 0;
};
struct OpenSecureChannelResponse {
  static constexpr uint32_t kEncodingId = encoding_id::kOpenSecureChannelResponse;
  static constexpr std::string_view kService = "OpenSecureChannel";
  ResponseHeader header;
  uint32_t server_protocol_version = 0;
  ChannelSecurityToken token;
  std::string server_nonce;
};

struct CloseSecureChannelRequest {
  static constexpr uint32_t kEncodingId = encoding_id::kCloseSecureChannelRequest;
  RequestHeader header;
};

enum class ApplicationType : int32_t {
  kServer = 0,
  kClient = 1,
  kClientAndServer = 2,
  kDiscoveryServer = 3
};

struct ApplicationDescription {
  std::string application_uri;
  std::string product_uri;
  LocalizedText application_name;
  ApplicationType application_type = ApplicationType::kClient;
  std::string gateway_server_uri;
  std::string discovery_profile_uri;
  std::vector<std::string> discovery_urls;
};

enum class UserTokenType : int32_t {
  kAnonymous = 0,
  kUserName = 1,
  kCertificate = 2,
  kIssuedToken = 3
};

struct UserTokenPolicy {
  std::string policy_id;
  UserTokenType token_type = UserTokenType::kAnonymous;
  std::string issued_token_type;
  std::string issuer_endpoint_url;
  // The policy that secures the token; empty: the endpoint's.
  std::string security_policy_uri;
};

struct EndpointDescription {
  std::string endpoint_url;
  ApplicationDescription server;
  std::string server_certificate;  // DER
  MessageSecurityMode security_mode = MessageSecurityMode::kInvalid;
  std::string security_policy_uri;
  std::vector<UserTokenPolicy> user_identity_tokens;
  std::string transport_profile_uri;
  uint8_t security_level = 0;
};

struct GetEndpointsRequest {
  static constexpr uint32_t kEncodingId = encoding_id::kGetEndpointsRequest;
  RequestHeader header;
  std::string endpoint_url;
  std::vector<std::string> locale_ids;
  std::vector<std::string> profile_uris;
};
struct GetEndpointsResponse {
  static constexpr uint32_t kEncodingId = encoding_id::kGetEndpointsResponse;
  static constexpr std::string_view kService = "GetEndpoints";
  ResponseHeader header;
  std::vector<EndpointDescription> endpoints;
};

struct SignatureData {
  std::string algorithm;
  std::string signature;
};

struct CreateSessionRequest {
  static constexpr uint32_t kEncodingId = encoding_id::kCreateSessionRequest;
  RequestHeader header;
  ApplicationDescription client_description;
  std::string server_uri;
  std::string endpoint_url;
  std::string session_name;
  std::string client_nonce;        // 32 random bytes unless the policy is None
  std::string client_certificate;  // DER; empty for None
  double requested_session_timeout_ms = 60000;
  uint32_t max_response_message_size = 0;  // 0: no limit
};
struct CreateSessionResponse {
  static constexpr uint32_t kEncodingId = encoding_id::kCreateSessionResponse;
  static constexpr std::string_view kService = "CreateSession";
  ResponseHeader header;
  NodeId session_id;
  NodeId authentication_token;
  double revised_session_timeout_ms = 0;
  std::string server_nonce;
  std::string server_certificate;
  std::vector<EndpointDescription> server_endpoints;
  SignatureData server_signature;
  uint32_t max_request_message_size = 0;
};

// The identity tokens, as the ExtensionObjects ActivateSession carries.
ExtensionObject MakeAnonymousIdentityToken(std::string_view policy_id);
// `password` is given as it is to be sent: plain UTF-8 with an empty `encryption_algorithm`
// (allowed only when the token's policy is None), or already encrypted by the caller.
ExtensionObject MakeUserNameIdentityToken(std::string_view policy_id, std::string_view user_name,
                                          std::string_view password,
                                          std::string_view encryption_algorithm);

struct ActivateSessionRequest {
  static constexpr uint32_t kEncodingId = encoding_id::kActivateSessionRequest;
  RequestHeader header;
  SignatureData client_signature;
  std::vector<std::string> locale_ids;
  ExtensionObject user_identity_token;
  SignatureData user_token_signature;
};
struct ActivateSessionResponse {
  static constexpr uint32_t kEncodingId = encoding_id::kActivateSessionResponse;
  static constexpr std::string_view kService = "ActivateSession";
  ResponseHeader header;
  std::string server_nonce;
  std::vector<StatusCode> results;
};

struct CloseSessionRequest {
  static constexpr uint32_t kEncodingId = encoding_id::kCloseSessionRequest;
  RequestHeader header;
  bool delete_subscriptions = true;
};
struct CloseSessionResponse {
  static constexpr uint32_t kEncodingId = encoding_id::kCloseSessionResponse;
  static constexpr std::string_view kService = "CloseSession";
  ResponseHeader header;
};

void Write(Writer& w, const OpenSecureChannelRequest& v);
void Write(Writer& w, const CloseSecureChannelRequest& v);
void Write(Writer& w, const ApplicationDescription& v);
void Write(Writer& w, const GetEndpointsRequest& v);
void Write(Writer& w, const SignatureData& v);
void Write(Writer& w, const CreateSessionRequest& v);
void Write(Writer& w, const ActivateSessionRequest& v);
void Write(Writer& w, const CloseSessionRequest& v);
// The server's side, for tests and seeds.
void Write(Writer& w, const OpenSecureChannelResponse& v);
void Write(Writer& w, const UserTokenPolicy& v);
void Write(Writer& w, const EndpointDescription& v);
void Write(Writer& w, const GetEndpointsResponse& v);
void Write(Writer& w, const CreateSessionResponse& v);
void Write(Writer& w, const ActivateSessionResponse& v);

Status Read(Reader& r, OpenSecureChannelResponse* out);
Status Read(Reader& r, ApplicationDescription* out);
Status Read(Reader& r, UserTokenPolicy* out);
Status Read(Reader& r, EndpointDescription* out);
Status Read(Reader& r, GetEndpointsResponse* out);
Status Read(Reader& r, SignatureData* out);
Status Read(Reader& r, CreateSessionResponse* out);
Status Read(Reader& r, ActivateSessionResponse* out);
Status Read(Reader& r, CloseSessionResponse* out);

}  // namespace fh::opcua
