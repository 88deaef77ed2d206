// factoryhub write --hub DIR FILE|- [--epoch s|ms|us|ns] [--json]
//
// The whole file goes through one SampleWriter and one Commit: a malformed line anywhere
// fails the file and stores nothing, so a re-run after fixing it cannot duplicate data.
#include <chrono>
#include <filesystem>
#include <optional>
#include <unordered_set>

#include "cli/command.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "common/time.h"
#include "ingest/sample_csv_reader.h"

namespace fh::cli {
namespace {

struct WriteOptions {
  std::string hub;
  std::string file;
  std::string epoch;  // empty: RFC 3339 timestamps
  bool json = false;
};

// Bytes the reader has consumed, if it can tell (-1 otherwise): progress then shows lines.
template <typename Reader>
int64_t BytesRead(const Reader& reader) {
  if constexpr (requires { reader.bytes_read(); }) {
    return static_cast<int64_t>(reader.bytes_read());
  } else {
    return -1;
  }
}

std::string ProgressText(const std::string& name, int64_t samples, int64_t lines, int64_t done,
                         std::optional<int64_t> total) {
  std::string text = fmt::format("writing {}: {} samples", name, FormatCount(samples));
  if (done >= 0 && total && *total > 0) {
    text += fmt::format(", {} of {} ({}%)", FormatBytes(done), FormatBytes(*total),
                        done * 100 / *total);
  } else if (done >= 0) {
    text += fmt::format(", {} read", FormatBytes(done));
  } else {
    text += fmt::format(", {} lines", FormatCount(lines));
  }
  return text;
}

Status RunWrite(const WriteOptions& opts) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(opts.hub));

  ingest::SampleCsvOptions csv;
  if (!opts.epoch.empty()) {
    FH_ASSIGN_OR_RETURN(csv.epoch_unit, ParseEpochUnit(opts.epoch));
  }
  const std::string name = opts.file == "-" ? "<stdin>" : opts.file;
  std::optional<int64_t> total;
  if (opts.file != "-") {
    std::error_code ec;
    if (std::filesystem::is_regular_file(opts.file, ec)) {
      total = static_cast<int64_t>(std::filesystem::file_size(opts.file, ec));
      if (ec) total.reset();
    }
  }
  FH_ASSIGN_OR_RETURN(std::unique_ptr<ingest::SampleCsvReader> reader,
                      ingest::SampleCsvReader::Open(opts.file, csv));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<SampleWriter> writer, hub->storage().NewWriter());

  const auto start = std::chrono::steady_clock::now();
  ProgressLine progress;
  SampleBatch batch;
  std::unordered_set<std::string> tags;
  auto nothing_stored = [](const Status& s) {
    return Status(s.code(), s.message() + " (nothing was stored)");
  };
  while (true) {
    Result<bool> more = reader->Next(&batch);
    if (!more.ok()) return nothing_stored(more.status());
    if (!*more) break;
    for (const std::string& tag : batch.tag_names())
      tags.insert(tag);
    if (Status s = writer->Append(batch); !s.ok()) return nothing_stored(s);
    if (progress.Due()) {
      progress.Show(
          ProgressText(name, writer->appended(), reader->lines_read(), BytesRead(*reader), total));
    }
  }
  progress.Show(fmt::format("committing {} samples...", FormatCount(writer->appended())));
  if (Status s = writer->Commit(); !s.ok()) return nothing_stored(s);
  progress.Clear();

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int64_t written = writer->appended();
  const double rate = seconds > 0 ? static_cast<double>(written) / seconds : 0;
  if (opts.json) {
    PrintJson({{"file", name},
               {"written", written},
               {"tags", tags.size()},
               {"seconds", seconds},
               {"samples_per_second", rate}});
  } else {
    fmt::print("Wrote {} samples of {} tag{} from {} in {} ({} samples/s).\n", FormatCount(written),
               tags.size(), tags.size() == 1 ? "" : "s", name, FormatSeconds(seconds),
               FormatCount(static_cast<int64_t>(rate)));
  }
  return Status::Ok();
}

}  // namespace

Command RegisterWrite(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "write", "Store samples from a CSV file (timestamp,tag,value[,quality]); all or nothing");
  auto opts = std::make_shared<WriteOptions>();
  AddHubOption(sub, &opts->hub);
  sub->add_option("FILE", opts->file, "CSV file to read, or - for standard input")->required();
  sub->add_option("--epoch", opts->epoch,
                  "Timestamps are numbers of this unit since the Unix epoch (default: RFC 3339 "
                  "text)")
      ->check(CLI::IsMember({"s", "ms", "us", "ns"}))
      ->type_name("s|ms|us|ns");
  AddJsonOption(sub, &opts->json);
  sub->footer(
      "Example:\n"
      "  factoryhub write --hub plant samples.csv\n"
      "  printf 'timestamp,tag,value\\n2026-03-01T08:00:00Z,line-1.temp,21.5\\n' | "
      "factoryhub write --hub plant -");
  return {sub, [opts] { return RunWrite(*opts); }};
}

}  // namespace fh::cli
