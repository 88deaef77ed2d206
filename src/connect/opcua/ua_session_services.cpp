#include "connect/opcua/ua_session_services.h"

namespace fh::opcua {
namespace session_detail {

template <typename E>
Status ReadEnum(Reader& r, E* out, std::string_view what) {
  int32_t v = 0;
  FH_RETURN_IF_ERROR(r.ReadInt32(&v, what));
  *out = static_cast<E>(v);
  return Status::Ok();
}

// A ByteString that is absent when empty: null, as stacks send for "no certificate".
void WriteOptionalBytes(Writer& w, std::string_view v) {
  if (v.empty()) {
    w.WriteNullString();
  } else {
    w.WriteString(v);
  }
}

}  // namespace session_detail

void Write(Writer& w, const OpenSecureChannelRequest& v) {
  Write(w, v.header);
  w.WriteUInt32(v.client_protocol_version);
  w.WriteInt32(static_cast<int32_t>(v.request_type));
  w.WriteInt32(static_cast<int32_t>(v.security_mode));
  session_detail::WriteOptionalBytes(w, v.client_nonce);
  w.WriteUInt32(v.requested_lifetime_ms);
}

void Write(Writer& w, const OpenSecureChannelResponse& v) {
  Write(w, v.header);
  w.WriteUInt32(v.server_protocol_version);
  w.WriteUInt32(v.token.channel_id);
  w.WriteUInt32(v.token.token_id);
  Write(w, v.token.created_at);
  w.WriteUInt32(v.token.revised_lifetime_ms);
  session_detail::WriteOptionalBytes(w, v.server_nonce);
}

Status Read(Reader& r, OpenSecureChannelResponse* out) {
  FH_RETURN_IF_ERROR(Read(r, &out->header));
  FH_RETURN_IF_ERROR(r.ReadUInt32(&out->server_protocol_version, "ServerProtocolVersion"));
  FH_RETURN_IF_ERROR(r.ReadUInt32(&out->token.channel_id, "SecurityToken.ChannelId"));
  FH_RETURN_IF_ERROR(r.ReadUInt32(&out->token.token_id, "SecurityToken.TokenId"));
  FH_RETURN_IF_ERROR(Read(r, &out->token.created_at));
  FH_RETURN_IF_ERROR(
      r.ReadUInt32(&out->token.revised_lifetime_ms, "SecurityToken.RevisedLifetime"));
  return r.ReadString(&out->server_nonce, "ServerNonce");
}

void Write(Writer& w, const CloseSecureChannelRequest& v) {
  Write(w, v.header);
}

void Write(Writer& w, const ApplicationDescription& v) {
  w.WriteString(v.application_uri);
  w.WriteString(v.product_uri);
  Write(w, v.application_name);
  w.WriteInt32(static_cast<int32_t>(v.application_type));
  session_detail::WriteOptionalBytes(w, v.gateway_server_uri);
  session_detail::WriteOptionalBytes(w, v.discovery_profile_uri);
  WriteStringArray(w, v.discovery_urls);
}

Status Read(Reader& r, ApplicationDescription* out) {
  FH_RETURN_IF_ERROR(r.ReadString(&out->application_uri, "ApplicationDescription.ApplicationUri"));
  FH_RETURN_IF_ERROR(r.ReadString(&out->product_uri, "ApplicationDescription.ProductUri"));
  FH_RETURN_IF_ERROR(Read(r, &out->application_name));
  FH_RETURN_IF_ERROR(session_detail::ReadEnum(r, &out->application_type,
                                              "ApplicationDescription.ApplicationType"));
  FH_RETURN_IF_ERROR(
      r.ReadString(&out->gateway_server_uri, "ApplicationDescription.GatewayServerUri"));
  FH_RETURN_IF_ERROR(
      r.ReadString(&out->discovery_profile_uri, "ApplicationDescription.DiscoveryProfileUri"));
  return ReadStringArray(r, &out->discovery_urls, "ApplicationDescription.DiscoveryUrls");
}

void Write(Writer& w, const UserTokenPolicy& v) {
  w.WriteString(v.policy_id);
  w.WriteInt32(static_cast<int32_t>(v.token_type));
  session_detail::WriteOptionalBytes(w, v.issued_token_type);
  session_detail::WriteOptionalBytes(w, v.issuer_endpoint_url);
  session_detail::WriteOptionalBytes(w, v.security_policy_uri);
}

Status Read(Reader& r, UserTokenPolicy* out) {
  FH_RETURN_IF_ERROR(r.ReadString(&out->policy_id, "UserTokenPolicy.PolicyId"));
  FH_RETURN_IF_ERROR(session_detail::ReadEnum(r, &out->token_type, "UserTokenPolicy.TokenType"));
  FH_RETURN_IF_ERROR(r.ReadString(&out->issued_token_type, "UserTokenPolicy.IssuedTokenType"));
  FH_RETURN_IF_ERROR(r.ReadString(&out->issuer_endpoint_url, "UserTokenPolicy.IssuerEndpointUrl"));
  return r.ReadString(&out->security_policy_uri, "UserTokenPolicy.SecurityPolicyUri");
}

void Write(Writer& w, const EndpointDescription& v) {
  w.WriteString(v.endpoint_url);
  Write(w, v.server);
  session_detail::WriteOptionalBytes(w, v.server_certificate);
  w.WriteInt32(static_cast<int32_t>(v.security_mode));
  w.WriteString(v.security_policy_uri);
  WriteArray(w, v.user_identity_tokens);
  w.WriteString(v.transport_profile_uri);
  w.WriteUInt8(v.security_level);
}

Status Read(Reader& r, EndpointDescription* out) {
  FH_RETURN_IF_ERROR(r.ReadString(&out->endpoint_url, "EndpointDescription.EndpointUrl"));
  FH_RETURN_IF_ERROR(Read(r, &out->server));
  FH_RETURN_IF_ERROR(
      r.ReadString(&out->server_certificate, "EndpointDescription.ServerCertificate"));
  FH_RETURN_IF_ERROR(
      session_detail::ReadEnum(r, &out->security_mode, "EndpointDescription.SecurityMode"));
  FH_RETURN_IF_ERROR(
      r.ReadString(&out->security_policy_uri, "EndpointDescription.SecurityPolicyUri"));
  // A UserTokenPolicy takes at least 4 Int32 lengths and the token type.
  FH_RETURN_IF_ERROR(
      ReadArray(r, &out->user_identity_tokens, 20, "EndpointDescription.UserIdentityTokens"));
  FH_RETURN_IF_ERROR(
      r.ReadString(&out->transport_profile_uri, "EndpointDescription.TransportProfileUri"));
  return r.ReadUInt8(&out->security_level, "EndpointDescription.SecurityLevel");
}

void Write(Writer& w, const GetEndpointsRequest& v) {
  Write(w, v.header);
  w.WriteString(v.endpoint_url);
  WriteStringArray(w, v.locale_ids);
  WriteStringArray(w, v.profile_uris);
}

void Write(Writer& w, const GetEndpointsResponse& v) {
  Write(w, v.header);
  WriteArray(w, v.endpoints);
}

Status Read(Reader& r, GetEndpointsResponse* out) {
  FH_RETURN_IF_ERROR(Read(r, &out->header));
  return ReadArray(r, &out->endpoints, 40, "GetEndpointsResponse.Endpoints");
}

void Write(Writer& w, const SignatureData& v) {
  session_detail::WriteOptionalBytes(w, v.algorithm);
  session_detail::WriteOptionalBytes(w, v.signature);
}

Status Read(Reader& r, SignatureData* out) {
  FH_RETURN_IF_ERROR(r.ReadString(&out->algorithm, "SignatureData.Algorithm"));
  return r.ReadString(&out->signature, "SignatureData.Signature");
}

void Write(Writer& w, const CreateSessionRequest& v) {
  Write(w, v.header);
  Write(w, v.client_description);
  session_detail::WriteOptionalBytes(w, v.server_uri);
  w.WriteString(v.endpoint_url);
  w.WriteString(v.session_name);
  session_detail::WriteOptionalBytes(w, v.client_nonce);
  session_detail::WriteOptionalBytes(w, v.client_certificate);
  w.WriteDouble(v.requested_session_timeout_ms);
  w.WriteUInt32(v.max_response_message_size);
}

void Write(Writer& w, const CreateSessionResponse& v) {
  Write(w, v.header);
  Write(w, v.session_id);
  Write(w, v.authentication_token);
  w.WriteDouble(v.revised_session_timeout_ms);
  session_detail::WriteOptionalBytes(w, v.server_nonce);
  session_detail::WriteOptionalBytes(w, v.server_certificate);
  WriteArray(w, v.server_endpoints);
  w.WriteArrayLength(0);  // ServerSoftwareCertificates
  Write(w, v.server_signature);
  w.WriteUInt32(v.max_request_message_size);
}

Status Read(Reader& r, CreateSessionResponse* out) {
  FH_RETURN_IF_ERROR(Read(r, &out->header));
  FH_RETURN_IF_ERROR(Read(r, &out->session_id));
  FH_RETURN_IF_ERROR(Read(r, &out->authentication_token));
  FH_RETURN_IF_ERROR(r.ReadDouble(&out->revised_session_timeout_ms, "RevisedSessionTimeout"));
  FH_RETURN_IF_ERROR(r.ReadString(&out->server_nonce, "ServerNonce"));
  FH_RETURN_IF_ERROR(r.ReadString(&out->server_certificate, "ServerCertificate"));
  FH_RETURN_IF_ERROR(ReadArray(r, &out->server_endpoints, 40, "ServerEndpoints"));
  // ServerSoftwareCertificates (deprecated, two ByteStrings each): skipped.
  size_t n = 0;
  FH_RETURN_IF_ERROR(r.ReadArrayLength(&n, 8, "ServerSoftwareCertificates"));
  std::string ignored;
  for (size_t i = 0; i < 2 * n; ++i) {
    FH_RETURN_IF_ERROR(r.ReadString(&ignored, "ServerSoftwareCertificates"));
  }
  FH_RETURN_IF_ERROR(Read(r, &out->server_signature));
  return r.ReadUInt32(&out->max_request_message_size, "MaxRequestMessageSize");
}

ExtensionObject MakeAnonymousIdentityToken(std::string_view policy_id) {
  ExtensionObject e;
  e.type_id = NodeId::Numeric(0, encoding_id::kAnonymousIdentityToken);
  e.encoding = 1;
  Writer w(&e.body);
  w.WriteString(policy_id);
  return e;
}

ExtensionObject MakeUserNameIdentityToken(std::string_view policy_id, std::string_view user_name,
                                          std::string_view password,
                                          std::string_view encryption_algorithm) {
  ExtensionObject e;
  e.type_id = NodeId::Numeric(0, encoding_id::kUserNameIdentityToken);
  e.encoding = 1;
  Writer w(&e.body);
  w.WriteString(policy_id);
  w.WriteString(user_name);
  w.WriteString(password);
  session_detail::WriteOptionalBytes(w, encryption_algorithm);
  return e;
}

void Write(Writer& w, const ActivateSessionRequest& v) {
  Write(w, v.header);
  Write(w, v.client_signature);
  w.WriteArrayLength(0);  // ClientSoftwareCertificates
  WriteStringArray(w, v.locale_ids);
  Write(w, v.user_identity_token);
  Write(w, v.user_token_signature);
}

void Write(Writer& w, const ActivateSessionResponse& v) {
  Write(w, v.header);
  session_detail::WriteOptionalBytes(w, v.server_nonce);
  WriteUInt32Array(w, v.results);
  w.WriteArrayLength(0);  // DiagnosticInfos
}

Status Read(Reader& r, ActivateSessionResponse* out) {
  FH_RETURN_IF_ERROR(Read(r, &out->header));
  FH_RETURN_IF_ERROR(r.ReadString(&out->server_nonce, "ServerNonce"));
  FH_RETURN_IF_ERROR(ReadUInt32Array(r, &out->results, "ActivateSessionResponse.Results"));
  return SkipDiagnosticInfos(r);
}

void Write(Writer& w, const CloseSessionRequest& v) {
  Write(w, v.header);
  w.WriteBoolean(v.delete_subscriptions);
}

Status Read(Reader& r, CloseSessionResponse* out) {
  return Read(r, &out->header);
}

}  // namespace fh::opcua
