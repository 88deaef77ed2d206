#include "connect/opcua/ua_security_chunk.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace fh::opcua {

namespace security_chunk_detail {
namespace {

// Padding so that plaintext, padding fields and signature fill whole blocks.
ChunkPadding PaddingFor(size_t block, bool extra, size_t plaintext_size, size_t signature_size) {
  ChunkPadding p;
  p.extra = extra;
  const size_t used = plaintext_size + (extra ? 2 : 1) + signature_size;
  p.size = block == 0 ? 0 : (block - used % block) % block;
  return p;
}

// The body's end, after checking the padding fields that end at `padding_end`; every padding
// byte must hold the padding size's low byte. The signature is checked before this, so these
// checks reveal nothing an attacker could not compute.
Result<size_t> CheckPadding(std::span<const uint8_t> chunk, size_t body_begin, size_t padding_end,
                            bool extra) {
  const size_t room = padding_end - body_begin;
  if (room < (extra ? 2u : 1u)) return Corruption("secure chunk: no room for the padding");
  size_t size = chunk[padding_end - 1];
  if (extra) size = (size << 8) | chunk[padding_end - 2];
  const size_t field = size + (extra ? 2 : 1);
  if (field > room) {
    return Corruption("secure chunk: padding of {} bytes in {} bytes of body and padding", size,
                      room);
  }
  const size_t start = padding_end - field;
  const uint8_t value = static_cast<uint8_t>(size & 0xFF);
  for (size_t i = start; i < start + size + 1; ++i) {
    if (chunk[i] != value) return Corruption("secure chunk: malformed padding");
  }
  return start;
}

bool MessageSizeMatches(std::span<const uint8_t> chunk) {
  return chunk.size() >= kChunkMessageHeaderSize && ReadChunkMessageSize(chunk) == chunk.size();
}

}  // namespace
}  // namespace security_chunk_detail

// --- Sizes ----------------------------------------------------------------------------------

ChunkPadding SymmetricPadding(const SecurityPolicyProfile& policy, size_t plaintext_size) {
  // AES keys are far below 2048 bits: never an ExtraPaddingSize byte.
  return security_chunk_detail::PaddingFor(policy.iv_length, false, plaintext_size,
                                           policy.symmetric_signature_size);
}

size_t MaxSymmetricBodySize(const SecurityPolicyProfile& policy, ChunkProtection protection,
                            size_t chunk_size, size_t security_header_size) {
  const size_t header = kChunkMessageHeaderSize + security_header_size;
  if (chunk_size <= header) return 0;
  size_t room = chunk_size - header;
  size_t overhead = kChunkSequenceHeaderSize + policy.symmetric_signature_size;
  if (protection == ChunkProtection::kSignAndEncrypt) {
    room -= room % policy.iv_length;  // whole blocks only
    overhead += 1;                    // the PaddingSize byte
  }
  return room > overhead ? room - overhead : 0;
}

AsymmetricChunkSizes AsymmetricSizes(int sender_key_bits, int receiver_key_bits) {
  AsymmetricChunkSizes s;
  s.ciphertext_block = static_cast<size_t>(std::max(receiver_key_bits, 0) + 7) / 8;
  s.plaintext_block =
      s.ciphertext_block > kRsaOaepSha1Overhead ? s.ciphertext_block - kRsaOaepSha1Overhead : 0;
  s.signature_size = static_cast<size_t>(std::max(sender_key_bits, 0) + 7) / 8;
  s.extra_padding = receiver_key_bits > 2048;
  return s;
}

ChunkPadding AsymmetricPadding(const AsymmetricChunkSizes& sizes, size_t plaintext_size) {
  return security_chunk_detail::PaddingFor(sizes.plaintext_block, sizes.extra_padding,
                                           plaintext_size, sizes.signature_size);
}

size_t MaxAsymmetricBodySize(const AsymmetricChunkSizes& sizes, size_t chunk_size,
                             size_t header_size) {
  if (chunk_size <= header_size || sizes.ciphertext_block == 0) return 0;
  const size_t blocks = (chunk_size - header_size) / sizes.ciphertext_block;
  const size_t room = blocks * sizes.plaintext_block;
  const size_t overhead =
      kChunkSequenceHeaderSize + sizes.signature_size + (sizes.extra_padding ? 2 : 1);
  return room > overhead ? room - overhead : 0;
}

size_t AsymmetricSecurityHeaderSize(size_t policy_uri_size, size_t sender_certificate_size,
                                    size_t receiver_thumbprint_size) {
  return 4 + policy_uri_size + 4 + sender_certificate_size + 4 + receiver_thumbprint_size;
}

// --- Parts ----------------------------------------------------------------------------------

void AppendChunkPadding(CryptoBytes& chunk, const ChunkPadding& padding) {
  chunk.insert(chunk.end(), padding.size + 1, static_cast<uint8_t>(padding.size & 0xFF));
  if (padding.extra) chunk.push_back(static_cast<uint8_t>(padding.size >> 8));
}

