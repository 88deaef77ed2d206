#include "connect/opcua/status_code.h"

#include <gtest/gtest.h>

#include "model/sample.h"

namespace fh::opcua {
namespace {

TEST(OpcUaStatusCodeTest, SeverityMapsToTheSampleQuality) {
  EXPECT_EQ(QualityOf(kGood), kQualityGood);
  EXPECT_EQ(QualityOf(kGoodNoData), kQualityGood);
  EXPECT_EQ(QualityOf(kUncertainLastUsableValue), kQualityUncertain);
  EXPECT_EQ(QualityOf(kBadSensorFailure), kQualityBad);
  EXPECT_EQ(QualityOf(0xC0000000u), kQualityBad);  // severity 11 is reserved: not trusted
}

// The values of OPC 10000-6's StatusCode table (Opc.Ua.StatusCodes.csv), as node-opcua sends
// them (tests/connect_opcua/captured: a sensor gone Bad is 0x808C0000).
TEST(OpcUaStatusCodeTest, CodesAreThoseOfTheSpecification) {
  EXPECT_EQ(kBadSensorFailure, 0x808C0000u);
  EXPECT_EQ(kBadDeviceFailure, 0x808B0000u);
  EXPECT_EQ(kBadNodeIdUnknown, 0x80340000u);
  EXPECT_EQ(kBadUserAccessDenied, 0x801F0000u);
  EXPECT_EQ(kBadSecurityChecksFailed, 0x80130000u);
  EXPECT_EQ(kBadCertificateUntrusted, 0x801A0000u);
  EXPECT_EQ(StatusName(0x808C0000u), "BadSensorFailure (0x808C0000)");
}

TEST(OpcUaStatusCodeTest, NamesIgnoreInfoBitsAndFallBackToTheSeverity) {
  EXPECT_EQ(StatusName(kBadNodeIdUnknown), "BadNodeIdUnknown (0x80340000)");
  EXPECT_EQ(StatusName(kGood | 0x0400), "Good (0x00000400)");  // an info bit set
  EXPECT_EQ(StatusName(0x80FE0000u), "Bad (0x80FE0000)");
  EXPECT_EQ(StatusName(0x40FE0000u), "Uncertain (0x40FE0000)");
}

}  // namespace
}  // namespace fh::opcua
