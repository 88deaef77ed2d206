#include "notify/notify_config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>

#include <yaml-cpp/yaml.h>

#include "analytics/definitions_file.h"

namespace fh::notify {
namespace {

namespace alarms = analytics::alarms;
using analytics::ReadItemName;
using analytics::YamlAs;
using analytics::YamlError;

// Headers that carry credentials: their values must come from the environment.
bool IsCredentialHeader(std::string_view name) {
  std::string lower(name);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "authorization" || lower == "proxy-authorization" || lower == "cookie" ||
         lower.find("token") != std::string::npos || lower.find("secret") != std::string::npos ||
         lower.find("key") != std::string::npos || lower.find("password") != std::string::npos;
}

// `text` with each ${NAME} replaced by the environment variable NAME; InvalidArgument naming
// a variable that is not set, or a ${ without its }.
Result<std::string> ExpandEnvironment(std::string_view text) {
  std::string out;
  size_t at = 0;
  while (true) {
    const size_t open = text.find("${", at);
    if (open == std::string_view::npos) break;
    const size_t close = text.find('}', open + 2);
    if (close == std::string_view::npos) return InvalidArgument("'${{' without its '}}'");
    out.append(text.substr(at, open - at));
    const std::string name(text.substr(open + 2, close - open - 2));
    const char* value = name.empty() ? nullptr : std::getenv(name.c_str());
    if (value == nullptr) return InvalidArgument("the environment has no {}", name);
    out += value;
    at = close + 1;
  }
  out.append(text.substr(at));
  return out;
}

constexpr std::array<std::string_view, 17> kKeys = {
    "name",   "webhook",   "headers",  "mqtt",         "topic",     "qos",
    "retain", "username",  "password", "password_env", "client_id", "priorities",
    "events", "equipment", "timeout",  "attempts",     "ca"};

Result<int> Port(std::string_view text) {
  int port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535) {
    return InvalidArgument("'{}' is not a port (1 to 65535)", text);
  }
  return port;
}

// HOST[:PORT] (an IPv6 address in brackets).
Status HostPort(std::string_view text, std::string& host, int& port) {
  if (text.starts_with("[")) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return InvalidArgument("'{}': no closing ]", text);
    host = std::string(text.substr(1, close - 1));
    text.remove_prefix(close + 1);
    if (text.empty()) return Status::Ok();
    if (!text.starts_with(":")) return InvalidArgument("'{}' after the address", text);
    FH_ASSIGN_OR_RETURN(port, Port(text.substr(1)));
    return Status::Ok();
  }
  const size_t colon = text.rfind(':');
  host = std::string(text.substr(0, colon));
  if (colon != std::string_view::npos) {
    FH_ASSIGN_OR_RETURN(port, Port(text.substr(colon + 1)));
  }
  if (host.empty()) return InvalidArgument("no host");
  return Status::Ok();
}

// Each text of a list (or the one text).
Result<std::vector<std::string>> Texts(const std::string& file, const YAML::Node& node,
                                       const std::string& key) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
  } else if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      FH_ASSIGN_OR_RETURN(std::string t, YamlAs<std::string>(file, item, key, "a text"));
      out.push_back(std::move(t));
    }
  } else {
    return YamlError(file, node, key + ": a text or a list of them");
  }
  return out;
}

