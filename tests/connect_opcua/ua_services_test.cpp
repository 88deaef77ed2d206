// Service requests and responses: request bytes by hand, responses as a server would
// encode them decoded back, ServiceFault and Bad results as Status, and truncated or
// malformed responses refused.
#include "connect/opcua/ua_services.h"

#include <gtest/gtest.h>

#include "connect_opcua/ua_test_bytes.h"
#include "testing/status_matchers.h"

namespace fh::opcua {
namespace services_test {

using test_bytes::HexBytes;
using test_bytes::ToHex;

template <typename Response>
std::vector<uint8_t> ResponseBody(const Response& response) {
  std::vector<uint8_t> out;
  Writer w(&out);
  Write(w, NodeId::Numeric(0, Response::kEncodingId));
  if constexpr (std::is_same_v<decltype(Write(w, response)), void>) {
    Write(w, response);
  } else {
    EXPECT_OK(Write(w, response));
  }
  return out;
}

ResponseHeader GoodHeader(uint32_t handle) {
  ResponseHeader h;
  h.timestamp = DateTime{134116992000000000};
  h.request_handle = handle;
  return h;
}

TEST(UaServicesTest, ReadRequestBytesByHand) {
  ReadRequest request;
  request.header.request_handle = 7;
  request.header.timeout_hint_ms = 1000;
  request.timestamps_to_return = TimestampsToReturn::kBoth;
  ReadValueId item;
  item.node_id = NodeId::Numeric(0, 2258);
  request.nodes_to_read.push_back(item);
  std::vector<uint8_t> body;
  EncodeRequest(request, &body);
  EXPECT_EQ(ToHex(body),
            ToHex(HexBytes("01 00 77 02"               // ReadRequest_Encoding_DefaultBinary 631
                           " 00 00"                    // AuthenticationToken: null
                           " 00 00 00 00 00 00 00 00"  // Timestamp
                           " 07 00 00 00 00 00 00 00"  // RequestHandle, ReturnDiagnostics
                           " ff ff ff ff"              // AuditEntryId: null
                           " e8 03 00 00 00 00 00"     // TimeoutHint, AdditionalHeader
                           " 00 00 00 00 00 00 00 00"  // MaxAge 0.0
                           " 02 00 00 00"              // TimestampsToReturn Both
                           " 01 00 00 00 01 00 d2 08"  // one ReadValueId: i=2258
                           " 0d 00 00 00 ff ff ff ff"  // AttributeId Value, IndexRange null
                           " 00 00 ff ff ff ff")));    // DataEncoding: null name
}

TEST(UaServicesTest, MonitoredItemWithADeadbandFilter) {
  CreateMonitoredItemsRequest request;
  request.subscription_id = 3;
  MonitoredItemCreateRequest item;
  item.item_to_monitor.node_id = NodeId::String(2, "S");
  item.client_handle = 11;
  item.sampling_interval_ms = 250;
  item.filter =
      EncodeDataChangeFilter({DataChangeTrigger::kStatusValue, DeadbandType::kAbsolute, 0.5});
  item.queue_size = 10;
  item.discard_oldest = true;
  request.items_to_create.push_back(item);
  EXPECT_EQ(ToHex(std::vector<uint8_t>(item.filter.body.begin(), item.filter.body.end())),
            ToHex(HexBytes("01 00 00 00 01 00 00 00 00 00 00 00 00 00 e0 3f")));
  std::vector<uint8_t> body;
  EncodeRequest(request, &body);
  // The item's MonitoringParameters end the body: handle, interval, the filter as an
  // ExtensionObject (i=724, binary, 16 bytes), queue size, discard oldest.
  const auto tail = std::vector<uint8_t>(body.end() - 42, body.end());
  EXPECT_EQ(ToHex(tail), ToHex(HexBytes("0b 00 00 00 00 00 00 00 00 40 6f 40"
                                        " 01 00 d4 02 01 10 00 00 00"
                                        " 01 00 00 00 01 00 00 00 00 00 00 00 00 00 e0 3f"
                                        " 0a 00 00 00 01")));
}

TEST(UaServicesTest, IdentityTokens) {
  const ExtensionObject anonymous = MakeAnonymousIdentityToken("anon");
  EXPECT_TRUE(anonymous.type_id.IsNumeric(0, 321));
  EXPECT_EQ(anonymous.encoding, 1);
  EXPECT_EQ(anonymous.body, std::string("\x04\0\0\0anon", 8));
  const ExtensionObject user = MakeUserNameIdentityToken("u", "bob", "pw", "");
  EXPECT_TRUE(user.type_id.IsNumeric(0, 324));
  EXPECT_EQ(user.body, std::string("\x01\0\0\0u\x03\0\0\0bob\x02\0\0\0pw\xff\xff\xff\xff", 22));
}

TEST(UaServicesTest, OpenSecureChannelResponseDecodes) {
  OpenSecureChannelResponse sent;
  sent.header = GoodHeader(1);
  sent.token = {17, 2, DateTime{134116992000000000}, 600000};
  OpenSecureChannelResponse got;
  ASSERT_OK(DecodeResponse(ResponseBody(sent), &got));
  EXPECT_EQ(got.token.channel_id, 17u);
  EXPECT_EQ(got.token.token_id, 2u);
  EXPECT_EQ(got.token.revised_lifetime_ms, 600000u);
  EXPECT_EQ(got.header.request_handle, 1u);
}

TEST(UaServicesTest, EndpointsAndSessionDecode) {
  EndpointDescription e;
  e.endpoint_url = "opc.tcp://127.0.0.1:4840/x";
  e.server.application_uri = "urn:s";
  e.server.application_name = {"en", "Server"};
  e.server.application_type = ApplicationType::kServer;
  e.server.discovery_urls = {"opc.tcp://127.0.0.1:4840"};
  e.server_certificate = "DER";
  e.security_mode = MessageSecurityMode::kNone;
  e.security_policy_uri = std::string(kSecurityPolicyNoneUri);
  e.user_identity_tokens = {{"anonymous", UserTokenType::kAnonymous, "", "", ""},
                            {"user", UserTokenType::kUserName, "", "",
                             "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256"}};
  e.transport_profile_uri = "http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary";
  e.security_level = 1;

  GetEndpointsResponse endpoints;
  endpoints.header = GoodHeader(2);
  endpoints.endpoints = {e, e};
  GetEndpointsResponse got;
  ASSERT_OK(DecodeResponse(ResponseBody(endpoints), &got));
  ASSERT_EQ(got.endpoints.size(), 2u);
  EXPECT_EQ(got.endpoints[1].server.application_name.text, "Server");
  EXPECT_EQ(got.endpoints[1].user_identity_tokens[1].policy_id, "user");
  EXPECT_EQ(got.endpoints[1].user_identity_tokens[1].token_type, UserTokenType::kUserName);
  EXPECT_EQ(got.endpoints[0].security_level, 1);
  EXPECT_EQ(got.endpoints[0].server_certificate, "DER");

  CreateSessionResponse session;
  session.header = GoodHeader(3);
  session.session_id = NodeId::Numeric(1, 99);
  session.authentication_token = NodeId::Opaque(0, "secret-token");
  session.revised_session_timeout_ms = 30000;
  session.server_nonce = std::string(32, 'n');
  session.server_endpoints = {e};
  session.max_request_message_size = 1 << 20;
  CreateSessionResponse session_got;
  ASSERT_OK(DecodeResponse(ResponseBody(session), &session_got));
  EXPECT_EQ(session_got.authentication_token, session.authentication_token);
  EXPECT_EQ(session_got.revised_session_timeout_ms, 30000);
  EXPECT_EQ(session_got.server_endpoints.size(), 1u);
  EXPECT_EQ(session_got.max_request_message_size, 1u << 20);

  ActivateSessionResponse activate;
  activate.header = GoodHeader(4);
  activate.results = {kGood};
  ActivateSessionResponse activate_got;
  ASSERT_OK(DecodeResponse(ResponseBody(activate), &activate_got));
  EXPECT_EQ(activate_got.results, std::vector<StatusCode>{kGood});
}

TEST(UaServicesTest, ServiceFaultAndBadResultsBecomeStatus) {
  ResponseHeader fault = GoodHeader(5);
  fault.service_result = kBadSessionIdInvalid;
  std::vector<uint8_t> body;
  Writer w(&body);
  Write(w, NodeId::Numeric(0, encoding_id::kServiceFault));
  Write(w, fault);
  ReadResponse read;
  Status s = DecodeResponse(body, &read);
  EXPECT_EQ(s.code(), fh::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "OPC UA Read: BadSessionIdInvalid (0x80250000)");

  ReadResponse bad;
  bad.header = GoodHeader(6);
  bad.header.service_result = kBadTooManyOperations;
  Status t = DecodeResponse(ResponseBody(bad), &read);
  EXPECT_EQ(t.code(), fh::StatusCode::kUnavailable);
  EXPECT_NE(t.message().find("BadTooManyOperations"), std::string::npos);

  // Another response than the one asked for.
  BrowseResponse browse;
  browse.header = GoodHeader(7);
  Status u = DecodeResponse(ResponseBody(browse), &read);
  EXPECT_NE(u.message().find("response type at byte 0: expected the Read response (i=634), got "
                             "i=530"),
            std::string::npos)
      << u.message();
}

TEST(UaServicesTest, BrowseResponseWithContinuationPoint) {
  ReferenceDescription ref;
  ref.reference_type_id = NodeId::Numeric(0, node_ids::kOrganizes);
  ref.node_id = {NodeId::String(2, "Machine"), "", 0};
  ref.browse_name = {2, "Machine"};
  ref.display_name = {"", "Machine"};
  ref.node_class = NodeClass::kObject;
  ref.type_definition = {NodeId::Numeric(0, 58), "", 0};
  BrowseResponse response;
  response.header = GoodHeader(8);
  response.results.push_back({kGood, "cp-1", {ref, ref}});
  BrowseResponse got;
  ASSERT_OK(DecodeResponse(ResponseBody(response), &got));
  ASSERT_EQ(got.results.size(), 1u);
  EXPECT_EQ(got.results[0].continuation_point, "cp-1");
  ASSERT_EQ(got.results[0].references.size(), 2u);
  EXPECT_EQ(got.results[0].references[0].browse_name.name, "Machine");
  EXPECT_EQ(got.results[0].references[0].node_class, NodeClass::kObject);
  EXPECT_EQ(got.results[0].references[0].node_id.node_id, NodeId::String(2, "Machine"));
}

NotificationMessage DataChanges(uint32_t seq, size_t n) {
  NotificationMessage m;
  m.sequence_number = seq;
  m.publish_time = DateTime{134116992000000000};
  for (size_t i = 0; i < n; ++i) {
    MonitoredItemNotification item;
    item.client_handle = static_cast<uint32_t>(i + 1);
    item.value.has_value = true;
    item.value.value = Variant::Of(static_cast<double>(i) * 0.5);
    item.value.has_source_timestamp = true;
    item.value.source_timestamp = DateTime{134116992000000000 + static_cast<int64_t>(i)};
    m.data_changes.push_back(item);
  }
  return m;
}

TEST(UaServicesTest, PublishResponseWithDataAndStatusChanges) {
  PublishResponse response;
  response.header = GoodHeader(9);
  response.subscription_id = 4;
  response.available_sequence_numbers = {5, 6};
  response.notification_message = DataChanges(6, 3);
  response.notification_message.status_changes = {kBadTimeout};
  response.results = {kGood};
  const auto body = ResponseBody(response);
  PublishResponse got;
  ASSERT_OK(DecodeResponse(body, &got));
  EXPECT_EQ(got.subscription_id, 4u);
  EXPECT_EQ(got.available_sequence_numbers, (std::vector<uint32_t>{5, 6}));
  const NotificationMessage& m = got.notification_message;
  EXPECT_EQ(m.sequence_number, 6u);
  EXPECT_FALSE(m.IsKeepAlive());
  EXPECT_EQ(m.notification_data_count, 2u);
  ASSERT_EQ(m.data_changes.size(), 3u);
  EXPECT_EQ(m.data_changes, response.notification_message.data_changes);
  EXPECT_EQ(m.status_changes, std::vector<StatusCode>{kBadTimeout});

  // Every strict prefix is refused, with the place it ran out.
  for (size_t n = 0; n < body.size(); ++n) {
    PublishResponse partial;
    Status s = DecodeResponse(std::span(body.data(), n), &partial);
    ASSERT_FALSE(s.ok()) << n;
    EXPECT_NE(s.message().find("at byte"), std::string::npos) << s.message();
  }
}

TEST(UaServicesTest, KeepAliveAndUnknownNotificationData) {
  PublishResponse keep_alive;
  keep_alive.header = GoodHeader(10);
  keep_alive.subscription_id = 4;
  keep_alive.notification_message.sequence_number = 7;
  PublishResponse got;
  ASSERT_OK(DecodeResponse(ResponseBody(keep_alive), &got));
  EXPECT_TRUE(got.notification_message.IsKeepAlive());
  EXPECT_TRUE(got.notification_message.data_changes.empty());

  // An EventNotificationList is counted and skipped by its length.
  std::vector<uint8_t> body;
  Writer w(&body);
  Write(w, NodeId::Numeric(0, PublishResponse::kEncodingId));
  Write(w, GoodHeader(11));
  w.WriteUInt32(4);
  w.WriteArrayLength(0);
  w.WriteBoolean(false);
  w.WriteUInt32(8);
  Write(w, DateTime{});
  w.WriteArrayLength(1);
  Write(w, ExtensionObject{NodeId::Numeric(0, encoding_id::kEventNotificationList), 1, "events"});
  w.WriteArrayLength(0);
  w.WriteArrayLength(0);
  ASSERT_OK(DecodeResponse(body, &got));
  EXPECT_EQ(got.notification_message.other_notifications, 1u);
  EXPECT_FALSE(got.notification_message.IsKeepAlive());
}

TEST(UaServicesTest, ANotificationLongerOrShorterThanItsLengthIsRefused) {
  PublishResponse response;
  response.header = GoodHeader(12);
  response.notification_message = DataChanges(1, 1);
  auto body = ResponseBody(response);
  // The DataChangeNotification's length field sits after: type id (4), header, sub id,
  // available (4), more (1), seq (4), time (8), array length (4), NodeId (4), encoding (1).
  std::vector<uint8_t> header_bytes = test_bytes::Encoded(response.header);
  const size_t length_at = 4 + header_bytes.size() + 4 + 4 + 1 + 4 + 8 + 4 + 4 + 1;
  body[length_at] += 1;  // one byte longer than the notification
  PublishResponse got;
  Status s = DecodeResponse(body, &got);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("NotificationData.Length"), std::string::npos) << s.message();
}

TEST(UaServicesTest, DecodingPublishResponsesReusesTheirBuffers) {
  PublishResponse response;
  response.header = GoodHeader(13);
  response.notification_message = DataChanges(1, 500);
  const auto body = ResponseBody(response);
  PublishResponse got;
  ASSERT_OK(DecodeResponse(body, &got));
  const auto* items = got.notification_message.data_changes.data();
  ASSERT_OK(DecodeResponse(body, &got));
  EXPECT_EQ(got.notification_message.data_changes.data(), items);
  EXPECT_EQ(got.notification_message.data_changes.size(), 500u);
}

TEST(UaServicesTest, SubscriptionResponsesDecode) {
  CreateSubscriptionResponse sub;
  sub.header = GoodHeader(14);
  sub.subscription_id = 8;
  sub.revised_publishing_interval_ms = 100;
  sub.revised_lifetime_count = 60;
  sub.revised_max_keep_alive_count = 20;
  CreateSubscriptionResponse sub_got;
  ASSERT_OK(DecodeResponse(ResponseBody(sub), &sub_got));
  EXPECT_EQ(sub_got.subscription_id, 8u);
  EXPECT_EQ(sub_got.revised_max_keep_alive_count, 20u);

  CreateMonitoredItemsResponse items;
  items.header = GoodHeader(15);
  items.results = {{kGood, 1, 100, 10, {}}, {kBadNodeIdUnknown, 0, 0, 0, {}}};
  CreateMonitoredItemsResponse items_got;
  ASSERT_OK(DecodeResponse(ResponseBody(items), &items_got));
  ASSERT_EQ(items_got.results.size(), 2u);
  EXPECT_EQ(items_got.results[0].revised_queue_size, 10u);
  EXPECT_EQ(items_got.results[1].status_code, kBadNodeIdUnknown);

  // DeleteSubscriptionsResponse, by hand: header, Results [Good], no DiagnosticInfos.
  std::vector<uint8_t> body;
  Writer w(&body);
  Write(w, NodeId::Numeric(0, DeleteSubscriptionsResponse::kEncodingId));
  Write(w, GoodHeader(16));
  w.WriteArrayLength(1);
  w.WriteUInt32(kGood);
  w.WriteInt32(-1);
  DeleteSubscriptionsResponse deleted;
  ASSERT_OK(DecodeResponse(body, &deleted));
  EXPECT_EQ(deleted.results, std::vector<StatusCode>{kGood});

  // RepublishResponse: header and a NotificationMessage.
  std::vector<uint8_t> rbody;
  Writer rw(&rbody);
  Write(rw, NodeId::Numeric(0, RepublishResponse::kEncodingId));
  Write(rw, GoodHeader(17));
  ASSERT_OK(Write(rw, DataChanges(3, 2)));
  RepublishResponse republished;
  ASSERT_OK(DecodeResponse(rbody, &republished));
  EXPECT_EQ(republished.notification_message.sequence_number, 3u);
  EXPECT_EQ(republished.notification_message.data_changes.size(), 2u);
}

}  // namespace services_test
}  // namespace fh::opcua
