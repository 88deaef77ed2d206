// The audit ledger's speed (make bench): appends in batches into a fresh hub until the log
// holds N entries (10 M unless told), then inclusion proofs of random entries in the tree of
// all N, read from the store as `audit proof` reads them, and each verified. Targets (issue
// 18): appends >= 50k entries/s, a proof <= 1 ms.
//
//   fh_ledger_bench HUB_DIR [ENTRIES] [BATCH]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "security/merkle.h"
#include "security/signing_key.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog_session.h"
#include "store/hub.h"

namespace {

using Clock = std::chrono::steady_clock;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double Quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(q * v.size()))];
}

int Run(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: fh_ledger_bench HUB_DIR [ENTRIES] [BATCH]\n");
    return 2;
  }
  const uint64_t entries = argc > 2 ? std::stoull(argv[2]) : 10'000'000;
  const size_t batch = argc > 3 ? std::stoull(argv[3]) : 10'000;
  if (fh::Status s = fh::Hub::Init(argv[1], fh::HubConfig{}); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  auto hub = fh::Hub::Open(argv[1]);
  if (!hub.ok()) return 1;
  const fh::security::SigningKey key = fh::security::SigningKey::Generate();

  // What an import or an operator's action records: an actor, an action, a subject, a detail.
  std::vector<fh::AuditRecord> records(batch);
  std::vector<double> rates;
  const auto start = Clock::now();
  uint64_t done = 0;
  while (done < entries) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(batch, entries - done));
    records.resize(n);
    for (size_t i = 0; i < n; ++i) {
      records[i] = {"op.wang",
                    "alarm.acknowledge",
                    fmt::format("cnc-{:02}-temp-high", (done + i) % 40),
                    {{"comment", "checked the coolant"}, {"n", done + i}}};
    }
    const auto t0 = Clock::now();
    fh::CatalogSession session = (*hub)->OpenCatalog();
    fh::Result<fh::SignedTreeHead> head = session.audit().Append(records, key);
    if (!head.ok()) {
      std::fprintf(stderr, "append: %s\n", head.status().ToString().c_str());
      return 1;
    }
    rates.push_back(n / std::chrono::duration<double>(Clock::now() - t0).count());
    done += n;
    if (done % 1'000'000 < n)
      std::fprintf(stderr, "ledger bench: %llu entries\n", (unsigned long long)done);
  }
  const double total_s = std::chrono::duration<double>(Clock::now() - start).count();

  fh::CatalogSession session = (*hub)->OpenCatalog();
  fh::AuditLedger& ledger = session.audit();
  auto latest = ledger.LatestHead();
  if (!latest.ok() || !*latest) return 1;
  const fh::security::TreeHead head = (*latest)->head;
  std::mt19937_64 rng(7);
  std::vector<double> proof_us;
  size_t hashes = 0;
  for (int i = 0; i < 2001; ++i) {
    const uint64_t seq = rng() % head.size;
    const auto t0 = Clock::now();
    auto proof = fh::security::InclusionProof(ledger.Perfect(), seq, head.size);
    auto text = ledger.EntryText(seq);
    if (!proof.ok() || !text.ok()) return 1;
    const bool ok = fh::security::VerifyInclusion(seq, head.size, fh::security::LeafHash(*text),
                                                  *proof, head.root);
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
    if (!ok) {
      std::fprintf(stderr, "proof of %llu does not verify\n", (unsigned long long)seq);
      return 1;
    }
    if (i > 0) proof_us.push_back(us);  // the first warms the page cache
    hashes = proof->size();
  }
  std::vector<double> consistency_us;
  for (int i = 0; i < 101; ++i) {
    const uint64_t first = 1 + rng() % (head.size - 1);
    const auto t0 = Clock::now();
    auto proof = fh::security::ConsistencyProof(ledger.Perfect(), first, head.size);
    if (!proof.ok()) return 1;
    if (i > 0) {
      consistency_us.push_back(
          std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
  }
  fmt::print("| ledger, {} entries in batches of {} | value | target |\n|---|---:|---:|\n",
             head.size, batch);
  fmt::print("| append, whole run (entries/s) | {:.0f} | >= 50,000 |\n", head.size / total_s);
  fmt::print("| append, median batch (entries/s) | {:.0f} | |\n", Median(rates));
  fmt::print("| inclusion proof + verify, median (ms) | {:.3f} | <= 1 |\n",
             Median(proof_us) / 1000);
  fmt::print("| inclusion proof + verify, p99 (ms) | {:.3f} | |\n",
             Quantile(proof_us, 0.99) / 1000);
  fmt::print("| consistency proof, median (ms) | {:.3f} | |\n", Median(consistency_us) / 1000);
  fmt::print("({} hashes per inclusion proof)\n", hashes);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return Run(argc, argv);
}
