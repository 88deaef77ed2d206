// Securing and opening OPC UA Secure Conversation chunks (OPC 10000-6 §6.7.2) for the
// policies of ua_security_policy.h, over a byte buffer and the offsets of its parts,
// independent of the classes that build and parse chunks:
//
//   [0, 12)                    message header: "MSG"/"OPN"/"CLO", chunk type, MessageSize
//                              (UInt32 LE at offset 4), SecureChannelId
//   [12, security_header_end)  security header: TokenId (symmetric, 4 bytes) or the
//                              asymmetric one (policy URI, sender certificate, thumbprint)
//   [security_header_end, +8)  sequence header: SequenceNumber, RequestId
//   ... body ...
//   padding                    (when encrypted) PaddingSize byte, PaddingSize bytes all equal
//                              to it, and an ExtraPaddingSize byte (the high byte of the
//                              padding size) when the encrypting key is larger than 2048 bits
//   signature                  over [0, end of padding)
//
// Encryption covers [security_header_end, end). Symmetric chunks (MSG, CLO) are signed with
// HMAC-SHA256 and, in SignAndEncrypt, encrypted with AES-CBC under the sender's derived keys;
// asymmetric chunks (OPN) are always signed (RSA-PKCS1-SHA256, the sender's private key) and
// encrypted (RSA-OAEP-SHA1, the receiver's public key, block by block) for these policies,
// even when the channel's mode is Sign.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/status.h"
#include "connect/opcua/ua_crypto.h"
#include "connect/opcua/ua_security_policy.h"

namespace fh::opcua {

enum class ChunkProtection { kSign, kSignAndEncrypt };

inline constexpr size_t kChunkMessageHeaderSize = 12;
inline constexpr size_t kChunkSymmetricSecurityHeaderSize = 4;  // TokenId
inline constexpr size_t kChunkSequenceHeaderSize = 8;

// The footer's padding: `size` padding bytes after the PaddingSize byte, and the
// ExtraPaddingSize byte when `extra`.
struct ChunkPadding {
  size_t size = 0;
  bool extra = false;
  // Bytes the padding fields take in the chunk.
  size_t field_size() const { return 1 + size + (extra ? 1 : 0); }
};

// --- Sizes ----------------------------------------------------------------------------------

// Symmetric padding for `plaintext_size` bytes from the sequence header to the end of the body,
// so that they, the padding and the signature fill whole AES blocks (the least padding).
ChunkPadding SymmetricPadding(const SecurityPolicyProfile& policy, size_t plaintext_size);

// The most body bytes a symmetric chunk of `chunk_size` bytes (the peer's receive buffer
// size) carries: what is left after the headers, the signature and, when encrypted, the
// padding byte and the last incomplete block.
size_t MaxSymmetricBodySize(const SecurityPolicyProfile& policy, ChunkProtection protection,
                            size_t chunk_size,
                            size_t security_header_size = kChunkSymmetricSecurityHeaderSize);

// The block and signature sizes of an asymmetric chunk: the signature has the sender's key
// size; blocks follow the receiver's key (OAEP-SHA1: key bytes − 42 of plaintext per key
// bytes of ciphertext); ExtraPaddingSize is there when the receiver's key exceeds 2048 bits.
struct AsymmetricChunkSizes {
  size_t plaintext_block = 0;
  size_t ciphertext_block = 0;
  size_t signature_size = 0;
  bool extra_padding = false;
};
AsymmetricChunkSizes AsymmetricSizes(int sender_key_bits, int receiver_key_bits);

ChunkPadding AsymmetricPadding(const AsymmetricChunkSizes& sizes, size_t plaintext_size);

// The most body bytes an asymmetric chunk of `chunk_size` bytes carries after `header_size`
// bytes of message and security headers.
size_t MaxAsymmetricBodySize(const AsymmetricChunkSizes& sizes, size_t chunk_size,
                             size_t header_size);

// The asymmetric security header's size: policy URI, sender certificate and receiver
// thumbprint, each a length-prefixed ByteString.
size_t AsymmetricSecurityHeaderSize(size_t policy_uri_size, size_t sender_certificate_size,
                                    size_t receiver_thumbprint_size = kSha1Size);

// --- Parts ----------------------------------------------------------------------------------

// Appends the padding fields.
void AppendChunkPadding(CryptoBytes& chunk, const ChunkPadding& padding);
// Writes MessageSize (offset 4, UInt32 little-endian); false if the chunk has no header.
bool WriteChunkMessageSize(std::span<uint8_t> chunk, uint32_t size);
// Reads it; 0 if the chunk is shorter than a message header.
uint32_t ReadChunkMessageSize(std::span<const uint8_t> chunk);

Result<std::array<uint8_t, kSha256Size>> SymmetricChunkSignature(const SymmetricKeys& keys,
                                                                 ByteView signed_part);
// Constant time; Unauthenticated when it does not match.
Status VerifySymmetricChunkSignature(const SymmetricKeys& keys, ByteView signed_part,
                                     ByteView signature);
Status EncryptSymmetricChunkPart(const SymmetricKeys& keys, std::span<uint8_t> part);
Status DecryptSymmetricChunkPart(const SymmetricKeys& keys, std::span<uint8_t> part);

// --- Whole chunks ---------------------------------------------------------------------------

// Secures a symmetric chunk that holds its headers and body (body up to chunk.size()):
// appends the padding (SignAndEncrypt), sets MessageSize to the final size, appends the
// signature and encrypts (SignAndEncrypt). `sender_keys` are this side's derived keys.
Status SealSymmetricChunk(const SecurityPolicyProfile& policy, ChunkProtection protection,
                          const SymmetricKeys& sender_keys, CryptoBytes& chunk,
                          size_t security_header_end);

// Where the body of an opened chunk is. `plaintext_end` is where the decrypted bytes end
// (the chunk's size for symmetric chunks, less for asymmetric ones).
struct OpenedChunk {
  size_t body_begin = 0;
  size_t body_end = 0;
  size_t plaintext_end = 0;
};

// Opens a received symmetric chunk in place: decrypts (SignAndEncrypt), verifies the
// signature with the peer's keys (`sender_keys`), checks the padding. Unauthenticated when
// the signature is wrong; Corruption when the sizes or the padding are.
Result<OpenedChunk> OpenSymmetricChunk(const SecurityPolicyProfile& policy,
                                       ChunkProtection protection, const SymmetricKeys& sender_keys,
                                       std::span<uint8_t> chunk, size_t security_header_end);

// Secures an asymmetric (OPN) chunk: pads for the receiver's key, sets MessageSize to the
// encrypted size, signs with `sender_private`, encrypts for `receiver_public`. Both keys must
// be within the policy's sizes.
Status SealAsymmetricChunk(const SecurityPolicyProfile& policy, const RsaKey& sender_private,
                           const RsaKey& receiver_public, CryptoBytes& chunk,
                           size_t security_header_end);

// Opens a received asymmetric chunk in place: decrypts with `receiver_private` (the plaintext
// is written back from security_header_end on, shorter than the ciphertext), verifies the
// signature with `sender_public` (the sender's certificate's key), checks the padding.
Result<OpenedChunk> OpenAsymmetricChunk(const SecurityPolicyProfile& policy,
                                        const RsaKey& receiver_private, const RsaKey& sender_public,
                                        std::span<uint8_t> chunk, size_t security_header_end);

}  // namespace fh::opcua
