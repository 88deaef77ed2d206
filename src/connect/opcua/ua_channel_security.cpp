#include "connect/opcua/ua_channel_security.h"

namespace fh::opcua {

AsymmetricSecurityHeader SecurityNone::LocalAsymmetricHeader() const {
  return {std::string(kSecurityPolicyNoneUri), {}, {}};
}

size_t SecurityNone::MaxBodySize(SecurityKind, size_t chunk_size, size_t header_size) const {
  const size_t overhead = header_size + kSequenceHeaderSize;
  return chunk_size > overhead ? chunk_size - overhead : 0;
}

Status SecurityNone::SecureChunk(SecurityKind, uint32_t, size_t, std::vector<uint8_t>* chunk) {
  Writer w(chunk);
  w.PatchUInt32(4, static_cast<uint32_t>(chunk->size()));
  return Status::Ok();
}

Result<size_t> SecurityNone::OpenChunk(SecurityKind kind, const ChunkHeader& header,
                                       std::span<uint8_t> chunk) {
  if (kind == SecurityKind::kAsymmetric &&
      header.asymmetric.security_policy_uri != kSecurityPolicyNoneUri) {
    return Unauthenticated("OPC UA: the server answered with security policy '{}', not None",
                           header.asymmetric.security_policy_uri);
  }
  return chunk.size() - header.security_header_end;
}

}  // namespace fh::opcua
