#include "connect/opcua/ua_subscription_services.h"

namespace fh::opcua {
namespace subscription_detail {

// The least bytes a MonitoredItemNotification takes: the handle and a DataValue's mask.
constexpr size_t kMinItemNotificationSize = 5;

// Reads a DataChangeNotification's items, appending them at data_changes[*used...] and
// reusing the elements already there.
Status ReadDataChangeNotification(Reader& r, NotificationMessage* out, size_t* used) {
  size_t n = 0;
  FH_RETURN_IF_ERROR(
      r.ReadArrayLength(&n, kMinItemNotificationSize, "DataChangeNotification.MonitoredItems"));
  auto& items = out->data_changes;
  if (items.size() < *used + n) items.resize(*used + n);
  for (size_t i = 0; i < n; ++i) {
    MonitoredItemNotification& item = items[*used + i];
    FH_RETURN_IF_ERROR(r.ReadUInt32(&item.client_handle, "MonitoredItemNotification.ClientHandle"));
    FH_RETURN_IF_ERROR(Read(r, &item.value));
  }
  *used += n;
  return SkipDiagnosticInfos(r);
}

}  // namespace subscription_detail

ExtensionObject EncodeDataChangeFilter(const DataChangeFilter& filter) {
  ExtensionObject e;
  e.type_id = NodeId::Numeric(0, encoding_id::kDataChangeFilter);
  e.encoding = 1;
  Writer w(&e.body);
  w.WriteInt32(static_cast<int32_t>(filter.trigger));
  w.WriteUInt32(static_cast<uint32_t>(filter.deadband_type));
  w.WriteDouble(filter.deadband_value);
  return e;
}

void Write(Writer& w, const CreateSubscriptionRequest& v) {
  Write(w, v.header);
  w.WriteDouble(v.requested_publishing_interval_ms);
  w.WriteUInt32(v.requested_lifetime_count);
  w.WriteUInt32(v.requested_max_keep_alive_count);
  w.WriteUInt32(v.max_notifications_per_publish);
  w.WriteBoolean(v.publishing_enabled);
  w.WriteUInt8(v.priority);
}

void Write(Writer& w, const CreateSubscriptionResponse& v) {
  Write(w, v.header);
  w.WriteUInt32(v.subscription_id);
  w.WriteDouble(v.revised_publishing_interval_ms);
  w.WriteUInt32(v.revised_lifetime_count);
  w.WriteUInt32(v.revised_max_keep_alive_count);
}

Status Read(Reader& r, CreateSubscriptionResponse* out) {
  FH_RETURN_IF_ERROR(Read(r, &out->header));
  FH_RETURN_IF_ERROR(r.ReadUInt32(&out->subscription_id, "SubscriptionId"));
  FH_RETURN_IF_ERROR(
      r.ReadDouble(&out->revised_publishing_interval_ms, "RevisedPublishingInterval"));
  FH_RETURN_IF_ERROR(r.ReadUInt32(&out->revised_lifetime_count, "RevisedLifetimeCount"));
  return r.ReadUInt32(&out->revised_max_keep_alive_count, "RevisedMaxKeepAliveCount");
}

void Write(Writer& w, const MonitoredItemCreateRequest& v) {
  Write(w, v.item_to_monitor);
  w.WriteInt32(static_cast<int32_t>(v.monitoring_mode));
  w.WriteUInt32(v.client_handle);
  w.WriteDouble(v.sampling_interval_ms);
  Write(w, v.filter);
  w.WriteUInt32(v.queue_size);
  w.WriteBoolean(v.discard_oldest);
}

void Write(Writer& w, const CreateMonitoredItemsRequest& v) {
  Write(w, v.header);
  w.WriteUInt32(v.subscription_id);
  w.WriteInt32(static_cast<int32_t>(v.timestamps_to_return));
  WriteArray(w, v.items_to_create);
}

void Write(Writer& w, const MonitoredItemCreateResult& v) {
  w.WriteUInt32(v.status_code);
  w.WriteUInt32(v.monitored_item_id);
  w.WriteDouble(v.revised_sampling_interval_ms);
  w.WriteUInt32(v.revised_queue_size);
  Write(w, v.filter_result);
}

Status Read(Reader& r, MonitoredItemCreateResult* out) {
  FH_RETURN_IF_ERROR(r.ReadUInt32(&out->status_code, "MonitoredItemCreateResult.StatusCode"));
  FH_RETURN_IF_ERROR(
      r.ReadUInt32(&out->monitored_item_id, "MonitoredItemCreateResult.MonitoredItemId"));
  FH_RETURN_IF_ERROR(r.ReadDouble(&out->revised_sampling_interval_ms,
                                  "MonitoredItemCreateResult.RevisedSamplingInterval"));
  FH_RETURN_IF_ERROR(
      r.ReadUInt32(&out->revised_queue_size, "MonitoredItemCreateResult.RevisedQueueSize"));
  return Read(r, &out->filter_result);
}

void Write(Writer& w, const CreateMonitoredItemsResponse& v) {
  Write(w, v.header);
  WriteArray(w, v.results);
  w.WriteArrayLength(0);
}

Status Read(Reader& r, CreateMonitoredItemsResponse* out) {
  FH_RETURN_IF_ERROR(Read(r, &out->header));
  FH_RETURN_IF_ERROR(ReadArray(r, &out->results, 22, "CreateMonitoredItemsResponse.Results"));
  return SkipDiagnosticInfos(r);
}

void Write(Writer& w, const DeleteSubscriptionsRequest& v) {
  Write(w, v.header);
  WriteUInt32Array(w, v.subscription_ids);
}

Status Read(Reader& r, DeleteSubscriptionsResponse* out) {
  FH_RETURN_IF_ERROR(Read(r, &out->header));
  FH_RETURN_IF_ERROR(ReadUInt32Array(r, &out->results, "DeleteSubscriptionsResponse.Results"));
  return SkipDiagnosticInfos(r);
}

void Write(Writer& w, const SubscriptionAcknowledgement& v) {
  w.WriteUInt32(v.subscription_id);
  w.WriteUInt32(v.sequence_number);
}

void Write(Writer& w, const PublishRequest& v) {
  Write(w, v.header);
  WriteArray(w, v.acknowledgements);
}

Status Write(Writer& w, const NotificationMessage& v) {
  w.WriteUInt32(v.sequence_number);
  Write(w, v.publish_time);
  const size_t count = (v.data_changes.empty() ? 0 : 1) + v.status_changes.size();
  w.WriteArrayLength(count);
  if (!v.data_changes.empty()) {
    ExtensionObject e;
    e.type_id = NodeId::Numeric(0, encoding_id::kDataChangeNotification);
    e.encoding = 1;
    Writer body(&e.body);
    body.WriteArrayLength(v.data_changes.size());
    for (const auto& item : v.data_changes) {
      body.WriteUInt32(item.client_handle);
      FH_RETURN_IF_ERROR(Write(body, item.value));
    }
    body.WriteArrayLength(0);  // DiagnosticInfos
    Write(w, e);
  }
  for (StatusCode s : v.status_changes) {
    ExtensionObject e;
    e.type_id = NodeId::Numeric(0, encoding_id::kStatusChangeNotification);
    e.encoding = 1;
    Writer body(&e.body);
    body.WriteUInt32(s);
    body.WriteUInt8(0);  // DiagnosticInfo: empty mask
    Write(w, e);
  }
  return Status::Ok();
}

Status Read(Reader& r, NotificationMessage* out) {
  FH_RETURN_IF_ERROR(r.ReadUInt32(&out->sequence_number, "NotificationMessage.SequenceNumber"));
  FH_RETURN_IF_ERROR(Read(r, &out->publish_time));
  size_t n = 0;
  // Each NotificationData ExtensionObject takes at least a 2-byte NodeId and its encoding.
  FH_RETURN_IF_ERROR(r.ReadArrayLength(&n, 3, "NotificationMessage.NotificationData"));
  out->notification_data_count = static_cast<uint32_t>(n);
  out->status_changes.clear();
  out->other_notifications = 0;
  size_t used = 0;
  NodeId type;
  for (size_t i = 0; i < n; ++i) {
    // The ExtensionObject is decoded in place, not copied out: its body is read straight
    // from the message and then checked to have used exactly the length it declared.
    FH_RETURN_IF_ERROR(Read(r, &type));
    const size_t encoding_at = r.offset();
    uint8_t encoding = 0;
    FH_RETURN_IF_ERROR(r.ReadUInt8(&encoding, "NotificationData.Encoding"));
    if (encoding == 0) continue;
    if (encoding != 1) {
      return r.ErrorAt(encoding_at, "NotificationData.Encoding",
                       fmt::format("body encoding {} (only binary is read)", encoding));
    }
    const size_t length_at = r.offset();
    int32_t length = 0;
    FH_RETURN_IF_ERROR(r.ReadInt32(&length, "NotificationData.Length"));
    if (length < 0 || static_cast<size_t>(length) > r.remaining()) {
      return r.ErrorAt(length_at, "NotificationData.Length",
                       fmt::format("length {} with {} bytes left", length, r.remaining()));
    }
    const size_t body_at = r.offset();
    if (type.IsNumeric(0, encoding_id::kDataChangeNotification)) {
      NestingScope scope(r, "DataChangeNotification");
      FH_RETURN_IF_ERROR(scope.status());
      FH_RETURN_IF_ERROR(subscription_detail::ReadDataChangeNotification(r, out, &used));
    } else if (type.IsNumeric(0, encoding_id::kStatusChangeNotification)) {
      StatusCode status = kGood;
      FH_RETURN_IF_ERROR(r.ReadUInt32(&status, "StatusChangeNotification.Status"));
      FH_RETURN_IF_ERROR(SkipDiagnosticInfo(r));
      out->status_changes.push_back(status);
    } else {
      ++out->other_notifications;
      FH_RETURN_IF_ERROR(r.Skip(static_cast<size_t>(length), "NotificationData body"));
    }
    if (r.offset() - body_at != static_cast<size_t>(length)) {
      return r.ErrorAt(
          length_at, "NotificationData.Length",
          fmt::format("declared {} bytes, the notification took {}", length, r.offset() - body_at));
    }
  }
  out->data_changes.resize(used);
  return Status::Ok();
}

Status Write(Writer& w, const PublishResponse& v) {
  Write(w, v.header);
  w.WriteUInt32(v.subscription_id);
  WriteUInt32Array(w, v.available_sequence_numbers);
  w.WriteBoolean(v.more_notifications);
  FH_RETURN_IF_ERROR(Write(w, v.notification_message));
  WriteUInt32Array(w, v.results);
  w.WriteArrayLength(0);
  return Status::Ok();
}

Status Read(Reader& r, PublishResponse* out) {
  FH_RETURN_IF_ERROR(Read(r, &out->header));
  FH_RETURN_IF_ERROR(r.ReadUInt32(&out->subscription_id, "PublishResponse.SubscriptionId"));
  FH_RETURN_IF_ERROR(ReadUInt32Array(r, &out->available_sequence_numbers,
                                     "PublishResponse.AvailableSequenceNumbers"));
  FH_RETURN_IF_ERROR(r.ReadBoolean(&out->more_notifications, "PublishResponse.MoreNotifications"));
  FH_RETURN_IF_ERROR(Read(r, &out->notification_message));
  FH_RETURN_IF_ERROR(ReadUInt32Array(r, &out->results, "PublishResponse.Results"));
  return SkipDiagnosticInfos(r);
}

void Write(Writer& w, const RepublishRequest& v) {
  Write(w, v.header);
  w.WriteUInt32(v.subscription_id);
  w.WriteUInt32(v.retransmit_sequence_number);
}

Status Read(Reader& r, RepublishResponse* out) {
  FH_RETURN_IF_ERROR(Read(r, &out->header));
  return Read(r, &out->notification_message);
}

}  // namespace fh::opcua