bool WriteChunkMessageSize(std::span<uint8_t> chunk, uint32_t size) {
  if (chunk.size() < kChunkMessageHeaderSize) return false;
  for (int i = 0; i < 4; ++i)
    chunk[4 + i] = static_cast<uint8_t>(size >> (8 * i));
  return true;
}

uint32_t ReadChunkMessageSize(std::span<const uint8_t> chunk) {
  if (chunk.size() < kChunkMessageHeaderSize) return 0;
  uint32_t size = 0;
  for (int i = 3; i >= 0; --i)
    size = (size << 8) | chunk[4 + i];
  return size;
}

Result<std::array<uint8_t, kSha256Size>> SymmetricChunkSignature(const SymmetricKeys& keys,
                                                                 ByteView signed_part) {
  return HmacSha256(keys.signing_key.view(), {signed_part});
}

Status VerifySymmetricChunkSignature(const SymmetricKeys& keys, ByteView signed_part,
                                     ByteView signature) {
  auto expected = SymmetricChunkSignature(keys, signed_part);
  if (!expected.ok()) return expected.status();
  if (!ConstantTimeEqual(*expected, signature)) {
    return Unauthenticated("secure chunk: the signature does not match");
  }
  return Status::Ok();
}

Status EncryptSymmetricChunkPart(const SymmetricKeys& keys, std::span<uint8_t> part) {
  return AesCbcEncrypt(keys.encrypting_key.view(), keys.iv.view(), part);
}

Status DecryptSymmetricChunkPart(const SymmetricKeys& keys, std::span<uint8_t> part) {
  return AesCbcDecrypt(keys.encrypting_key.view(), keys.iv.view(), part);
}

// --- Whole chunks ---------------------------------------------------------------------------

Status SealSymmetricChunk(const SecurityPolicyProfile& policy, ChunkProtection protection,
                          const SymmetricKeys& sender_keys, CryptoBytes& chunk,
                          size_t security_header_end) {
  if (security_header_end < kChunkMessageHeaderSize ||
      chunk.size() < security_header_end + kChunkSequenceHeaderSize) {
    return InvalidArgument("secure chunk: {} bytes, headers end at {}", chunk.size(),
                           security_header_end);
  }
  const bool encrypt = protection == ChunkProtection::kSignAndEncrypt;
  if (encrypt)
    AppendChunkPadding(chunk, SymmetricPadding(policy, chunk.size() - security_header_end));
  const size_t total = chunk.size() + policy.symmetric_signature_size;
  if (total > std::numeric_limits<uint32_t>::max()) {
    return InvalidArgument("secure chunk: {} bytes is too large", total);
  }
  WriteChunkMessageSize(chunk, static_cast<uint32_t>(total));
  auto signature = SymmetricChunkSignature(sender_keys, chunk);
  if (!signature.ok()) return signature.status();
  chunk.insert(chunk.end(), signature->begin(), signature->end());
  if (!encrypt) return Status::Ok();
  return EncryptSymmetricChunkPart(sender_keys,
                                   std::span<uint8_t>(chunk).subspan(security_header_end));
}

Result<OpenedChunk> OpenSymmetricChunk(const SecurityPolicyProfile& policy,
                                       ChunkProtection protection, const SymmetricKeys& sender_keys,
                                       std::span<uint8_t> chunk, size_t security_header_end) {
  const bool encrypt = protection == ChunkProtection::kSignAndEncrypt;
  const size_t sig = policy.symmetric_signature_size;
  if (security_header_end < kChunkMessageHeaderSize ||
      chunk.size() < security_header_end + kChunkSequenceHeaderSize + sig + (encrypt ? 1 : 0)) {
    return Corruption("secure chunk: {} bytes are too few for its headers and signature",
                      chunk.size());
  }
  if (!security_chunk_detail::MessageSizeMatches(chunk)) {
    return Corruption("secure chunk: MessageSize {} but {} bytes", ReadChunkMessageSize(chunk),
                      chunk.size());
  }
  if (encrypt) {
    const auto part = chunk.subspan(security_header_end);
    if (part.size() % policy.iv_length != 0) {
      return Corruption("secure chunk: {} encrypted bytes are not whole blocks", part.size());
    }
    FH_RETURN_IF_ERROR(DecryptSymmetricChunkPart(sender_keys, part));
  }
  const size_t sig_begin = chunk.size() - sig;
  FH_RETURN_IF_ERROR(
      VerifySymmetricChunkSignature(sender_keys, chunk.first(sig_begin), chunk.subspan(sig_begin)));
  OpenedChunk opened;
  opened.body_begin = security_header_end + kChunkSequenceHeaderSize;
  opened.plaintext_end = chunk.size();
  opened.body_end = sig_begin;
  if (encrypt) {
    auto end = security_chunk_detail::CheckPadding(chunk, opened.body_begin, sig_begin, false);
    if (!end.ok()) return end.status();
    opened.body_end = *end;
  }
  return opened;
}

