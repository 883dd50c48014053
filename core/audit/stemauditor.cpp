#include "audit/stemauditor.h"

#include "audit/setchecks.h"
#include "audit/stemchecks.h"
#include "audit/stemmeasure.h"
#include "util/parallel.h"

#include <QFileInfo>
#include <QIODevice>

#include <algorithm>
#include <atomic>

namespace stemship::audit {
namespace {

StemReport unreadable(const StemSource &source, const Error &error, const AuditSettings &settings)
{
    StemReport report;
    report.path = source.displayPath;
    report.info.path = source.displayPath;
    const QString code = error.code.isEmpty() ? QStringLiteral("unreadable") : error.code;
    addIssue(&report.issues, settings, code, error.what);
    return report;
}

StemReport auditOne(const StemSource &source, const AuditSettings &settings, const CancelToken &cancel,
                    std::atomic<std::int64_t> *framesDone)
{
    auto reader = openStemSource(source);
    if (!reader.ok())
        return unreadable(source, reader.error(), settings);
    StemReport report;
    report.path = source.displayPath;
    report.readable = true;
    if (!measureStem(*reader, settings, cancel, &report, framesDone))
        return report;  // cancelled: the caller drops the report
    report.info = reader->info();  // after reading: a stream that ended early is now marked truncated
    if (report.info.timeReferenceSamples && report.info.sampleRateHz > 0)
        report.startSeconds = double(*report.info.timeReferenceSamples) / report.info.sampleRateHz;
    checkStem(&report, settings);
    return report;
}

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

    std::vector<StemReport> results(std::size_t(sources.size()));
    // The caller's thread reports progress, so a CLI or GUI callback never runs on a worker.
    auto reportProgress = [&] {
        if (!progress)
            return;
        const double fraction = totalFrames > 0 ? double(framesDone.load()) / double(totalFrames)
                                                : double(stemsDone.load()) / std::max<qsizetype>(1, sources.size());
        progress(stemsDone.load(), int(sources.size()), std::min(fraction, 0.999));
    };
    parallelFor(int(sources.size()), options.jobs, [&](int i) {
        results[std::size_t(i)] = auditOne(sources.at(i), settings, cancel, &framesDone);
        stemsDone.fetch_add(1);
    }, reportProgress);
    if (cancel.cancelled()) {
        report.cancelled = true;
        return report;
    }
    if (progress)
        progress(int(sources.size()), int(sources.size()), 1.0);
    report.stems = QList<StemReport>(results.begin(), results.end());
    checkSet(&report, settings, options.sessionTemplate ? &*options.sessionTemplate : nullptr);
    return report;
}

}  // namespace stemship::audit
