// Real MQTT peers for tests: a mosquitto broker started on a free loopback port, and a
// publisher through libmosquitto (an MQTT implementation independent of factoryhub's).
#pragma once

#include <mosquitto.h>
#include <sys/types.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace fh::testing {

// A free TCP port on 127.0.0.1 (free when asked; a broker binds it right after).
int FreeLoopbackPort();

// TLS for a test broker and its clients (testing/test_certificates.h makes the files).
struct MqttTls {
  std::string ca, cert, key;  // the broker's (or a client's) certificate and key; CA to trust
};

// A mosquitto process on 127.0.0.1:port, started with the object and stopped with it.
// With `tls`, the listener speaks TLS 1.2+ only and asks every client for a certificate
// the CA signed.
class MosquittoBroker {
 public:
  MosquittoBroker(const std::filesystem::path& dir, int port, const MqttTls* tls = nullptr);
  ~MosquittoBroker();
  void Start();  // returns once it accepts connections
  void Stop();
  int port() const { return port_; }

 private:
  int port_;
  std::string config_;
  pid_t pid_ = -1;
};

// Publishes with libmosquitto at QoS 1 (over TLS with `tls`, its certificate presented).
class MqttPublisher {
 public:
  explicit MqttPublisher(int port, const MqttTls* tls = nullptr);
  ~MqttPublisher();
  void Publish(const std::string& topic, const std::string& payload);
  // Waits until the broker acknowledged every message (a test failure after 10 s).
  void WaitAcked();

 private:
  mosquitto* mosq_ = nullptr;
  std::atomic<int> acked_{0};
  int sent_ = 0;
};

// Subscribes with libmosquitto and keeps what arrives.
class MqttSubscriber {
 public:
  MqttSubscriber(int port, const std::string& filter);
  ~MqttSubscriber();
  // The payloads received on `topic` so far; waits up to 10 s for at least one.
  std::vector<std::string> WaitFor(const std::string& topic);

 private:
  mosquitto* mosq_ = nullptr;
  std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> received_;  // topic, payload
};

}  // namespace fh::testing
