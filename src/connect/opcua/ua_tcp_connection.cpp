#include "connect/opcua/ua_tcp_connection.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace fh::opcua {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct TcpConnection::Impl {
  asio::io_context io;
  tcp::socket socket{io};

  // Runs the io_context until the operation started before the call completes or the
  // deadline passes; on the deadline the operation is cancelled (and waited for, so that
  // its handler, which refers to this frame's variables, has run before returning).
  Status Run(bool* done, const boost::system::error_code* ec, Clock::time_point deadline,
             std::string_view what) {
    io.restart();
    while (!*done && io.run_one_until(deadline) > 0) {
    }
    if (!*done) {
      boost::system::error_code ignored;
      socket.cancel(ignored);
      io.restart();
      while (!*done && io.run_one() > 0) {
      }
      return Unavailable("OPC UA: {} timed out", what);
    }
    if (*ec) {
      if (*ec == asio::error::eof) return IOError("OPC UA: the server closed the connection");
      return IOError("OPC UA: {} failed: {}", what, ec->message());
    }
    return Status::Ok();
  }
};

TcpConnection::TcpConnection() : impl_(std::make_unique<Impl>()) {}

TcpConnection::~TcpConnection() {
  Close();
}

Status TcpConnection::Connect(const std::string& host, uint16_t port, Clock::time_point deadline) {
  Close();
  tcp::resolver resolver(impl_->io);
  boost::system::error_code ec;
  bool done = false;
  tcp::resolver::results_type endpoints;
  resolver.async_resolve(host, std::to_string(port),
                         [&](const boost::system::error_code& e, tcp::resolver::results_type r) {
                           ec = e;
                           endpoints = std::move(r);
                           done = true;
                         });
  {
    Status s = impl_->Run(&done, &ec, deadline, fmt::format("resolving '{}'", host));
    if (!s.ok()) {
      resolver.cancel();
      return s;
    }
  }
  done = false;
  asio::async_connect(impl_->socket, endpoints,
                      [&](const boost::system::error_code& e, const tcp::endpoint&) {
                        ec = e;
                        done = true;
                      });
  Status s = impl_->Run(&done, &ec, deadline, fmt::format("connecting to {}:{}", host, port));
  if (!s.ok()) {
    Close();
    return s;
  }
  impl_->socket.set_option(tcp::no_delay(true), ec);  // requests are small and awaited
  return Status::Ok();
}

Status TcpConnection::WriteAll(std::span<const uint8_t> bytes, Clock::time_point deadline) {
  if (!is_open()) return FailedPrecondition("OPC UA: not connected");
  boost::system::error_code ec;
  bool done = false;
  asio::async_write(impl_->socket, asio::buffer(bytes.data(), bytes.size()),
                    [&](const boost::system::error_code& e, size_t) {
                      ec = e;
                      done = true;
                    });
  Status s = impl_->Run(&done, &ec, deadline, "sending");
  // Part of a chunk may have gone out: the stream cannot carry another message.
  if (!s.ok()) Close();
  return s;
}

Status TcpConnection::ReadExact(std::span<uint8_t> bytes, Clock::time_point deadline) {
  if (!is_open()) return FailedPrecondition("OPC UA: not connected");
  boost::system::error_code ec;
  bool done = false;
  size_t transferred = 0;
  asio::async_read(impl_->socket, asio::buffer(bytes.data(), bytes.size()),
                   [&](const boost::system::error_code& e, size_t n) {
                     ec = e;
                     transferred = n;
                     done = true;
                   });
  Status s = impl_->Run(&done, &ec, deadline, "waiting for the server");
  // A timeout after part of the bytes leaves the stream in the middle of a message: the
  // connection cannot be used any more.
  if (!s.ok() && transferred > 0) {
    Close();
    return IOError("OPC UA: the server stopped in the middle of a message ({} of {} bytes)",
                   transferred, bytes.size());
  }
  return s;
}

void TcpConnection::Close() {
  if (!impl_->socket.is_open()) return;
  boost::system::error_code ignored;
  impl_->socket.shutdown(tcp::socket::shutdown_both, ignored);
  impl_->socket.close(ignored);
}

bool TcpConnection::is_open() const {
  return impl_->socket.is_open();
}

}  // namespace fh::opcua
