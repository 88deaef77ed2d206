#include "connect/opcua/status_code.h"

#include <fmt/format.h>

#include <array>
#include <string_view>
#include <utility>

#include "model/sample.h"

namespace fh::opcua {
namespace {

constexpr std::array<std::pair<StatusCode, std::string_view>, 52> kNames = {{
    {kGood, "Good"},
    {kBadUnexpectedError, "BadUnexpectedError"},
    {kBadInternalError, "BadInternalError"},
    {kBadOutOfMemory, "BadOutOfMemory"},
    {kBadCommunicationError, "BadCommunicationError"},
    {kBadEncodingError, "BadEncodingError"},
    {kBadDecodingError, "BadDecodingError"},
    {kBadEncodingLimitsExceeded, "BadEncodingLimitsExceeded"},
    {kBadTimeout, "BadTimeout"},
    {kBadServiceUnsupported, "BadServiceUnsupported"},
    {kBadShutdown, "BadShutdown"},
    {kBadServerNotConnected, "BadServerNotConnected"},
    {kBadNothingToDo, "BadNothingToDo"},
    {kBadTooManyOperations, "BadTooManyOperations"},
    {kBadCertificateInvalid, "BadCertificateInvalid"},
    {kBadSecurityChecksFailed, "BadSecurityChecksFailed"},
    {kBadCertificateUntrusted, "BadCertificateUntrusted"},
    {kBadIdentityTokenInvalid, "BadIdentityTokenInvalid"},
    {kBadIdentityTokenRejected, "BadIdentityTokenRejected"},
    {kBadSecureChannelIdInvalid, "BadSecureChannelIdInvalid"},
    {kBadSessionIdInvalid, "BadSessionIdInvalid"},
    {kBadSessionClosed, "BadSessionClosed"},
    {kBadSessionNotActivated, "BadSessionNotActivated"},
    {kBadSubscriptionIdInvalid, "BadSubscriptionIdInvalid"},
    {kBadNoSubscription, "BadNoSubscription"},
    {kBadSequenceNumberUnknown, "BadSequenceNumberUnknown"},
    {kBadMessageNotAvailable, "BadMessageNotAvailable"},
    {kBadNodeIdUnknown, "BadNodeIdUnknown"},
    {kBadAttributeIdInvalid, "BadAttributeIdInvalid"},
    {kBadNotReadable, "BadNotReadable"},
    {kBadUserAccessDenied, "BadUserAccessDenied"},
    {kBadContinuationPointInvalid, "BadContinuationPointInvalid"},
    {kBadNoContinuationPoints, "BadNoContinuationPoints"},
    {kBadTcpMessageTypeInvalid, "BadTcpMessageTypeInvalid"},
    {kBadTcpSecureChannelUnknown, "BadTcpSecureChannelUnknown"},
    {kBadTcpMessageTooLarge, "BadTcpMessageTooLarge"},
    {kBadTcpNotEnoughResources, "BadTcpNotEnoughResources"},
    {kBadTcpInternalError, "BadTcpInternalError"},
    {kBadTcpEndpointUrlInvalid, "BadTcpEndpointUrlInvalid"},
    {kBadRequestTooLarge, "BadRequestTooLarge"},
    {kBadResponseTooLarge, "BadResponseTooLarge"},
    {kBadWaitingForInitialData, "BadWaitingForInitialData"},
    {kBadNoCommunication, "BadNoCommunication"},
    {kBadSensorFailure, "BadSensorFailure"},
    {kBadDeviceFailure, "BadDeviceFailure"},
    {kBadOutOfService, "BadOutOfService"},
    {kUncertainLastUsableValue, "UncertainLastUsableValue"},
    {kUncertainSensorNotAccurate, "UncertainSensorNotAccurate"},
    {kGoodNoData, "GoodNoData"},
    {0x80AF0000, "BadInvalidState"},
    {0x80AB0000, "BadInvalidArgument"},
    {0x80AC0000, "BadConnectionRejected"},
}};

}  // namespace

uint32_t QualityOf(StatusCode s) {
  if (IsGood(s)) return kQualityGood;
  return IsUncertain(s) ? kQualityUncertain : kQualityBad;
}

std::string StatusName(StatusCode s) {
  // The low 16 bits are info bits (limits, overflow): the name is the top 16's.
  const StatusCode code = s & 0xFFFF0000u;
  for (const auto& [value, name] : kNames) {
    if (value == code) return fmt::format("{} (0x{:08X})", name, s);
  }
  return fmt::format("{} (0x{:08X})", IsGood(s) ? "Good" : IsUncertain(s) ? "Uncertain" : "Bad", s);
}

}  // namespace fh::opcua
