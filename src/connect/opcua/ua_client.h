// A synchronous OPC UA client over a secure channel (policy None, or Basic256Sha256 and
// Aes128_Sha256_RsaOaep in modes Sign and SignAndEncrypt, with the client's certificate and
// a trust list of server certificates): a session (CreateSession + ActivateSession,
// anonymous or user name), GetEndpoints, Browse with
// BrowseNext, Read, subscriptions with monitored items, and a Publish loop that keeps
// several Publish requests at the server, acknowledges what it received and Republishes
// what it missed. Blocking calls with timeouts, in the caller's thread; not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "connect/opcua/ua_certificate.h"
#include "connect/opcua/ua_secure_channel.h"
#include "connect/opcua/ua_services.h"
#include "connect/opcua/ua_session_security.h"

namespace fh::opcua {

struct UserIdentity {
  std::string user_name;  // empty: anonymous
  std::string password;
};

struct ClientOptions {
  std::string application_uri = "urn:factoryhub:opcua-client";
  std::string product_uri = "urn:factoryhub";
  std::string application_name = "factoryhub";
  std::string session_name = "factoryhub";
  UserIdentity identity;
  // Policy None by default. Another policy: the certificate's application URI replaces
  // application_uri (the server checks that they agree).
  ClientSecurity security;
  std::chrono::milliseconds request_timeout{10000};
  double session_timeout_ms = 60000;
  // Publish requests kept at the server; more let it answer at once when several
  // subscriptions are due, or a response is on its way while the next is wanted.
  uint32_t publish_requests = 3;
  // Missed notification messages Republish asks for at once; a larger gap is counted lost.
  uint32_t max_republish = 100;
  // References Browse follows through BrowseNext before it stops (a bound against a server
  // that hands out continuation points forever).
  size_t max_browse_references = 100000;
  // References the server returns per Browse/BrowseNext call; 0: the server decides.
  uint32_t browse_references_per_call = 0;
  ChannelOptions channel;
};

// What one call of Publish saw.
struct PublishOutcome {
  bool response = false;    // a Publish response arrived before the timeout
  bool keep_alive = false;  // it carried no notifications
  uint32_t subscription_id = 0;
  uint32_t republished = 0;  // missed messages recovered by Republish
  uint32_t lost = 0;         // missed messages the server no longer had
};

// Called for each notification message in sequence order (republished ones first).
using NotificationHandler =
    std::function<void(uint32_t subscription_id, const NotificationMessage& message)>;

class Client {
 public:
  explicit Client(ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Opens the channel and a session on `endpoint_url` ("opc.tcp://host:port/path"),
  // activated with the options' identity. With a policy other than None: GetEndpoints over
  // a None channel, the endpoint of the policy and mode chosen (NotFound naming what the
  // server offers), its certificate checked against the trust list (an untrusted one is
  // saved in rejected/ and refused: Unauthenticated, untrusted_server_certificate() set),
  // the channel opened with the client's certificate (made on first use in the PKI folder),
  // the server's session signature verified and the client's sent. A password goes in
  // clear where the endpoint's user token policy (or the channel's) is None, and is
  // otherwise encrypted for the server certificate (RSA-OAEP, ua_security_token.h).
  Status Connect(std::string_view endpoint_url);
  bool connected() const { return session_active_ && channel_ && channel_->is_open(); }
  // Closes the session (deleting its subscriptions) and the channel; best effort.
  void Close();

  // The endpoints the server offers (over the connected channel).
  Result<std::vector<EndpointDescription>> GetEndpoints();

  // The references of `node` (BrowseNext until the continuation points run out).
  Result<std::vector<ReferenceDescription>> Browse(const BrowseDescription& description);
  Result<std::vector<ReferenceDescription>> Browse(const NodeId& node);

  // One DataValue per item, in order; a node's own Bad status is in its DataValue.
  Result<std::vector<DataValue>> Read(std::span<const ReadValueId> items,
                                      TimestampsToReturn timestamps = TimestampsToReturn::kBoth);
  Result<std::vector<DataValue>> ReadValues(std::span<const NodeId> nodes);

  Result<CreateSubscriptionResponse> CreateSubscription(const CreateSubscriptionRequest& request);
  // One result per item, in order; an item's own Bad status is in its result.
  Result<std::vector<MonitoredItemCreateResult>> CreateMonitoredItems(
      uint32_t subscription_id, std::vector<MonitoredItemCreateRequest> items,
      TimestampsToReturn timestamps = TimestampsToReturn::kBoth);
  Status DeleteSubscriptions(std::vector<uint32_t> subscription_ids);

  // Tops the Publish requests at the server up to options.publish_requests, then waits up
  // to `timeout` for one response; its notification message (and any missed ones
  // Republish recovered before it) go to `handler`, and are acknowledged with the next
  // Publish. A timeout with no response is not an error (outcome.response is false).
  Result<PublishOutcome> Publish(std::chrono::milliseconds timeout,
                                 const NotificationHandler& handler);

  // The server's session limits, once connected.
  const CreateSessionResponse& session() const { return session_; }
  // The server certificate the last Connect refused because it is not trusted (it is in
  // <pki>/rejected/); nullptr otherwise.
  const Certificate* untrusted_server_certificate() const {
    return untrusted_server_ ? &*untrusted_server_ : nullptr;
  }
  // The secure channel's current token (its id changes with each renewal).
  ChannelSecurityToken channel_token() const {
    return channel_ ? channel_->token() : ChannelSecurityToken{};
  }

 private:
  RequestHeader MakeHeader(uint32_t request_id, std::chrono::milliseconds timeout) const;
  // Sends a request and waits for its response.
  template <typename Request, typename Response>
  Status Call(Request& request, Response* response);
  template <typename Request, typename Response>
  Status CallWithTimeout(Request& request, Response* response, std::chrono::milliseconds timeout);
  // GetEndpoints over None, the endpoint chosen, its certificate checked, the channel open.
  Status OpenSecuredChannel(const SecurityPolicyProfile& policy);
  Status OpenChannelRefused(const Status& opened, const SecurityPolicyProfile& policy) const;
  Status CreateAndActivateSession();
  // CreateSession's ServerSignature and certificate, for a secured channel.
  Status CheckSessionSignature(const CreateSessionRequest& create) const;
  Result<ExtensionObject> MakeIdentityToken() const;
  Status SendPublishRequests();
  Status HandleNotification(uint32_t subscription_id, const NotificationMessage& message,
                            std::span<const uint32_t> available, const NotificationHandler& handler,
                            PublishOutcome* outcome);

  ClientOptions options_;
  EndpointUrl endpoint_;
  std::unique_ptr<SecureChannel> channel_;
  CreateSessionResponse session_;
  bool session_active_ = false;
  bool secured_ = false;                      // a policy other than None
  ApplicationIdentity identity_;              // the client's certificate, when secured_
  EndpointDescription endpoint_description_;  // the chosen one, when secured_
  Certificate server_certificate_;            // its certificate, checked
  std::optional<Certificate> untrusted_server_;
  std::vector<uint8_t> body_;  // reused for requests
  std::vector<uint32_t> publish_in_flight_;
  std::vector<SubscriptionAcknowledgement> pending_acks_;
  std::map<uint32_t, uint32_t> last_sequence_;  // by subscription id
  PublishResponse publish_response_;            // reused: the hot path
  RepublishResponse republish_response_;
  uint32_t publish_limit_ = 0;  // lowered on BadTooManyPublishRequests
};

}  // namespace fh::opcua
