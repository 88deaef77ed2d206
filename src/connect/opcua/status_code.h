// OPC UA status codes (OPC 10000-4 §7.39, OPC 10000-6 §5.2.2.11): a 32-bit value whose two
// top bits are the severity (Good 00, Uncertain 01, Bad 10) and whose next 14 bits name the
// code. The hub keeps the OPC DA quality byte samples carry (model/sample.h), so a value's
// status maps onto it by severity; the name is what a person sees in errors.
#pragma once

#include <cstdint>
#include <string>

namespace fh::opcua {

using StatusCode = uint32_t;

inline constexpr StatusCode kGood = 0x00000000;
inline constexpr StatusCode kBadUnexpectedError = 0x80010000;
inline constexpr StatusCode kBadInternalError = 0x80020000;
inline constexpr StatusCode kBadOutOfMemory = 0x80030000;
inline constexpr StatusCode kBadCommunicationError = 0x80050000;
inline constexpr StatusCode kBadEncodingError = 0x80060000;
inline constexpr StatusCode kBadDecodingError = 0x80070000;
inline constexpr StatusCode kBadEncodingLimitsExceeded = 0x80080000;
inline constexpr StatusCode kBadTimeout = 0x800A0000;
inline constexpr StatusCode kBadServiceUnsupported = 0x800B0000;
inline constexpr StatusCode kBadShutdown = 0x800C0000;
inline constexpr StatusCode kBadServerNotConnected = 0x800D0000;
inline constexpr StatusCode kBadNothingToDo = 0x800F0000;
inline constexpr StatusCode kBadTooManyOperations = 0x80100000;
inline constexpr StatusCode kBadCertificateInvalid = 0x80120000;
inline constexpr StatusCode kBadSecurityChecksFailed = 0x80130000;
inline constexpr StatusCode kBadCertificateUntrusted = 0x801A0000;
inline constexpr StatusCode kBadIdentityTokenInvalid = 0x80200000;
inline constexpr StatusCode kBadIdentityTokenRejected = 0x80210000;
inline constexpr StatusCode kBadSecureChannelIdInvalid = 0x80220000;
inline constexpr StatusCode kBadSessionIdInvalid = 0x80250000;
inline constexpr StatusCode kBadSessionClosed = 0x80260000;
inline constexpr StatusCode kBadSessionNotActivated = 0x80270000;
inline constexpr StatusCode kBadSubscriptionIdInvalid = 0x80280000;
inline constexpr StatusCode kBadNoSubscription = 0x80790000;
inline constexpr StatusCode kBadSequenceNumberUnknown = 0x807A0000;
inline constexpr StatusCode kBadMessageNotAvailable = 0x807B0000;
inline constexpr StatusCode kBadNodeIdUnknown = 0x80340000;
inline constexpr StatusCode kBadAttributeIdInvalid = 0x80350000;
inline constexpr StatusCode kBadNotReadable = 0x803A0000;
inline constexpr StatusCode kBadUserAccessDenied = 0x801F0000;
inline constexpr StatusCode kBadContinuationPointInvalid = 0x804A0000;
inline constexpr StatusCode kBadNoContinuationPoints = 0x804B0000;
inline constexpr StatusCode kBadTcpMessageTypeInvalid = 0x807E0000;
inline constexpr StatusCode kBadTcpSecureChannelUnknown = 0x807F0000;
inline constexpr StatusCode kBadTcpMessageTooLarge = 0x80800000;
inline constexpr StatusCode kBadTcpNotEnoughResources = 0x80810000;
inline constexpr StatusCode kBadTcpInternalError = 0x80820000;
inline constexpr StatusCode kBadTcpEndpointUrlInvalid = 0x80830000;
inline constexpr StatusCode kBadRequestTooLarge = 0x80B80000;
inline constexpr StatusCode kBadResponseTooLarge = 0x80B90000;
inline constexpr StatusCode kBadWaitingForInitialData = 0x80320000;
inline constexpr StatusCode kBadNoCommunication = 0x80310000;
inline constexpr StatusCode kBadSensorFailure = 0x808C0000;
inline constexpr StatusCode kBadDeviceFailure = 0x808B0000;
inline constexpr StatusCode kBadOutOfService = 0x808D0000;
inline constexpr StatusCode kUncertainLastUsableValue = 0x40900000;
inline constexpr StatusCode kUncertainSensorNotAccurate = 0x40930000;
inline constexpr StatusCode kGoodNoData = 0x00A50000;

inline constexpr bool IsGood(StatusCode s) {
  return (s >> 30) == 0;
}
inline constexpr bool IsUncertain(StatusCode s) {
  return (s >> 30) == 1;
}
inline constexpr bool IsBad(StatusCode s) {
  return (s >> 30) >= 2;
}

// The OPC DA quality byte of a value with status `s`: Good 192, Uncertain 64, Bad 0.
uint32_t QualityOf(StatusCode s);

// "BadNodeIdUnknown (0x80340000)" for a code named above, "Bad (0x80AB0000)" by severity
// for one that is not.
std::string StatusName(StatusCode s);

}  // namespace fh::opcua
