// Subscriptions (OPC 10000-4 §5.12-5.13): CreateSubscription, CreateMonitoredItems with a
// DataChangeFilter, DeleteSubscriptions, Publish with its acknowledgements and
// NotificationMessage, and Republish of a message the client missed.
//
// A Publish response is the hot path: decoding it into the same PublishResponse again
// reuses its vectors and the DataValues in them, so a steady stream of data changes does
// not allocate per value once the buffers have grown.
#pragma once

#include <cstdint>
#include <vector>

#include "connect/opcua/ua_service_header.h"
#include "connect/opcua/ua_view_services.h"

namespace fh::opcua {

struct CreateSubscriptionRequest {
  static constexpr uint32_t kEncodingId = encoding_id::kCreateSubscriptionRequest;
  RequestHeader header;
  double requested_publishing_interval_ms = 1000;
  uint32_t requested_lifetime_count = 60;  // publishing intervals without a Publish
  uint32_t requested_max_keep_alive_count = 10;
  uint32_t max_notifications_per_publish = 0;  // 0: no limit
  bool publishing_enabled = true;
  uint8_t priority = 0;
};
struct CreateSubscriptionResponse {
  static constexpr uint32_t kEncodingId = encoding_id::kCreateSubscriptionResponse;
  static constexpr std::string_view kService = "CreateSubscription";
  ResponseHeader header;
  uint32_t subscription_id = 0;
  double revised_publishing_interval_ms = 0;
  uint32_t revised_lifetime_count = 0;
  uint32_t revised_max_keep_alive_count = 0;
};

enum class MonitoringMode : int32_t { kDisabled = 0, kSampling = 1, kReporting = 2 };
enum class DataChangeTrigger : int32_t { kStatus = 0, kStatusValue = 1, kStatusValueTimestamp = 2 };
enum class DeadbandType : uint32_t { kNone = 0, kAbsolute = 1, kPercent = 2 };

struct DataChangeFilter {
  DataChangeTrigger trigger = DataChangeTrigger::kStatusValue;
  DeadbandType deadband_type = DeadbandType::kNone;
  double deadband_value = 0;  // absolute units, or percent of the EURange
};
// The filter as the ExtensionObject MonitoringParameters carries.
ExtensionObject EncodeDataChangeFilter(const DataChangeFilter& filter);

struct MonitoredItemCreateRequest {
  ReadValueId item_to_monitor;
  MonitoringMode monitoring_mode = MonitoringMode::kReporting;
  // MonitoringParameters:
  uint32_t client_handle = 0;        // what notifications name the item by
  double sampling_interval_ms = -1;  // -1: the subscription's publishing interval
  ExtensionObject filter;            // none, or EncodeDataChangeFilter(...)
  uint32_t queue_size = 1;
  bool discard_oldest = true;
};
struct MonitoredItemCreateResult {
  StatusCode status_code = kGood;
  uint32_t monitored_item_id = 0;
  double revised_sampling_interval_ms = 0;
  uint32_t revised_queue_size = 0;
  ExtensionObject filter_result;
};

struct CreateMonitoredItemsRequest {
  static constexpr uint32_t kEncodingId = encoding_id::kCreateMonitoredItemsRequest;
  RequestHeader header;
  uint32_t subscription_id = 0;
  TimestampsToReturn timestamps_to_return = TimestampsToReturn::kBoth;
  std::vector<MonitoredItemCreateRequest> items_to_create;
};
struct CreateMonitoredItemsResponse {
  static constexpr uint32_t kEncodingId = encoding_id::kCreateMonitoredItemsResponse;
  static constexpr std::string_view kService = "CreateMonitoredItems";
  ResponseHeader header;
  std::vector<MonitoredItemCreateResult> results;
};

struct DeleteSubscriptionsRequest {
  static constexpr uint32_t kEncodingId = encoding_id::kDeleteSubscriptionsRequest;
  RequestHeader header;
  std::vector<uint32_t> subscription_ids;
};
struct DeleteSubscriptionsResponse {
  static constexpr uint32_t kEncodingId = encoding_id::kDeleteSubscriptionsResponse;
  static constexpr std::string_view kService = "DeleteSubscriptions";
  ResponseHeader header;
  std::vector<StatusCode> results;
};

struct SubscriptionAcknowledgement {
  uint32_t subscription_id = 0;
  uint32_t sequence_number = 0;
  bool operator==(const SubscriptionAcknowledgement&) const = default;
};

struct MonitoredItemNotification {
  uint32_t client_handle = 0;
  DataValue value;
  bool operator==(const MonitoredItemNotification&) const = default;
};

// A NotificationMessage with its NotificationData unpacked: every DataChangeNotification's
// items in order, every StatusChangeNotification's status; other notification types
// (events) are counted and skipped. No notification data at all is a keep-alive.
struct NotificationMessage {
  uint32_t sequence_number = 0;
  DateTime publish_time;
  std::vector<MonitoredItemNotification> data_changes;
  std::vector<StatusCode> status_changes;  // the subscription's new status (e.g. timed out)
  uint32_t other_notifications = 0;
  uint32_t notification_data_count = 0;  // ExtensionObjects in NotificationData

  bool IsKeepAlive() const { return notification_data_count == 0; }
};

struct PublishRequest {
  static constexpr uint32_t kEncodingId = encoding_id::kPublishRequest;
  RequestHeader header;
  std::vector<SubscriptionAcknowledgement> acknowledgements;
};
struct PublishResponse {
  static constexpr uint32_t kEncodingId = encoding_id::kPublishResponse;
  static constexpr std::string_view kService = "Publish";
  ResponseHeader header;
  uint32_t subscription_id = 0;
  std::vector<uint32_t> available_sequence_numbers;
  bool more_notifications = false;
  NotificationMessage notification_message;
  std::vector<StatusCode> results;  // one per acknowledgement sent
};

struct RepublishRequest {
  static constexpr uint32_t kEncodingId = encoding_id::kRepublishRequest;
  RequestHeader header;
  uint32_t subscription_id = 0;
  uint32_t retransmit_sequence_number = 0;
};
struct RepublishResponse {
  static constexpr uint32_t kEncodingId = encoding_id::kRepublishResponse;
  static constexpr std::string_view kService = "Republish";
  ResponseHeader header;
  NotificationMessage notification_message;
};

void Write(Writer& w, const CreateSubscriptionRequest& v);
void Write(Writer& w, const MonitoredItemCreateRequest& v);
void Write(Writer& w, const CreateMonitoredItemsRequest& v);
void Write(Writer& w, const DeleteSubscriptionsRequest& v);
void Write(Writer& w, const SubscriptionAcknowledgement& v);
void Write(Writer& w, const PublishRequest& v);
void Write(Writer& w, const RepublishRequest& v);
// The server's side, for tests and seeds.
void Write(Writer& w, const CreateSubscriptionResponse& v);
void Write(Writer& w, const MonitoredItemCreateResult& v);
void Write(Writer& w, const CreateMonitoredItemsResponse& v);
Status Write(Writer& w, const NotificationMessage& v);
Status Write(Writer& w, const PublishResponse& v);

Status Read(Reader& r, CreateSubscriptionResponse* out);
Status Read(Reader& r, MonitoredItemCreateResult* out);
Status Read(Reader& r, CreateMonitoredItemsResponse* out);
Status Read(Reader& r, DeleteSubscriptionsResponse* out);
Status Read(Reader& r, NotificationMessage* out);
Status Read(Reader& r, PublishResponse* out);
Status Read(Reader& r, RepublishResponse* out);

}  // namespace fh::opcua
