#include "connect/opcua/ua_security_channel.h"

#include <optional>
#include <string>
#include <utility>

#include "connect/opcua/ua_security_chunk.h"

namespace fh::opcua {

namespace security_channel_detail {
namespace {

ByteView BytesOf(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string StringOf(ByteView b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

// A chunk that fails to open is refused as Unauthenticated, whatever was wrong with it.
Status Refused(const Status& s) {
  if (s.code() == fh::StatusCode::kCorruption || s.code() == fh::StatusCode::kInvalidArgument) {
    return Unauthenticated("{}", s.message());
  }
  return s;
}

class RsaChannelSecurity final : public ChannelSecurity {
 public:
  RsaChannelSecurity(const SecurityPolicyProfile& policy, MessageSecurityMode mode,
                     const ApplicationIdentity& client, const Certificate& server,
                     RsaKey server_key)
      : policy_(policy),
        mode_(mode),
        client_(client),
        server_(server),
        server_key_(std::move(server_key)) {}

  std::string_view policy_uri() const override { return policy_.uri; }
  MessageSecurityMode mode() const override { return mode_; }

  AsymmetricSecurityHeader LocalAsymmetricHeader() const override {
    return {std::string(policy_.uri), StringOf(client_.certificate.der()),
            StringOf(server_.thumbprint())};
  }

  Result<std::string> MakeLocalNonce() override {
    auto nonce = MakeChannelNonce(policy_);
    if (!nonce.ok()) return nonce.status();
    return StringOf(*nonce);
  }

  Status ActivateToken(uint32_t token_id, std::string_view local_nonce,
                       std::string_view remote_nonce) override {
    auto keys = DeriveChannelKeys(policy_, BytesOf(local_nonce), BytesOf(remote_nonce));
    if (!keys.ok()) return keys.status();
    previous_ = std::move(current_);
    current_ = Token{token_id, std::move(keys).value()};
    return Status::Ok();
  }

  size_t MaxBodySize(SecurityKind kind, size_t chunk_size, size_t header_size) const override {
    if (kind == SecurityKind::kAsymmetric) {
      return MaxAsymmetricBodySize(AsymmetricSizes(client_.private_key.bits(), server_key_.bits()),
                                   chunk_size, header_size);
    }
    if (header_size < kChunkMessageHeaderSize) return 0;
    return MaxSymmetricBodySize(policy_, protection(), chunk_size,
                                header_size - kChunkMessageHeaderSize);
  }

  Status SecureChunk(SecurityKind kind, uint32_t token_id, size_t security_header_end,
                     std::vector<uint8_t>* chunk) override {
    if (kind == SecurityKind::kAsymmetric) {
      return SealAsymmetricChunk(policy_, client_.private_key, server_key_, *chunk,
                                 security_header_end);
    }
    const Token* token = Find(token_id);
    if (token == nullptr) {
      return FailedPrecondition("OPC UA {}: no keys for security token {}", policy_.name, token_id);
    }
    return SealSymmetricChunk(policy_, protection(), token->keys.client, *chunk,
                              security_header_end);
  }

  Result<size_t> OpenChunk(SecurityKind kind, const ChunkHeader& header,
                           std::span<uint8_t> chunk) override {
    const size_t begin = header.security_header_end;
    Result<OpenedChunk> opened = OpenedChunk{};
    if (kind == SecurityKind::kAsymmetric) {
      const AsymmetricSecurityHeader& h = header.asymmetric;
      if (h.security_policy_uri != policy_.uri) {
        return Unauthenticated("OPC UA: the server answered with security policy '{}', not {}",
                               h.security_policy_uri, policy_.name);
      }
      if (!ConstantTimeEqual(BytesOf(h.sender_certificate), server_.der())) {
        return Unauthenticated(
            "OPC UA: the server signed its OpenSecureChannel response with another certificate "
            "than its endpoint's");
      }
      if (!ConstantTimeEqual(BytesOf(h.receiver_certificate_thumbprint),
                             client_.certificate.thumbprint())) {
        return Unauthenticated(
            "OPC UA: the server encrypted its OpenSecureChannel response for another "
            "certificate than the client's");
      }
      opened = OpenAsymmetricChunk(policy_, client_.private_key, server_key_, chunk, begin);
    } else {
      const Token* token = Find(header.token_id);
      if (token == nullptr) {
        return Unauthenticated(
            "OPC UA: a chunk under security token {}, which is not the "
            "channel's",
            header.token_id);
      }
      opened = OpenSymmetricChunk(policy_, protection(), token->keys.server, chunk, begin);
    }
    if (!opened.ok()) return Refused(opened.status());
    return opened->body_end - begin;
  }

 private:
  struct Token {
    uint32_t id = 0;
    ChannelKeys keys;
  };

  ChunkProtection protection() const {
    return mode_ == MessageSecurityMode::kSignAndEncrypt ? ChunkProtection::kSignAndEncrypt
                                                         : ChunkProtection::kSign;
  }

  const Token* Find(uint32_t token_id) const {
    if (current_ && current_->id == token_id) return &*current_;
    if (previous_ && previous_->id == token_id) return &*previous_;
    return nullptr;
  }

  const SecurityPolicyProfile policy_;  // a copy: its strings are static
  MessageSecurityMode mode_;
  ApplicationIdentity client_;
  Certificate server_;
  RsaKey server_key_;
  std::optional<Token> current_;
  std::optional<Token> previous_;
};

}  // namespace
}  // namespace security_channel_detail

Result<std::unique_ptr<ChannelSecurity>> MakeRsaChannelSecurity(
    const SecurityPolicyProfile& policy, MessageSecurityMode mode,
    const ApplicationIdentity& client, const Certificate& server_certificate) {
  if (mode != MessageSecurityMode::kSign && mode != MessageSecurityMode::kSignAndEncrypt) {
    return InvalidArgument("OPC UA {}: mode {} (Sign or SignAndEncrypt expected)", policy.name,
                           static_cast<int>(mode));
  }
  if (!client.certificate.valid() || !client.private_key.has_private()) {
    return FailedPrecondition("OPC UA {}: the client has no certificate or private key",
                              policy.name);
  }
  FH_RETURN_IF_ERROR(
      CheckAsymmetricKeySize(policy, client.private_key.bits()).WithContext("client key"));
  auto server_key = server_certificate.PublicKey();
  if (!server_key.ok()) return server_key.status().WithContext("server certificate");
  FH_RETURN_IF_ERROR(
      CheckAsymmetricKeySize(policy, server_key->bits()).WithContext("server certificate"));
  return std::unique_ptr<ChannelSecurity>(new security_channel_detail::RsaChannelSecurity(
      policy, mode, client, server_certificate, std::move(server_key).value()));
}

}  // namespace fh::opcua
