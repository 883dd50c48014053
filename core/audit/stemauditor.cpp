#include "audit/stemauditor.h"

#include "audit/archivechecks.h"
#include "audit/referencecheck.h"
#include "audit/profilecheck.h"
#include "audit/setchecks.h"
#include "audit/stemchecks.h"
#include "audit/stemmeasure.h"
#include "audit/stemsum.h"
#include "io/ziparchive.h"
#include "util/faultpoint.h"
#include "util/parallel.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QIODevice>

#include <algorithm>
#include <atomic>

namespace stemship::audit {
StemReport unreadableReport(const StemSource &source, const Error &error, const AuditSettings &settings)
{
    StemReport report;
    report.path = source.displayPath;
    report.info.path = source.displayPath;
    const QString code = error.is(ErrorCode::None) ? QStringLiteral("unreadable") : error.codeName();
    addIssue(&report.issues, settings, code, error.what);
    return report;
}

void checkMeasuredStem(StemReport *report, const io::AudioInfo &info, const AuditSettings &settings)
{
    report->info = info;
    if (info.timeReferenceSamples && info.sampleRateHz > 0)
        report->startSeconds = double(*info.timeReferenceSamples) / info.sampleRateHz;
    checkStem(report, settings);
}

namespace {

StemReport auditOne(const StemSource &source, const AuditSettings &settings, const CancelToken &cancel,
                    std::atomic<std::int64_t> *framesDone)
{
    auto reader = openStemSource(source);
    if (!reader.ok())
        return unreadableReport(source, reader.error(), settings);
    StemReport report;
    report.path = source.displayPath;
    report.readable = true;
    if (!measureStem(*reader, settings, cancel, &report, framesDone))
        return report;  // cancelled: the caller drops the report
    checkMeasuredStem(&report, reader->info(), settings);  // after reading: a stream that ended early is now marked truncated
    return report;
}

QString stemsText(int done, int total) { return QStringLiteral("%1/%2 stems").arg(done).arg(total); }

}  // namespace

StemReport auditStem(const StemSource &source, const AuditSettings &settings, const CancelToken &cancel)
{
    return auditOne(source, settings, cancel, nullptr);
}

AuditReport runAudit(const QList<StemSource> &sources, const AuditOptions &options, const ProgressFn &progress,
                     const CancelToken &cancel)
{
    AuditReport report;
    const AuditSettings settings = options.sessionTemplate ? options.sessionTemplate->audit : options.settings;
    if (options.sessionTemplate)
        report.templateName = options.sessionTemplate->name;

    // Progress counts frames; a stem's weight is its declared length, learnt cheaply by opening it.
    std::atomic<std::int64_t> framesDone{0};
    std::atomic<int> stemsDone{0};
    std::int64_t totalFrames = 0;
    for (const StemSource &source : sources) {
        if (source.zipEntry.isEmpty() && !io::isZipPath(source.filePath))
            if (auto reader = io::AudioReader::open(source.filePath); reader.ok())
                totalFrames += reader->info().frames;
    }

    // With --sum, job 0 measures the sum while the others measure the stems: the sum is the longest job, so it
    // starts first and the set costs one more metering pass spread over the same threads.
    std::unique_ptr<StemSum> sum = options.sum ? std::make_unique<StemSum>(sources) : nullptr;
    StemReport sumReport;
    const int first = sum && !sum->empty() ? 1 : 0;
    if (first)
        totalFrames += sum->lengthFrames();

    std::vector<StemReport> results(std::size_t(sources.size()));
    // With a reference, measuring is about half the work: the null test reads every stem twice more.
    const double measuredShare = options.reference ? 0.5 : 1.0;
    // The caller's thread reports progress, so a CLI or GUI callback never runs on a worker.
    auto reportProgress = [&] {
        if (!progress)
            return;
        const double fraction = totalFrames > 0 ? double(framesDone.load()) / double(totalFrames)
                                                : double(stemsDone.load()) / std::max<qsizetype>(1, sources.size());
        progress(std::min(fraction, 0.999) * measuredShare, stemsText(stemsDone.load(), int(sources.size())));
    };
    const Status measured = parallelFor(int(sources.size()) + first, options.jobs, [&](int i) {
        faultPoint("auditing");
        if (i < first) {
            sum->measure(settings, cancel, &sumReport, &framesDone);
            return;
        }
        results[std::size_t(i - first)] = auditOne(sources.at(i - first), settings, cancel, &framesDone);
        stemsDone.fetch_add(1);
    }, reportProgress);
    if (!measured) {
        report.failure = measured.error();
        return report;
    }
    if (cancel.cancelled()) {
        report.cancelled = true;
        return report;
    }
    report.stems = QList<StemReport>(results.begin(), results.end());
    checkSet(&report, settings, options.sessionTemplate ? &*options.sessionTemplate : nullptr);
    checkArchives(&report, sources, settings);
    if (options.reference)
        checkReference(&report, sources, *options.reference, settings, options.jobs, [&](double fraction) {
            if (progress)
                progress(std::min(0.999, measuredShare + (1.0 - measuredShare) * fraction), QStringLiteral("null test"));
        }, cancel);
    if (first)
        report.stems.append(sumReport);  // after the set checks: the sum is no stem of the set
    if (options.profile)
        applyProfile(&report, *options.profile, settings);
    if (progress && !report.cancelled)
        progress(1.0, stemsText(int(sources.size()), int(sources.size())));
    return report;
}

}  // namespace stemship::audit
