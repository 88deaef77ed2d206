#include "connect/opcua_source/opcua_connector.h"

#include <cmath>

#include "common/time.h"
#include "connect/opcua/status_code.h"

namespace fh::connect {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Items per CreateMonitoredItems request: servers limit a call (MaxMonitoredItemsPerCall,
// often 1,000 or more); a larger list is sent in parts.
constexpr size_t kItemsPerCall = 500;

// The sample time of a value: the source's (when the device measured it), else the
// server's, else now (a server that sends neither).
TimestampNs TimeOf(const opcua::DataValue& v, TimestampNs now) {
  if (v.has_source_timestamp && !v.source_timestamp.IsNull()) {
    return v.source_timestamp.ToUnixNanos();
  }
  if (v.has_server_timestamp && !v.server_timestamp.IsNull()) {
    return v.server_timestamp.ToUnixNanos();
  }
  return now;
}

}  // namespace

opcua::ClientOptions OpcUaClientOptions(const OpcUaConnectorSpec& spec) {
  opcua::ClientOptions o;
  o.session_name = "factoryhub " + spec.name;
  o.identity.user_name = spec.user;
  o.identity.password = spec.password;
  o.request_timeout = spec.timeout;
  o.channel.connect_timeout = spec.timeout;
  o.channel.request_timeout = spec.timeout;
  o.security.policy = spec.security_policy;
  switch (spec.security_mode) {
    case OpcUaSecurityMode::kNone:
      o.security.mode = opcua::MessageSecurityMode::kNone;
      break;
    case OpcUaSecurityMode::kSign:
      o.security.mode = opcua::MessageSecurityMode::kSign;
      break;
    case OpcUaSecurityMode::kSignAndEncrypt:
      o.security.mode = opcua::MessageSecurityMode::kSignAndEncrypt;
      break;
  }
  o.security.pki_dir = spec.pki_dir;
  return o;
}

Result<std::unique_ptr<OpcUaConnector>> OpcUaConnector::Make(OpcUaConnectorSpec spec,
                                                             pipeline::StreamIngest& ingest) {
  if (spec.name.empty()) return InvalidArgument("opcua: a connector needs a name");
  if (spec.nodes.empty()) return InvalidArgument("opcua '{}': no nodes", spec.name);
  if (Result<const opcua::SecurityPolicyProfile*> policy =
          opcua::ResolveSecurityPolicy(OpcUaClientOptions(spec).security);
      !policy.ok()) {
    return policy.status().WithContext(fmt::format("opcua '{}'", spec.name));
  }
  return std::unique_ptr<OpcUaConnector>(new OpcUaConnector(std::move(spec), ingest));
}

OpcUaConnector::OpcUaConnector(OpcUaConnectorSpec spec, pipeline::StreamIngest& ingest)
    : ReconnectingConnector(spec.name, "opcua", spec.endpoint),
      spec_(std::move(spec)),
      ingest_(ingest),
      source_{"opcua", spec_.endpoint} {}

OpcUaConnector::~OpcUaConnector() {
  Stop();
}

std::vector<OpcUaItem> OpcUaConnector::items() const {
  std::lock_guard<std::mutex> lock(items_mu_);
  return items_;
}

Status OpcUaConnector::Session(bool* progressed) {
  opcua::Client client(OpcUaClientOptions(spec_));
  FH_RETURN_IF_ERROR(client.Connect(spec_.endpoint));
  Result<ResolvedNodes> nodes = ResolveNodes(client, spec_);
  if (!nodes.ok()) return nodes.status().WithContext("finding the nodes");
  uint32_t subscription_id = 0;
  std::chrono::milliseconds keep_alive{0};
  FH_RETURN_IF_ERROR(Subscribe(client, *nodes, &subscription_id, &keep_alive));
  SetState("connected");
  *progressed = true;
  Status ended = Collect(client, keep_alive);
  client.Close();
  return ended;
}

Status OpcUaConnector::Subscribe(opcua::Client& client, const ResolvedNodes& nodes,
                                 uint32_t* subscription_id, std::chrono::milliseconds* keep_alive) {
  std::vector<std::string> problems = nodes.problems;
  opcua::CreateSubscriptionRequest request;
  request.requested_publishing_interval_ms = static_cast<double>(spec_.publishing_interval.count());
  // Keep-alives every 10 intervals at most 10 s apart; the server drops the subscription
  // after 3 keep-alives without a Publish from us.
  request.requested_max_keep_alive_count = static_cast<uint32_t>(
      std::clamp<int64_t>(10'000 / std::max<int64_t>(1, spec_.publishing_interval.count()), 1, 10));
  request.requested_lifetime_count = request.requested_max_keep_alive_count * 3;
  FH_ASSIGN_OR_RETURN(opcua::CreateSubscriptionResponse created,
                      client.CreateSubscription(request));
  *subscription_id = created.subscription_id;
  *keep_alive = std::chrono::milliseconds(
      static_cast<int64_t>(created.revised_publishing_interval_ms *
                           std::max<uint32_t>(1, created.revised_max_keep_alive_count)));

  // A monitored item's client handle is its place in nodes.items; one the server refuses
  // keeps its place with no tag (nothing of it is stored).
  std::vector<OpcUaItem> kept = nodes.items;
  for (size_t start = 0; start < kept.size(); start += kItemsPerCall) {
    const size_t end = std::min(kept.size(), start + kItemsPerCall);
    std::vector<opcua::MonitoredItemCreateRequest> requests;
    requests.reserve(end - start);
    for (size_t i = start; i < end; ++i) {
      const OpcUaItem& item = kept[i];
      opcua::MonitoredItemCreateRequest r;
      r.item_to_monitor.node_id = item.node;
      r.client_handle = static_cast<uint32_t>(i);
      r.sampling_interval_ms = static_cast<double>(item.sampling.count());
      r.queue_size = spec_.queue_size;
      r.discard_oldest = true;
      if (item.deadband || item.deadband_percent) {
        opcua::DataChangeFilter filter;
        filter.deadband_type =
            item.deadband ? opcua::DeadbandType::kAbsolute : opcua::DeadbandType::kPercent;
        filter.deadband_value = item.deadband ? *item.deadband : *item.deadband_percent;
        r.filter = opcua::EncodeDataChangeFilter(filter);
      }
      requests.push_back(std::move(r));
    }
    FH_ASSIGN_OR_RETURN(std::vector<opcua::MonitoredItemCreateResult> results,
                        client.CreateMonitoredItems(*subscription_id, std::move(requests)));
    if (results.size() != end - start) {
      return Internal("CreateMonitoredItems answered {} results for {} items", results.size(),
                      end - start);
    }
    for (size_t i = start; i < end; ++i) {
      const opcua::StatusCode status = results[i - start].status_code;
      if (opcua::IsGood(status)) continue;
      problems.push_back(fmt::format("{} ({}): {}", opcua::FormatNodeId(kept[i].node), kept[i].tag,
                                     opcua::StatusName(status)));
      Count([](ConnectorStatus& s) { ++s.errors; });
      kept[i].tag.clear();
    }
  }
  const size_t live =
      std::count_if(kept.begin(), kept.end(), [](const OpcUaItem& i) { return !i.tag.empty(); });
  if (!problems.empty()) {
    SetState("connecting",
             fmt::format("{} of {} nodes not collected: {}",
                         nodes.items.size() + nodes.problems.size() - live,
                         nodes.items.size() + nodes.problems.size(), problems.front()));
  }
  {
    std::lock_guard<std::mutex> lock(items_mu_);
    items_ = kept;
  }
  if (live == 0) {
    return NotFound("none of the {} configured nodes can be collected: {}", spec_.nodes.size(),
                    problems.empty() ? std::string("no node") : problems.front());
  }
  return Status::Ok();
}

Status OpcUaConnector::Collect(opcua::Client& client, std::chrono::milliseconds keep_alive) {
  std::vector<OpcUaItem> items = this->items();
  SampleBatch batch;
  std::vector<TextSample> texts;
  int64_t skipped = 0, messages = 0;
  auto on_message = [&](uint32_t, const opcua::NotificationMessage& message) {
    ++messages;
    const TimestampNs now = NowNs();
    for (const opcua::MonitoredItemNotification& n : message.data_changes) {
      if (n.client_handle >= items.size() || items[n.client_handle].tag.empty()) {
        ++skipped;  // not an item of ours (a server's mistake): nothing to name it by
        continue;
      }
      const std::string& tag = items[n.client_handle].tag;
      const opcua::DataValue& v = n.value;
      const TimestampNs ts = TimeOf(v, now);
      const uint32_t quality = opcua::QualityOf(v.status);
      if (!v.has_value || v.value.IsNull()) {
        ++skipped;  // a status without a value (a Bad sensor often sends none)
        continue;
      }
      if (v.value.is_array) {
        const auto* elements = std::get_if<std::vector<opcua::Variant>>(&v.value.value);
        if (elements == nullptr) continue;
        for (size_t i = 0; i < elements->size(); ++i) {
          const std::optional<double> x = (*elements)[i].ToDouble();
          if (x && std::isfinite(*x)) {
            batch.Add(fmt::format("{}[{}]", tag, i), ts, *x, quality);
          } else {
            ++skipped;
          }
        }
        continue;
      }
      if (const std::optional<double> x = v.value.ToDouble()) {
        if (std::isfinite(*x)) {
          batch.Add(tag, ts, *x, quality);
        } else {
          ++skipped;
        }
        continue;
      }
      if (v.value.type == opcua::BuiltinType::kString ||
          v.value.type == opcua::BuiltinType::kLocalizedText) {
        const auto* text = std::get_if<std::string>(&v.value.value);
        const auto* localized = std::get_if<opcua::LocalizedText>(&v.value.value);
        texts.push_back({tag, ts, text ? *text : localized ? localized->text : std::string()});
        continue;
      }
      ++skipped;  // a structure, a byte string, a node id: not a signal
    }
  };
  // A server that neither publishes nor keeps alive within three keep-alive periods is
  // gone, even if the TCP connection looks open (a cable pulled, a server hung).
  const auto silence_limit = std::max(keep_alive * 3, std::chrono::milliseconds(5000));
  auto last_heard = SteadyClock::now();
  while (!stopping()) {
    Result<opcua::PublishOutcome> outcome =
        client.Publish(std::chrono::milliseconds(250), on_message);
    if (!outcome.ok()) return outcome.status();
    if (outcome->response) {
      last_heard = SteadyClock::now();
    } else if (SteadyClock::now() - last_heard > silence_limit) {
      return Unavailable(
          "no answer from the server for {} ms (keep-alive {} ms)",
          std::chrono::duration_cast<std::chrono::milliseconds>(silence_limit).count(),
          keep_alive.count());
    }
    if (outcome->lost > 0) {
      Count([&](ConnectorStatus& s) { s.errors += outcome->lost; });
    }
    if (batch.empty() && texts.empty()) {
      if (skipped > 0 || messages > 0) {
        Count([&](ConnectorStatus& s) {
          s.skipped += skipped;
          s.messages += messages;
        });
        skipped = messages = 0;
      }
      continue;
    }
    // Stored before the next Publish acknowledges the messages that carried it.
    Result<std::vector<govern::RejectedPoint>> stored =
        ingest_.Write(source_, "opcua", batch, {}, texts);
    if (!stored.ok()) return stored.status().WithContext("storing");
    const int64_t points = static_cast<int64_t>(batch.size() + texts.size() - stored->size());
    const int64_t quarantined = static_cast<int64_t>(stored->size());
    Count([&](ConnectorStatus& s) {
      s.messages += messages;
      s.points += points;
      s.quarantined += quarantined;
      s.skipped += skipped;
    });
    batch.Clear();
    texts.clear();
    skipped = messages = 0;
  }
  return Status::Ok();
}

}  // namespace fh::connect
