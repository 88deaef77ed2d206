#include "pipeline/sample_file_write.h"

#include "common/time.h"
#include "pipeline/quarantine_spool.h"
#include "store/catalog/catalog.h"

namespace fh::pipeline {
namespace {

class SampleFileWrite {
 public:
  SampleFileWrite(Hub& hub, ingest::SampleCsvReader& reader, const StreamSource& source,
                  const SampleFileWriteOptions& options)
      : hub_(hub), reader_(reader), source_(source), options_(options) {}

  Result<SampleFileWriteReport> Run() {
    {
      CatalogSession session = hub_.OpenCatalog();
      FH_ASSIGN_OR_RETURN(UnitOfWork txn, session.Begin());
      FH_ASSIGN_OR_RETURN(report_.batch_id,
                          BeginSampleBatch(session, source_, options_.governor.get()));
      FH_RETURN_IF_ERROR(txn.Commit());
      if (options_.governor) {
        FH_ASSIGN_OR_RETURN(IngestBatch batch, session.catalog().GetBatch(report_.batch_id));
        report_.mapping = batch.mapping_version;
      }
    }
    // The writer holds the database's write lock until it commits: the books (quarantine,
    // lineage, counts) are written after it, and a failure is recorded once it is gone.
    Status run = ReadAll();
    if (run.ok()) run = writer_->Commit();
    if (writer_) report_.written = writer_->appended();
    writer_.reset();
    if (!run.ok()) return Fail(run);
    if (Status s = RecordBooks(); !s.ok())
      return Fail(s.WithContext("the samples were stored, but"));
    return std::move(report_);
  }

 private:
  Status ReadAll() {
    FH_ASSIGN_OR_RETURN(writer_, hub_.storage().NewWriter());
    SampleBatch batch;
    while (true) {
      FH_ASSIGN_OR_RETURN(const bool more, reader_.Next(&batch));
      if (!more) break;
      for (const ingest::BadSampleLine& bad : reader_.bad_lines()) {
        if (options_.on_bad == BadSamplePolicy::kRejectFile) {
          return InvalidArgument("{}:{}: {}", source_.object, bad.line, bad.message);
        }
        FH_RETURN_IF_ERROR(Quarantine(QuarantinedRecordOf(report_.batch_id, source_, "sample-csv",
                                                          {bad.line, bad.raw, bad.message}),
                                      bad.line, bad.message));
      }
      if (!batch.empty()) FH_RETURN_IF_ERROR(Store(batch));
      if (options_.progress) options_.progress(writer_->appended(), reader_.lines_read());
    }
    return Status::Ok();
  }

  Status Store(const SampleBatch& batch) {
    auto line_of = [this](size_t i) { return reader_.point_line(i); };
    if (!options_.governor) {
      MergeSeriesSpans(batch, BatchSpans(batch, line_of), spans_);
      return writer_->Append(batch);
    }
    govern::GovernedBatch governed = options_.governor->Apply(batch, NowNs());
    report_.warnings += governed.warnings;
    if (governed.all_kept) {
      MergeSeriesSpans(batch, BatchSpans(batch, line_of), spans_);
      return writer_->Append(batch);
    }
    std::vector<size_t> kept_index;  // of each kept point in `batch`
    kept_index.reserve(governed.kept.size());
    size_t next_rejected = 0;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (next_rejected < governed.rejected.size() && governed.rejected[next_rejected].index == i) {
        const govern::RejectedPoint& p = governed.rejected[next_rejected++];
        const int64_t line = reader_.point_line(i);
        const std::string why = fmt::format("tag {}: {}", p.tag, govern::FailureText(p));
        if (options_.on_bad == BadSamplePolicy::kRejectFile) {
          return InvalidArgument("{}:{}: {}", source_.object, line, why);
        }
        FH_RETURN_IF_ERROR(Quarantine(
            QuarantinedPointOf(report_.batch_id, source_, *options_.governor, p, line), line, why));
        continue;
      }
      kept_index.push_back(i);
    }
    MergeSeriesSpans(
        governed.kept,
        BatchSpans(governed.kept, [&](size_t k) { return reader_.point_line(kept_index[k]); }),
        spans_);
    return writer_->Append(governed.kept);
  }

  Status Quarantine(QuarantinedRecord q, int64_t line, const std::string& why) {
    ++report_.quarantined;
    if (report_.examples.size() < options_.max_examples) report_.examples.push_back({line, why});
    return spool_.Add(q);
  }

  Status RecordBooks() {
    report_.read = report_.written + report_.quarantined;
    report_.tags = spans_.size();
    CatalogSession session = hub_.OpenCatalog();
    FH_ASSIGN_OR_RETURN(UnitOfWork txn, session.Begin());
    FH_RETURN_IF_ERROR(spool_.ForEach(
        [&](const QuarantinedRecord& q) { return session.governance().Quarantine(q).status(); }));
    FH_RETURN_IF_ERROR(
        session.catalog().RecordSeriesLineage(SeriesLineageOf(report_.batch_id, spans_)));
    FH_RETURN_IF_ERROR(
        RecordSampleBatch(session, report_.batch_id, Counters(), IngestBatchStatus::kCompleted));
    return txn.Commit();
  }

  StreamCounters Counters() const {
    StreamCounters c;
    c.accepted = report_.written;
    c.quarantined = report_.quarantined;
    c.warnings = report_.warnings;
    return c;
  }

  // Nothing of the file is stored (the writer is gone uncommitted); the batch says why.
  Status Fail(const Status& why) {
    CatalogSession session = hub_.OpenCatalog();
    StreamCounters none;
    Status recorded = RecordSampleBatch(session, report_.batch_id, none, IngestBatchStatus::kFailed,
                                        why.message());
    (void)recorded;  // the write's own error is what the user needs to see
    return why;
  }

  Hub& hub_;
  ingest::SampleCsvReader& reader_;
  const StreamSource& source_;
  const SampleFileWriteOptions& options_;
  SampleFileWriteReport report_;
  std::unique_ptr<SampleWriter> writer_;
  StringMap<SeriesSpan> spans_;
  QuarantineSpool spool_;
};

}  // namespace

Result<SampleFileWriteReport> WriteSampleFile(Hub& hub, ingest::SampleCsvReader& reader,
                                              const StreamSource& source,
                                              const SampleFileWriteOptions& options) {
  return SampleFileWrite(hub, reader, source, options).Run();
}

}  // namespace fh::pipeline