Result<NotifyTarget> ReadOne(const std::string& file, const YAML::Node& n, size_t index) {
  std::string where = fmt::format("notify[{}]", index);
  NotifyTarget t;
  FH_ASSIGN_OR_RETURN(t.name, ReadItemName(file, n, where, kKeys));
  where = fmt::format("notify '{}'", t.name);
  if (!n["webhook"] == !n["mqtt"]) {
    return YamlError(file, n, where + " needs a webhook (http://...) or an mqtt broker, one");
  }
  auto text = [&](const char* key, std::string& out) -> Status {
    if (!n[key]) return Status::Ok();
    FH_ASSIGN_OR_RETURN(out, YamlAs<std::string>(file, n[key], where + "." + key, "a text"));
    return Status::Ok();
  };
  if (n["webhook"]) {
    t.kind = NotifyTarget::Kind::kWebhook;
    std::string url;
    FH_RETURN_IF_ERROR(text("webhook", url));
    Result<HttpUrl> parsed = HttpUrl::Parse(url);
    if (!parsed.ok()) {
      return YamlError(file, n["webhook"], where + ".webhook: " + parsed.status().message());
    }
    t.url = std::move(*parsed);
    if (n["headers"]) {
      if (!n["headers"].IsMap())
        return YamlError(file, n["headers"], where + ".headers: a mapping");
      for (const auto& kv : n["headers"]) {
        FH_ASSIGN_OR_RETURN(std::string value,
                            YamlAs<std::string>(file, kv.second, where + ".headers", "a text"));
        const std::string name = kv.first.Scalar();
        if (name.empty() || name.find_first_of(":\r\n") != std::string::npos ||
            value.find_first_of("\r\n") != std::string::npos) {
          return YamlError(file, kv.first,
                           where + ".headers: an empty name, or a name or value with a line break");
        }
        // Credentials come from the environment (${NAME}), never from alarms.yaml.
        Result<std::string> expanded = ExpandEnvironment(value);
        if (!expanded.ok()) {
          return YamlError(file, kv.second,
                           where + ".headers." + name + ": " + expanded.status().message());
        }
        if (IsCredentialHeader(name) && value.find("${") == std::string::npos) {
          return YamlError(file, kv.second,
                           where + ".headers." + name +
                               ": credentials are not kept in alarms.yaml; write the variable "
                               "that holds them, e.g. \"Bearer ${FH_WEBHOOK_TOKEN}\"");
        }
        value = std::move(*expanded);
        t.headers.emplace_back(name, std::move(value));
      }
    }
    for (const char* key :
         {"topic", "qos", "retain", "username", "password", "password_env", "client_id", "ca"}) {
      if (n[key]) return YamlError(file, n[key], fmt::format("{}.{} is for mqtt", where, key));
    }
  } else {
    t.kind = NotifyTarget::Kind::kMqtt;
    std::string broker;
    FH_RETURN_IF_ERROR(text("mqtt", broker));
    if (broker.starts_with("mqtt://")) {
      broker.erase(0, 7);
    } else if (broker.starts_with("mqtts://")) {
      broker.erase(0, 8);
      t.tls = true;
      t.port = 8883;
    }
    if (Status s = HostPort(broker, t.host, t.port); !s.ok()) {
      return YamlError(file, n["mqtt"], where + ".mqtt: " + s.message());
    }
    FH_RETURN_IF_ERROR(text("topic", t.topic));
    if (t.topic.empty() || t.topic.find_first_of("+#") != std::string::npos) {
      return YamlError(file, n["topic"] ? n["topic"] : n,
                       where + ".topic: a topic to publish on, without + or #");
    }
    if (n["qos"]) {
      FH_ASSIGN_OR_RETURN(t.qos, YamlAs<int>(file, n["qos"], where + ".qos", "0 or 1"));
      if (t.qos != 0 && t.qos != 1) return YamlError(file, n["qos"], where + ".qos: 0 or 1");
    }
    if (n["retain"]) {
      FH_ASSIGN_OR_RETURN(t.retain,
                          YamlAs<bool>(file, n["retain"], where + ".retain", "true or false"));
    }
    FH_RETURN_IF_ERROR(text("username", t.username));
    // Secrets come from the environment, never from alarms.yaml (see connectors.yaml).
    if (n["password"]) {
      return YamlError(file, n["password"],
                       where +
                           ".password: secrets are not kept in alarms.yaml; name an "
                           "environment variable that holds it with password_env:");
    }
    if (n["password_env"]) {
      std::string name;
      FH_RETURN_IF_ERROR(text("password_env", name));
      const char* value = std::getenv(name.c_str());
      if (value == nullptr) {
        return YamlError(file, n["password_env"],
                         where + ".password_env: the environment has no " + name);
      }
      t.password = value;
    }
    FH_RETURN_IF_ERROR(text("ca", t.ca_file));
    if (!t.ca_file.empty() && !t.tls) {
      return YamlError(file, n["ca"], where + ".ca: a CA is for TLS: write the broker as mqtts://");
    }
    if (!t.ca_file.empty() && t.ca_file.front() != '/') {  // beside the file that names it
      t.ca_file = (std::filesystem::path(file).parent_path() / t.ca_file).string();
    }
    FH_RETURN_IF_ERROR(text("client_id", t.client_id));
    if (t.client_id.empty()) t.client_id = "factoryhub-notify-" + t.name;
    if (n["headers"]) return YamlError(file, n["headers"], where + ".headers is for a webhook");
  }
  if (n["priorities"]) {
    FH_ASSIGN_OR_RETURN(std::vector<std::string> list,
                        Texts(file, n["priorities"], where + ".priorities"));
    for (const std::string& p : list) {
      Result<alarms::Priority> parsed = alarms::ParsePriority(p);
      if (!parsed.ok()) return YamlError(file, n["priorities"], parsed.status().message());
      t.priorities.push_back(*parsed);
    }
  }
  if (n["events"]) {
    FH_ASSIGN_OR_RETURN(std::vector<std::string> list, Texts(file, n["events"], where + ".events"));
    for (const std::string& e : list) {
      Result<alarms::AlarmEventKind> parsed = alarms::ParseAlarmEvent(e);
      if (!parsed.ok()) return YamlError(file, n["events"], parsed.status().message());
      t.events.push_back(*parsed);
    }
  }
  FH_RETURN_IF_ERROR(text("equipment", t.equipment));
  if (n["timeout"]) {
    FH_ASSIGN_OR_RETURN(std::string d,
                        YamlAs<std::string>(file, n["timeout"], where + ".timeout", "a duration"));
    Result<int64_t> ns = ParseDuration(d);
    if (!ns.ok() || *ns <= 0) {
      return YamlError(file, n["timeout"], where + ".timeout: a duration such as 5s");
    }
    t.timeout_ns = *ns;
  }
  if (n["attempts"]) {
    FH_ASSIGN_OR_RETURN(t.attempts,
                        YamlAs<int>(file, n["attempts"], where + ".attempts", "a number"));
    if (t.attempts < 1 || t.attempts > 1000) {
      return YamlError(file, n["attempts"], where + ".attempts: 1 to 1000");
    }
  }
  return t;
}

}  // namespace

