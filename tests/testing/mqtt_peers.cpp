#include "testing/mqtt_peers.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

namespace fh::testing {

namespace {

bool Accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return up;
}

}  // namespace

int FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
  ::close(fd);
  return ntohs(a.sin_port);
}

MosquittoBroker::MosquittoBroker(const std::filesystem::path& dir, int port, const MqttTls* tls)
    : port_(port) {
  config_ = (dir / "mosquitto.conf").string();
  // A window of 1,000 QoS 1 messages in flight (mosquitto's default is 20): the connector
  // acknowledges after a durable store write, and a session's queued messages delivered 20
  // a write at a time took more than a test's 10 s on a loaded machine's fsync (sanitizer
  // build, tests in parallel).
  std::ofstream(config_) << "listener " << port << " 127.0.0.1\n"
                         << "allow_anonymous true\npersistence false\n"
                         << "max_queued_messages 100000\nmax_inflight_messages 1000\n"
                         << "log_dest none\n";
  if (tls != nullptr) {
    // Started as root, mosquitto drops to user mosquitto before it reads the key, which is
    // the test's alone (0600 in a 0700 folder): it stays the test's user.
    std::ofstream(config_, std::ios::app)
        << (geteuid() == 0 ? "user root\n" : "") << "cafile " << tls->ca << "\ncertfile "
        << tls->cert << "\nkeyfile " << tls->key
        << "\nrequire_certificate true\ntls_version tlsv1.2\n";
  }
  Start();
}

MosquittoBroker::~MosquittoBroker() {
  Stop();
}

void MosquittoBroker::Start() {
  if (pid_ > 0) {  // a second one could not bind the port, and the first would be lost
    ADD_FAILURE() << "mosquitto on port " << port_ << " is running already";
    return;
  }
  pid_ = fork();
  if (pid_ == 0) {
    execl("/usr/sbin/mosquitto", "mosquitto", "-c", config_.c_str(), nullptr);
    _exit(127);
  }
  for (int i = 0; i < 100; ++i) {
    if (Accepts(port_)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "mosquitto did not start on port " << port_;
}

void MosquittoBroker::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

MqttPublisher::MqttPublisher(int port, const MqttTls* tls) {
  mosquitto_lib_init();
  mosq_ = mosquitto_new("test-publisher", true, this);
  mosquitto_publish_callback_set(
      mosq_, [](mosquitto*, void* self, int) { ++static_cast<MqttPublisher*>(self)->acked_; });
  if (tls != nullptr) {
    EXPECT_EQ(mosquitto_tls_set(mosq_, tls->ca.c_str(), nullptr, tls->cert.c_str(),
                                tls->key.c_str(), nullptr),
              MOSQ_ERR_SUCCESS);
  }
  EXPECT_EQ(mosquitto_connect(mosq_, "127.0.0.1", port, 30), MOSQ_ERR_SUCCESS);
  mosquitto_loop_start(mosq_);
}

MqttPublisher::~MqttPublisher() {
  mosquitto_disconnect(mosq_);
  mosquitto_loop_stop(mosq_, false);
  mosquitto_destroy(mosq_);
  mosquitto_lib_cleanup();
}

void MqttPublisher::Publish(const std::string& topic, const std::string& payload) {
  ASSERT_EQ(mosquitto_publish(mosq_, nullptr, topic.c_str(), static_cast<int>(payload.size()),
                              payload.data(), 1, false),
            MOSQ_ERR_SUCCESS);
  ++sent_;
}

void MqttPublisher::WaitAcked() {
  for (int i = 0; i < 400 && acked_ < sent_; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  ASSERT_EQ(acked_.load(), sent_);
}

MqttSubscriber::MqttSubscriber(int port, const std::string& filter) {
  mosquitto_lib_init();
  mosq_ = mosquitto_new(nullptr, true, this);
  mosquitto_message_callback_set(mosq_, [](mosquitto*, void* self, const mosquitto_message* m) {
    auto* s = static_cast<MqttSubscriber*>(self);
    std::lock_guard<std::mutex> lock(s->mu_);
    s->received_.emplace_back(m->topic, std::string(static_cast<const char*>(m->payload),
                                                    static_cast<size_t>(m->payloadlen)));
  });
  EXPECT_EQ(mosquitto_connect(mosq_, "127.0.0.1", port, 30), MOSQ_ERR_SUCCESS);
  EXPECT_EQ(mosquitto_subscribe(mosq_, nullptr, filter.c_str(), 0), MOSQ_ERR_SUCCESS);
  mosquitto_loop_start(mosq_);
}

MqttSubscriber::~MqttSubscriber() {
  mosquitto_disconnect(mosq_);
  mosquitto_loop_stop(mosq_, false);
  mosquitto_destroy(mosq_);
  mosquitto_lib_cleanup();
}

std::vector<std::string> MqttSubscriber::WaitFor(const std::string& topic) {
  for (int i = 0; i < 400; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      std::vector<std::string> out;
      for (const auto& [t, payload] : received_) {
        if (t == topic) out.push_back(payload);
      }
      if (!out.empty()) return out;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return {};
}

}  // namespace fh::testing
