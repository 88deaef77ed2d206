#include "connect/opcua/ua_client.h"

#include <algorithm>
#include <random>

#include "common/time.h"
#include "connect/opcua/ua_cert_trust.h"
#include "connect/opcua/ua_certificate.h"
#include "connect/opcua/ua_security_channel.h"
#include "connect/opcua/ua_security_policy.h"
#include "connect/opcua/ua_security_token.h"

namespace fh::opcua {
namespace client_detail {

inline constexpr StatusCode kBadTooManyPublishRequests = 0x80780000;
// How long Close waits for CloseSession: the connection is going away either way.
inline constexpr std::chrono::milliseconds kCloseTimeout{2000};

// CreateSession's ClientNonce. Policy None needs none, but some servers refuse a session
// whose nonce is shorter than 32 bytes whatever the policy.
std::string RandomNonce() {
  std::random_device device;
  std::string nonce(32, '\0');
  for (char& c : nonce)
    c = static_cast<char>(device() & 0xFF);
  return nonce;
}

bool IsPolicyNone(std::string_view uri) {
  return uri.empty() || uri == kSecurityPolicyNoneUri;
}

}  // namespace client_detail

Client::Client(ClientOptions options) : options_(std::move(options)) {
  options_.channel.request_timeout = options_.request_timeout;
}

Client::~Client() {
  Close();
}

RequestHeader Client::MakeHeader(uint32_t request_id, std::chrono::milliseconds timeout) const {
  RequestHeader h;
  h.authentication_token = session_.authentication_token;
  h.timestamp = DateTime::FromUnixNanos(NowNs());
  h.request_handle = request_id;
  h.timeout_hint_ms = static_cast<uint32_t>(timeout.count());
  return h;
}

template <typename Request, typename Response>
Status Client::CallWithTimeout(Request& request, Response* response,
                               std::chrono::milliseconds timeout) {
  if (!channel_ || !channel_->is_open()) return FailedPrecondition("OPC UA: not connected");
  const uint32_t id = channel_->NextRequestId();
  request.header = MakeHeader(id, timeout);
  EncodeRequest(request, &body_);
  FH_RETURN_IF_ERROR(channel_->Send(id, body_));
  FH_ASSIGN_OR_RETURN(const std::vector<uint8_t> reply,
                      channel_->Receive(id, Clock::now() + timeout));
  return DecodeResponse(reply, response, options_.channel.decode_limits);
}

template <typename Request, typename Response>
Status Client::Call(Request& request, Response* response) {
  return CallWithTimeout(request, response, options_.request_timeout);
}

Status Client::Connect(std::string_view endpoint_url) {
  Close();
  untrusted_server_.reset();
  secured_ = false;
  FH_ASSIGN_OR_RETURN(endpoint_, ParseEndpointUrl(endpoint_url));
  FH_ASSIGN_OR_RETURN(const SecurityPolicyProfile* policy,
                      ResolveSecurityPolicy(options_.security));
  Status s;
  if (policy == nullptr) {
    channel_ = std::make_unique<SecureChannel>(std::make_unique<SecurityNone>(), options_.channel);
    FH_RETURN_IF_ERROR(channel_->Open(endpoint_));
  } else {
    secured_ = true;
    s = OpenSecuredChannel(*policy);
  }
  if (s.ok()) s = CreateAndActivateSession();
  if (!s.ok()) Close();
  return s;
}

Status Client::OpenSecuredChannel(const SecurityPolicyProfile& policy) {
  const std::filesystem::path pki = options_.security.pki_dir;
  const MessageSecurityMode mode = options_.security.mode;
  CertificateOptions certificate_options;
  certificate_options.host = LocalHostName();
  auto identity = LoadOrCreateApplicationIdentity(pki, certificate_options);
  if (!identity.ok()) return identity.status().WithContext("OPC UA: this hub's certificate");
  identity_ = std::move(identity).value();

  // Discovery is allowed over None: the endpoints, with the server certificate of each.
  channel_ = std::make_unique<SecureChannel>(std::make_unique<SecurityNone>(), options_.channel);
  FH_RETURN_IF_ERROR(channel_->Open(endpoint_));
  auto endpoints = GetEndpoints();
  channel_->Close();
  if (!endpoints.ok()) return endpoints.status();
  FH_ASSIGN_OR_RETURN(endpoint_description_,
                      ChooseEndpoint(*endpoints, policy.uri, mode, endpoint_.url));

  const std::string_view der = FirstCertificateDer(endpoint_description_.server_certificate);
  if (der.empty()) {
    return Unauthenticated("OPC UA server {}: its {} {} endpoint has no certificate", endpoint_.url,
                           policy.name, SecurityModeName(mode));
  }
  auto checked = CheckServerCertificate(pki, policy, AsBytes(der), std::chrono::system_clock::now(),
                                        options_.security.refuse_untrusted_server);
  if (!checked.ok()) {
    // Untrusted (the last check, which saves it in rejected/): the caller may offer to trust it.
    if (auto c = Certificate::FromDer(AsBytes(der)); c.ok()) {
      std::error_code ec;
      if (std::filesystem::exists(pki / "rejected" / CertificateFileName(*c), ec)) {
        auto trusted = IsTrustedCertificate(pki, c->thumbprint());
        if (trusted.ok() && !*trusted) untrusted_server_ = *c;
      }
    }
    return checked.status().WithContext(fmt::format("OPC UA server {}", endpoint_.url));
  }
  server_certificate_ = std::move(checked).value();

  FH_ASSIGN_OR_RETURN(std::unique_ptr<ChannelSecurity> security,
                      MakeRsaChannelSecurity(policy, mode, identity_, server_certificate_));
  channel_ = std::make_unique<SecureChannel>(std::move(security), options_.channel);
  Status opened = channel_->Open(endpoint_);
  if (!opened.ok()) return OpenChannelRefused(opened, policy);
  return Status::Ok();
}

Status Client::OpenChannelRefused(const Status& opened, const SecurityPolicyProfile& policy) const {
  if (!channel_->error_message_received()) return opened;
  const std::string own =
      (std::filesystem::path(options_.security.pki_dir) / "own/cert.der").string();
  const StatusCode code = channel_->error_message_code();
  if (IsCertificateRefusal(code)) {
    return Unauthenticated(
        "OPC UA server {}: the server refused this hub's certificate ({}): trust {} on the "
        "server (SHA-1 thumbprint {})",
        endpoint_.url, ShortStatusName(code), own, identity_.certificate.ThumbprintHex());
  }
  if (code != 0) return opened;
  // An Error message we cannot read, in answer to OpenSecureChannel: most likely a refusal.
  return Status(
      opened.code(),
      fmt::format("{} (opening the {} {} channel: if the server refused this hub's "
                  "certificate, trust {} on the server)",
                  opened.message(), policy.name, SecurityModeName(options_.security.mode), own));
}

Status Client::CreateAndActivateSession() {
  CreateSessionRequest create;
  create.client_description.application_uri =
      secured_ ? identity_.application_uri : options_.application_uri;
  create.client_description.product_uri = options_.product_uri;
  create.client_description.application_name.text = options_.application_name;
  create.client_description.application_type = ApplicationType::kClient;
  create.endpoint_url = endpoint_.url;
  create.session_name = options_.session_name;
  create.client_nonce = client_detail::RandomNonce();
  if (secured_) create.client_certificate = std::string(AsChars(identity_.certificate.der()));
  create.requested_session_timeout_ms = options_.session_timeout_ms;
  create.max_response_message_size = options_.channel.max_message_size;
  FH_RETURN_IF_ERROR(Call(create, &session_));

  ActivateSessionRequest activate;
  if (secured_) {
    FH_RETURN_IF_ERROR(CheckSessionSignature(create));
    auto signature =
        MakeClientSignature(identity_.private_key, AsBytes(session_.server_certificate),
                            AsBytes(session_.server_nonce));
    if (!signature.ok()) return signature.status().WithContext("OPC UA ActivateSession signature");
    activate.client_signature.algorithm = signature->algorithm;
    activate.client_signature.signature = std::string(AsChars(signature->signature));
  }
  FH_ASSIGN_OR_RETURN(ExtensionObject token, MakeIdentityToken());
  activate.user_identity_token = std::move(token);
  ActivateSessionResponse activated;
  Status s = Call(activate, &activated);
  if (!s.ok()) {
    if (!options_.identity.user_name.empty() && (s.code() == fh::StatusCode::kPermissionDenied ||
                                                 s.code() == fh::StatusCode::kUnauthenticated)) {
      return Status(s.code(), fmt::format("user '{}' was refused: {}", options_.identity.user_name,
                                          s.message()));
    }
    return s;
  }
  session_active_ = true;
  publish_limit_ = std::max<uint32_t>(1, options_.publish_requests);
  return Status::Ok();
}

Status Client::CheckSessionSignature(const CreateSessionRequest& create) const {
  // The session's certificate is the endpoint's (the one the channel was opened with).
  if (FirstCertificateDer(session_.server_certificate) !=
      FirstCertificateDer(endpoint_description_.server_certificate)) {
    return Unauthenticated(
        "OPC UA server {}: CreateSession returned another server certificate than its "
        "endpoint's",
        endpoint_.url);
  }
  FH_ASSIGN_OR_RETURN(const RsaKey key, server_certificate_.PublicKey());
  TokenSignature signature;
  signature.algorithm = session_.server_signature.algorithm;
  const ByteView bytes = AsBytes(session_.server_signature.signature);
  signature.signature.assign(bytes.begin(), bytes.end());
  Status verified = VerifyTokenSignature(key, AsBytes(create.client_certificate),
                                         AsBytes(create.client_nonce), signature);
  if (!verified.ok()) {
    return Unauthenticated(
        "OPC UA server {}: the server's CreateSession signature does not verify with its "
        "certificate: {}",
        endpoint_.url, verified.message());
  }
  return Status::Ok();
}

Result<ExtensionObject> Client::MakeIdentityToken() const {
  // The token policies of the endpoint this channel uses (policy None, mode None); servers
  // list them per endpoint.
  const UserTokenType wanted =
      options_.identity.user_name.empty() ? UserTokenType::kAnonymous : UserTokenType::kUserName;
  const UserTokenPolicy* plain = nullptr;
  const UserTokenPolicy* encrypted = nullptr;
  std::string unsupported;
  const ChannelSecurity& security = channel_->security();
  for (const auto& e : session_.server_endpoints) {
    if (e.security_policy_uri != security.policy_uri() || e.security_mode != security.mode()) {
      continue;
    }
    for (const auto& p : e.user_identity_tokens) {
      if (p.token_type != wanted) continue;
      if (wanted == UserTokenType::kAnonymous) return MakeAnonymousIdentityToken(p.policy_id);
      // A token policy without a policy of its own is secured by the channel's. A password
      // goes in clear only if that is None; otherwise it is encrypted for the server
      // certificate as the policy says.
      const std::string_view token_policy =
          p.security_policy_uri.empty() ? security.policy_uri() : p.security_policy_uri;
      if (client_detail::IsPolicyNone(token_policy)) {
        if (!plain) plain = &p;
      } else if (FindSecurityPolicyProfile(token_policy) != nullptr) {
        if (!encrypted) encrypted = &p;
      } else {
        unsupported = std::string(token_policy);
      }
    }
  }
  if (wanted == UserTokenType::kAnonymous) {
    return Unauthenticated(
        "OPC UA server {} does not allow anonymous sessions on its {} {} endpoint; configure a "
        "user name",
        endpoint_.url, SecurityPolicyName(security.policy_uri()),
        SecurityModeName(security.mode()));
  }
  const UserIdentity& id = options_.identity;
  if (plain) return MakeUserNameIdentityToken(plain->policy_id, id.user_name, id.password, "");
  if (encrypted) {
    auto certificate =
        Certificate::FromDer(AsBytes(FirstCertificateDer(session_.server_certificate)));
    if (!certificate.ok()) {
      return certificate.status().WithContext(
          "OPC UA: the server certificate, to encrypt the "
          "password for");
    }
    FH_ASSIGN_OR_RETURN(const RsaKey key, certificate->PublicKey());
    FH_ASSIGN_OR_RETURN(const EncryptedSecret secret,
                        EncryptUserPassword(key, id.password, AsBytes(session_.server_nonce)));
    return MakeUserNameIdentityToken(encrypted->policy_id, id.user_name, AsChars(secret.data),
                                     secret.algorithm);
  }
  if (!unsupported.empty()) {
    return Unimplemented(
        "OPC UA server {} wants the password secured by {}, which factoryhub "
        "does not implement",
        endpoint_.url, unsupported);
  }
  return Unauthenticated("OPC UA server {} does not allow user name tokens on its {} {} endpoint",
                         endpoint_.url, SecurityPolicyName(security.policy_uri()),
                         SecurityModeName(security.mode()));
}

void Client::Close() {
  if (channel_ && channel_->is_open() && session_active_) {
    CloseSessionRequest request;
    request.delete_subscriptions = true;
    CloseSessionResponse response;
    (void)CallWithTimeout(request, &response, client_detail::kCloseTimeout).ok();
  }
  if (channel_) channel_->Close();
  session_active_ = false;
  session_ = {};
  publish_in_flight_.clear();
  pending_acks_.clear();
  last_sequence_.clear();
}

Result<std::vector<EndpointDescription>> Client::GetEndpoints() {
  GetEndpointsRequest request;
  request.endpoint_url = endpoint_.url;
  GetEndpointsResponse response;
  FH_RETURN_IF_ERROR(Call(request, &response));
  return std::move(response.endpoints);
}

Result<std::vector<ReferenceDescription>> Client::Browse(const NodeId& node) {
  BrowseDescription d;
  d.node_id = node;
  return Browse(d);
}

Result<std::vector<ReferenceDescription>> Client::Browse(const BrowseDescription& description) {
  BrowseRequest request;
  request.requested_max_references_per_node = options_.browse_references_per_call;
  request.nodes_to_browse.push_back(description);
  BrowseResponse response;
  FH_RETURN_IF_ERROR(Call(request, &response));
  if (response.results.size() != 1) {
    return InvalidArgument("OPC UA Browse: {} results for 1 node", response.results.size());
  }
  BrowseResult result = std::move(response.results[0]);
  std::vector<ReferenceDescription> references;
  for (;;) {
    if (IsBad(result.status_code)) {
      return ServiceResultToStatus(result.status_code, "Browse")
          .WithContext(FormatNodeId(description.node_id));
    }
    std::move(result.references.begin(), result.references.end(), std::back_inserter(references));
    if (result.continuation_point.empty()) return references;
    BrowseNextRequest next;
    next.continuation_points.push_back(std::move(result.continuation_point));
    if (references.size() >= options_.max_browse_references) {
      // Let the server free the continuation point before giving up.
      next.release_continuation_points = true;
      BrowseNextResponse ignored;
      (void)Call(next, &ignored).ok();
      return ResourceExhausted("OPC UA Browse of {}: more than {} references",
                               FormatNodeId(description.node_id), options_.max_browse_references);
    }
    BrowseNextResponse next_response;
    FH_RETURN_IF_ERROR(Call(next, &next_response));
    if (next_response.results.size() != 1) {
      return InvalidArgument("OPC UA BrowseNext: {} results for 1 continuation point",
                             next_response.results.size());
    }
    result = std::move(next_response.results[0]);
  }
}

Result<std::vector<DataValue>> Client::Read(std::span<const ReadValueId> items,
                                            TimestampsToReturn timestamps) {
  ReadRequest request;
  request.timestamps_to_return = timestamps;
  request.nodes_to_read.assign(items.begin(), items.end());
  ReadResponse response;
  FH_RETURN_IF_ERROR(Call(request, &response));
  if (response.results.size() != items.size()) {
    return InvalidArgument("OPC UA Read: {} results for {} nodes", response.results.size(),
                           items.size());
  }
  return std::move(response.results);
}

Result<std::vector<DataValue>> Client::ReadValues(std::span<const NodeId> nodes) {
  std::vector<ReadValueId> items(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i)
    items[i].node_id = nodes[i];
  return Read(items);
}

Result<CreateSubscriptionResponse> Client::CreateSubscription(
    const CreateSubscriptionRequest& request) {
  CreateSubscriptionRequest copy = request;
  CreateSubscriptionResponse response;
  FH_RETURN_IF_ERROR(Call(copy, &response));
  last_sequence_[response.subscription_id] = 0;
  return response;
}

Result<std::vector<MonitoredItemCreateResult>> Client::CreateMonitoredItems(
    uint32_t subscription_id, std::vector<MonitoredItemCreateRequest> items,
    TimestampsToReturn timestamps) {
  CreateMonitoredItemsRequest request;
  request.subscription_id = subscription_id;
  request.timestamps_to_return = timestamps;
  request.items_to_create = std::move(items);
  CreateMonitoredItemsResponse response;
  FH_RETURN_IF_ERROR(Call(request, &response));
  if (response.results.size() != request.items_to_create.size()) {
    return InvalidArgument("OPC UA CreateMonitoredItems: {} results for {} items",
                           response.results.size(), request.items_to_create.size());
  }
  return std::move(response.results);
}

Status Client::DeleteSubscriptions(std::vector<uint32_t> subscription_ids) {
  DeleteSubscriptionsRequest request;
  request.subscription_ids = std::move(subscription_ids);
  DeleteSubscriptionsResponse response;
  FH_RETURN_IF_ERROR(Call(request, &response));
  for (uint32_t id : request.subscription_ids)
    last_sequence_.erase(id);
  std::erase_if(pending_acks_, [&](const SubscriptionAcknowledgement& a) {
    return std::find(request.subscription_ids.begin(), request.subscription_ids.end(),
                     a.subscription_id) != request.subscription_ids.end();
  });
  return Status::Ok();
}

Status Client::SendPublishRequests() {
  while (publish_in_flight_.size() < publish_limit_) {
    PublishRequest request;
    const uint32_t id = channel_->NextRequestId();
    // No timeout hint: a Publish waits at the server until there is something to send or
    // the keep-alive is due.
    request.header = MakeHeader(id, std::chrono::milliseconds(0));
    request.acknowledgements = std::move(pending_acks_);
    pending_acks_.clear();
    EncodeRequest(request, &body_);
    Status s = channel_->Send(id, body_);
    if (!s.ok()) {
      // Not acknowledged after all: the next request carries them.
      pending_acks_ = std::move(request.acknowledgements);
      return s;
    }
    publish_in_flight_.push_back(id);
  }
  return Status::Ok();
}

Result<PublishOutcome> Client::Publish(std::chrono::milliseconds timeout,
                                       const NotificationHandler& handler) {
  if (!connected()) return FailedPrecondition("OPC UA: not connected");
  // The token is renewed here too: with every Publish request at the server, a client
  // that only waits sends nothing else for a while.
  FH_RETURN_IF_ERROR(channel_->RenewIfDue());
  FH_RETURN_IF_ERROR(SendPublishRequests());
  PublishOutcome outcome;
  uint32_t which = 0;
  auto reply = channel_->ReceiveAny(publish_in_flight_, Clock::now() + timeout, &which);
  if (!reply.ok()) {
    // A response that came as an aborted message is no longer in flight either.
    if (which != 0) std::erase(publish_in_flight_, which);
    if (reply.status().code() == fh::StatusCode::kUnavailable && channel_->is_open()) {
      return outcome;  // nothing due yet
    }
    return reply.status();
  }
  std::erase(publish_in_flight_, which);
  outcome.response = true;

  // Publish's failures that the loop rides out (BadTimeout, BadTooManyPublishRequests)
  // come as ServiceFaults, so the type is looked at here rather than in DecodeResponse.
  Reader r(*reply, options_.channel.decode_limits);
  ExpandedNodeId type;
  FH_RETURN_IF_ERROR(opcua::Read(r, &type));
  StatusCode result = kGood;
  if (type.node_id.IsNumeric(0, encoding_id::kServiceFault)) {
    ResponseHeader header;
    FH_RETURN_IF_ERROR(opcua::Read(r, &header));
    result = IsBad(header.service_result) ? header.service_result : kBadUnexpectedError;
  } else if (type.node_id.IsNumeric(0, PublishResponse::kEncodingId)) {
    FH_RETURN_IF_ERROR(opcua::Read(r, &publish_response_));
    result = publish_response_.header.service_result;
  } else {
    return r.ErrorAt(
        0, "response type",
        fmt::format("expected the Publish response, got {}", FormatExpandedNodeId(type)));
  }
  if (IsBad(result)) {
    switch (result & 0xFFFF0000u) {
      case client_detail::kBadTooManyPublishRequests:
        // The server holds fewer at once than asked: keep to what it holds.
        publish_limit_ = std::max<uint32_t>(1, static_cast<uint32_t>(publish_in_flight_.size()));
        return outcome;
      case kBadTimeout:
        return outcome;  // the request waited too long at the server; the next replaces it
      default:
        return ServiceResultToStatus(result, "Publish");
    }
  }
  outcome.subscription_id = publish_response_.subscription_id;
  outcome.keep_alive = publish_response_.notification_message.IsKeepAlive();
  FH_RETURN_IF_ERROR(
      HandleNotification(publish_response_.subscription_id, publish_response_.notification_message,
                         publish_response_.available_sequence_numbers, handler, &outcome));
  return outcome;
}

Status Client::HandleNotification(uint32_t subscription_id, const NotificationMessage& message,
                                  std::span<const uint32_t> available,
                                  const NotificationHandler& handler, PublishOutcome* outcome) {
  const uint32_t seq = message.sequence_number;
  // A keep-alive carries the sequence number the next notification message will have.
  // A data message with sequence number seq and a keep-alive announcing seq both mean
  // that seq - 1 was the last one sent before.
  const uint32_t expected_now = seq;
  if (expected_now == 0) {
    // Sequence numbers start at 1: a keep-alive saying 0 tells nothing, data with 0 is wrong.
    if (message.IsKeepAlive()) return Status::Ok();
    return InvalidArgument("OPC UA Publish: a notification message with sequence number 0");
  }
  // A subscription this client created starts at 0 (its first message is 1); one it has
  // not seen before (created by another session) starts where it is first seen.
  auto [it, first] = last_sequence_.try_emplace(subscription_id, expected_now - 1);
  const uint32_t last = it->second;
  if (!first && expected_now > last + 1) {
    // Messages last+1 .. expected_now-1 never reached the client: ask for the latest of
    // them again (at most max_republish), oldest first, where the server still has them
    // (AvailableSequenceNumbers); the others are lost.
    const uint32_t gap = expected_now - last - 1;
    const uint32_t tried = std::min(gap, options_.max_republish);
    outcome->lost += gap - tried;
    for (uint32_t missing = expected_now - tried; missing < expected_now; ++missing) {
      if (std::find(available.begin(), available.end(), missing) == available.end()) {
        ++outcome->lost;
        continue;
      }
      RepublishRequest request;
      request.subscription_id = subscription_id;
      request.retransmit_sequence_number = missing;
      Status s = Call(request, &republish_response_);
      if (!s.ok()) {
        if (s.code() == fh::StatusCode::kNotFound) {  // BadMessageNotAvailable
          ++outcome->lost;
          continue;
        }
        return s;
      }
      ++outcome->republished;
      if (handler) handler(subscription_id, republish_response_.notification_message);
      pending_acks_.push_back({subscription_id, missing});
    }
  }
  if (message.IsKeepAlive()) {
    if (seq - 1 > it->second) it->second = seq - 1;
    return Status::Ok();
  }
  if (handler) handler(subscription_id, message);
  pending_acks_.push_back({subscription_id, seq});
  if (seq > it->second) it->second = seq;
  return Status::Ok();
}

}  // namespace fh::opcua