Result<HttpUrl> HttpUrl::Parse(std::string_view url) {
  if (url.starts_with("https://")) {
    return InvalidArgument(
        "'{}': https is not supported yet: send to an http:// address (a TLS-terminating "
        "proxy beside the hub can forward it)",
        url);
  }
  if (!url.starts_with("http://")) return InvalidArgument("'{}' is not an http:// address", url);
  url.remove_prefix(7);
  HttpUrl out;
  const size_t slash = url.find('/');
  if (Status s = HostPort(url.substr(0, slash), out.host, out.port); !s.ok()) {
    return InvalidArgument("'http://{}': {}", url, s.message());
  }
  if (slash != std::string_view::npos) out.target = std::string(url.substr(slash));
  if (out.target.find_first_of(" \r\n") != std::string::npos) {
    return InvalidArgument("'http://{}': a space or line break in the path", url);
  }
  return out;
}

bool NotifyTarget::Wants(const alarms::AlarmDefinition& d, alarms::AlarmEventKind event) const {
  return (priorities.empty() ||
          std::find(priorities.begin(), priorities.end(), d.priority) != priorities.end()) &&
         (events.empty() || std::find(events.begin(), events.end(), event) != events.end()) &&
         d.equipment.starts_with(equipment);
}

std::string NotifyTarget::Endpoint() const {
  if (kind == Kind::kWebhook) return fmt::format("http://{}:{}{}", url.host, url.port, url.target);
  return fmt::format("{}://{}:{} {}", tls ? "mqtts" : "mqtt", host, port, topic);
}

std::string TopicOf(std::string_view pattern, const alarms::AlarmDefinition& d,
                    alarms::AlarmEventKind event) {
  auto level = [](std::string_view name) {
    std::string out(name.empty() ? "_" : name);
    std::replace_if(
        out.begin(), out.end(), [](char c) { return c == '+' || c == '#'; }, '_');
    return out;
  };
  // The equipment path's slashes are levels of the topic: an empty one would be "a//b".
  auto path = [&](std::string_view p) {
    std::string out;
    size_t start = 0;
    while (true) {
      const size_t slash = p.find('/', start);
      if (!out.empty()) out += '/';
      out += level(p.substr(start, slash - start));
      if (slash == std::string_view::npos) break;
      start = slash + 1;
    }
    return out;
  };
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    auto take = [&](std::string_view field, const std::string& value) {
      if (pattern.substr(i).starts_with(field)) {
        out += value;
        i += field.size();
        return true;
      }
      return false;
    };
    if (take("{alarm}", level(d.name)) || take("{equipment}", path(d.equipment)) ||
        take("{priority}", std::string(alarms::PriorityName(d.priority))) ||
        take("{event}", std::string(alarms::AlarmEventText(event)))) {
      continue;
    }
    out += pattern[i++];
  }
  return out;
}

Result<NotifyConfig> NotifyConfig::Parse(const std::string& yaml, const std::string& file) {
  NotifyConfig config;
  FH_ASSIGN_OR_RETURN(
      config.targets,
      analytics::ReadDefinitions<NotifyTarget>(
          yaml, file, alarms::kNotifyKey, "notify target",
          [&](const YAML::Node& n, size_t i) { return ReadOne(file, n, i); }, {"alarms"}));
  return config;
}

Result<NotifyConfig> NotifyConfig::Load(const std::string& path) {
  FH_ASSIGN_OR_RETURN(std::optional<std::string> text,
                      analytics::ReadDefinitionsFile(path, "alarm definitions"));
  if (!text) return NotifyConfig{};
  return Parse(*text, path);
}

}  // namespace fh::notify
