// MQTT load for bench/run-live: C publishers (libmosquitto, QoS 1, 1,000 in flight each)
// send N JSON messages ({"value": 71.53}) to 1,000 topics (plant/line-L/m-M/temperature),
// then the tool waits until factoryhub's connector reports every one stored (polling GET
// /api/v1/connectors) and prints messages/s from the first publish to the last store.
//
//   mqtt_load BROKER_PORT HUB_HTTP_PORT MESSAGES CLIENTS [QOS]
#include <mosquitto.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

int main(int argc, char** argv) {
  if (argc != 5 && argc != 6) {
    std::fprintf(stderr, "usage: mqtt_load BROKER_PORT HUB_HTTP_PORT MESSAGES CLIENTS [QOS]\n");
    return 2;
  }
  const int broker = std::atoi(argv[1]);
  const int http = std::atoi(argv[2]);
  const int64_t messages = std::atoll(argv[3]);
  const int clients = std::atoi(argv[4]);
  const int qos = argc == 6 ? std::atoi(argv[5]) : 1;
  mosquitto_lib_init();
  struct Client {
    mosquitto* mosq = nullptr;
    std::atomic<int64_t> acked{0};
  };
  std::vector<Client> pubs(static_cast<size_t>(clients));
  for (int c = 0; c < clients; ++c) {
    Client& p = pubs[static_cast<size_t>(c)];
    p.mosq = mosquitto_new(fmt::format("load-{}", c).c_str(), true, &p);
    // A bounded window: libmosquitto looks acknowledgements up in a list of the messages in
    // flight, so an unbounded one makes the publisher, not the path measured, the bottleneck.
    mosquitto_max_inflight_messages_set(p.mosq, 1000);
    mosquitto_publish_callback_set(
        p.mosq, [](mosquitto*, void* self, int) { ++static_cast<Client*>(self)->acked; });
    if (mosquitto_connect(p.mosq, "127.0.0.1", broker, 60) != MOSQ_ERR_SUCCESS) {
      std::fprintf(stderr, "mqtt_load: cannot connect to the broker on %d\n", broker);
      return 1;
    }
    mosquitto_loop_start(p.mosq);
  }
  // Topics and payloads before the clock starts.
  std::vector<std::string> topics, payloads;
  for (int t = 0; t < 1000; ++t)
    topics.push_back(fmt::format("plant/line-{}/m-{}/temperature", t / 100, t % 100));
  for (int v = 0; v < 1000; ++v)
    payloads.push_back(fmt::format(R"({{"value": {:.2f}}})", 20 + v * 0.05));

  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      for (int64_t n = c; n < messages; n += clients) {
        const std::string& payload = payloads[static_cast<size_t>(n % 1000)];
        mosquitto_publish(pubs[static_cast<size_t>(c)].mosq, nullptr,
                          topics[static_cast<size_t>(n % 1000)].c_str(),
                          static_cast<int>(payload.size()), payload.data(), qos, false);
      }
    });
  }
  for (std::thread& t : threads)
    t.join();
  httplib::Client hub("127.0.0.1", http);
  int64_t stored = 0;
  for (int waited = 0; waited < 600000; waited += 20) {
    if (auto res = hub.Get("/api/v1/connectors"); res && res->status == 200) {
      const nlohmann::json j = nlohmann::json::parse(res->body, nullptr, false);
      if (j.is_object() && !j["connectors"].empty())
        stored = j["connectors"][0]["messages"].get<int64_t>();
    }
    if (stored >= messages) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (Client& p : pubs) {
    mosquitto_disconnect(p.mosq);
    mosquitto_loop_stop(p.mosq, false);
    mosquitto_destroy(p.mosq);
  }
  mosquitto_lib_cleanup();
  std::printf(
      "{\"messages\": %lld, \"stored\": %lld, \"seconds\": %.4f, \"messages_per_second\": %.0f}\n",
      static_cast<long long>(messages), static_cast<long long>(stored), seconds,
      static_cast<double>(stored) / seconds);
  return stored >= messages ? 0 : 1;
}