Status SealAsymmetricChunk(const SecurityPolicyProfile& policy, const RsaKey& sender_private,
                           const RsaKey& receiver_public, CryptoBytes& chunk,
                           size_t security_header_end) {
  if (!sender_private.has_private() || !receiver_public.valid()) {
    return FailedPrecondition("OPN chunk: the sender's private key and the receiver's key needed");
  }
  FH_RETURN_IF_ERROR(CheckAsymmetricKeySize(policy, sender_private.bits()).WithContext("own key"));
  FH_RETURN_IF_ERROR(
      CheckAsymmetricKeySize(policy, receiver_public.bits()).WithContext("receiver's key"));
  if (security_header_end < kChunkMessageHeaderSize ||
      chunk.size() < security_header_end + kChunkSequenceHeaderSize) {
    return InvalidArgument("OPN chunk: {} bytes, headers end at {}", chunk.size(),
                           security_header_end);
  }
  const AsymmetricChunkSizes sizes = AsymmetricSizes(sender_private.bits(), receiver_public.bits());
  AppendChunkPadding(chunk, AsymmetricPadding(sizes, chunk.size() - security_header_end));
  const size_t plaintext = chunk.size() - security_header_end + sizes.signature_size;
  if (plaintext % sizes.plaintext_block != 0) return Internal("OPN chunk: padding miscounted");
  const size_t total =
      security_header_end + plaintext / sizes.plaintext_block * sizes.ciphertext_block;
  if (total > std::numeric_limits<uint32_t>::max()) {
    return InvalidArgument("OPN chunk: {} bytes is too large", total);
  }
  WriteChunkMessageSize(chunk, static_cast<uint32_t>(total));
  auto signature = RsaPkcs1Sha256Sign(sender_private, chunk);
  if (!signature.ok()) return signature.status();
  if (signature->size() != sizes.signature_size) return Internal("OPN chunk: signature size");
  chunk.insert(chunk.end(), signature->begin(), signature->end());
  auto ciphertext =
      RsaOaepSha1Encrypt(receiver_public, ByteView(chunk).subspan(security_header_end));
  if (!ciphertext.ok()) return ciphertext.status();
  if (security_header_end + ciphertext->size() != total) return Internal("OPN chunk: block count");
  chunk.resize(security_header_end);
  chunk.insert(chunk.end(), ciphertext->begin(), ciphertext->end());
  return Status::Ok();
}

Result<OpenedChunk> OpenAsymmetricChunk(const SecurityPolicyProfile& policy,
                                        const RsaKey& receiver_private, const RsaKey& sender_public,
                                        std::span<uint8_t> chunk, size_t security_header_end) {
  if (!receiver_private.has_private() || !sender_public.valid()) {
    return FailedPrecondition("OPN chunk: the receiver's private key and the sender's key needed");
  }
  FH_RETURN_IF_ERROR(
      CheckAsymmetricKeySize(policy, receiver_private.bits()).WithContext("own key"));
  FH_RETURN_IF_ERROR(
      CheckAsymmetricKeySize(policy, sender_public.bits()).WithContext("sender's key"));
  if (security_header_end < kChunkMessageHeaderSize || chunk.size() < security_header_end) {
    return Corruption("OPN chunk: {} bytes, headers end at {}", chunk.size(), security_header_end);
  }
  if (!security_chunk_detail::MessageSizeMatches(chunk)) {
    return Corruption("OPN chunk: MessageSize {} but {} bytes", ReadChunkMessageSize(chunk),
                      chunk.size());
  }
  const AsymmetricChunkSizes sizes = AsymmetricSizes(sender_public.bits(), receiver_private.bits());
  const auto encrypted = chunk.subspan(security_header_end);
  if (encrypted.empty() || encrypted.size() % sizes.ciphertext_block != 0) {
    return Corruption("OPN chunk: {} encrypted bytes are not whole {}-byte blocks",
                      encrypted.size(), sizes.ciphertext_block);
  }
  auto plaintext = RsaOaepSha1Decrypt(receiver_private, encrypted);
  if (!plaintext.ok()) return plaintext.status();
  std::memcpy(encrypted.data(), plaintext->data(), plaintext->size());
  OpenedChunk opened;
  opened.body_begin = security_header_end + kChunkSequenceHeaderSize;
  opened.plaintext_end = security_header_end + plaintext->size();
  if (opened.plaintext_end < opened.body_begin + sizes.signature_size + 1) {
    return Corruption("OPN chunk: {} decrypted bytes are too few", plaintext->size());
  }
  const size_t sig_begin = opened.plaintext_end - sizes.signature_size;
  FH_RETURN_IF_ERROR(RsaPkcs1Sha256Verify(sender_public, chunk.first(sig_begin),
                                          chunk.subspan(sig_begin, sizes.signature_size))
                         .WithContext("OPN chunk"));
  auto end =
      security_chunk_detail::CheckPadding(chunk, opened.body_begin, sig_begin, sizes.extra_padding);
  if (!end.ok()) return end.status();
  opened.body_end = *end;
  return opened;
}

}  // namespace fh::opcua
