// The event streams (Server-Sent Events) open on a server, so that a server that stops ends
// each one properly, with the last chunk of its body, before closing the sockets: the client
// sees its stream end, not a connection cut, and may reconnect to the next server at once.
// Internal to the api module. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>

namespace fh::api::detail {

class OpenEventStreams {
 public:
  // Registers `stream`, whose `end` asks it (from any thread) to send its end and close.
  // False when the server is stopping already: the stream is to end after its first answer.
  bool Add(const void* stream, std::function<void()> end);
  // Once `stream` has ended (or its connection is gone). Unknown streams are ignored.
  void Remove(const void* stream);
  // Asks every stream to end and waits until all are Remove()d or `wait` passes.
  void EndAll(std::chrono::milliseconds wait);

 private:
  std::mutex mu_;
  std::condition_variable removed_;
  std::map<const void*, std::function<void()>> open_;
  bool ending_ = false;
};

}  // namespace fh::api::detail
