#include "cli/demo_share.h"

#include "cli/demo_erp.h"

#include "common/time.h"
#include "security/api_token.h"
#include "security/merkle.h"
#include "share/share_package.h"
#include "store/audit/audit_ledger.h"

namespace fh::cli {
namespace {

constexpr int64_t kAgreementDays = 90;

std::string AgreementYaml(const security::BoxPublicKey& partner_key, TimestampNs from,
                          TimestampNs to, TimestampNs now) {
  return fmt::format(
      "# The demo's data-sharing agreement (docs/sharing.md), rewritten at each start for the\n"
      "# history's window: what the tool maker gets, and nothing else.\n"
      "agreement: tool-life-study\n"
      "partner: Precision Tools Co. (the demo's partner hub, {})\n"
      "partner_key: {}\n"
      "purpose: tool life of the bore tools on line 1\n"
      "tags: ['line-1.cnc-*.tool_wear', 'line-1.cnc-*.torque']\n"
      "aggregate: 15m\n"
      "functions: [mean, max]\n"
      "records:\n"
      "  - entity: inspection\n"
      "    fields: [characteristic, inspected_at, equipment, value, result, work_order]\n"
      "    where: ['characteristic=bore_diameter']\n"
      "    time: inspected_at\n"
      "    pseudonymise: [work_order]\n"
      "from: {}\n"
      "to: {}\n"
      "expires: {}\n",
      kDemoPartnerDir, security::Hex(partner_key), FormatRfc3339(from), FormatRfc3339(to),
      FormatRfc3339(now + kAgreementDays * kNanosPerDay).substr(0, 10));
}

}  // namespace

Result<DemoShare> ShareWithDemoPartner(Hub& hub, const std::filesystem::path& dir, TimestampNs from,
                                       TimestampNs to) {
  DemoShare out;
  out.partner_dir = dir / kDemoPartnerDir;
  out.agreement_file = dir / kDemoAgreementFile;
  out.package_file = dir / "share-tool-life.fhshare";
  std::error_code ec;
  if (!std::filesystem::exists(out.partner_dir / kHubConfigFile, ec)) {
    HubConfig config;
    config.name = "precision-tools";
    FH_RETURN_IF_ERROR(Hub::Init(out.partner_dir, config));
  }
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> partner, Hub::Open(out.partner_dir));
  FH_ASSIGN_OR_RETURN(const security::BoxPublicKey partner_key, share::HubBoxPublicKey(*partner));
  const TimestampNs now = NowNs();
  const std::string yaml = AgreementYaml(partner_key, from, to, now);
  FH_RETURN_IF_ERROR(WriteDemoFile(out.agreement_file, yaml));
  FH_ASSIGN_OR_RETURN(const share::Agreement a,
                      share::Agreement::Parse(yaml, out.agreement_file.string()));
  out.agreement = a.id;
  out.partner = partner->config().name;
  FH_ASSIGN_OR_RETURN(const share::ExportedPackage p, share::ExportShare(hub, a, "demo", now));
  FH_RETURN_IF_ERROR(WriteDemoFile(out.package_file, p.bytes));
  FH_ASSIGN_OR_RETURN(const security::SigningKey signer, HubSigningKey(hub));
  FH_ASSIGN_OR_RETURN(const share::ImportedShare s,
                      share::ImportShare(*partner, p.bytes, out.package_file.string(),
                                         signer.public_key(), "demo", now));
  out.series = s.series;
  out.buckets = p.buckets;
  out.records = s.records;
  return out;
}

}  // namespace fh::cli
