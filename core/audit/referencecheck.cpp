#include "audit/referencecheck.h"

#include "io/stemsource.h"
#include "reference/verdicttext.h"

#include <QFileInfo>

#include <cmath>

namespace stemship::audit {
namespace {

Error referenceError(const QString &path, const QString &what) { return Error{path, what, ErrorCode::Unreadable}; }

// The stems that take part: readable, and never broken (NaN, infinities).
bool compared(const StemReport &stem) { return stem.readable && !stem.hasIssue(QStringLiteral("non_finite")); }

std::optional<Error> layoutProblem(const AuditReport &report, const ReferenceOptions &options, const io::AudioInfo &mix)
{
    double first = INFINITY, end = -INFINITY;
    for (const StemReport &stem : report.stems) {
        if (!compared(stem))
            continue;
        if (!reference::addsUpTo(stem.info.channels, mix.channels))
            return referenceError(options.mix.displayPath, QStringLiteral("has %1 channel(s), %2 has %3: the stems cannot add up to it")
                                                              .arg(mix.channels).arg(stem.path).arg(stem.info.channels));
        first = std::min(first, stem.startSeconds);
        end = std::max(end, stem.startSeconds + stem.info.durationSeconds());
    }
    if (end > first && mix.durationSeconds() < reference::kShortestMixShare * (end - first))
        return referenceError(options.mix.displayPath, QStringLiteral("is %1 s long, the stems span %2 s: far shorter than the stems, not their mix")
                                                          .arg(mix.durationSeconds(), 0, 'f', 2).arg(end - first, 0, 'f', 2));
    return std::nullopt;
}

void addIssues(AuditReport *report, const ReferenceOptions &options, const AuditSettings &settings)
{
    const QString mixName = QFileInfo(options.mix.displayPath).fileName();
    for (StemReport &stem : report->stems) {
        if (stem.offsetSamples && *stem.offsetSamples != 0)
            stem.issues.append({severityFor(QStringLiteral("offset_vs_reference"), settings), QStringLiteral("offset_vs_reference"),
                                reference::offsetPhrase(*stem.offsetSamples, stem.info.sampleRateHz) + QStringLiteral(" against the mix ") + mixName, {}});
        if (stem.polarityInverted.value_or(false))
            stem.issues.append({severityFor(QStringLiteral("polarity_vs_reference"), settings), QStringLiteral("polarity_vs_reference"),
                                QStringLiteral("polarity inverted against the mix ") + mixName, {}});
    }
    const ReferenceReport &r = *report->reference;
    if (r.null.passed)
        return;
    std::vector<reference::StemLabel> none;
    const QStringList lines = reference::verdictLines(r.null, r.nullThresholdDb, mixName, none);
    QString message = QStringLiteral("the stems do not null against %1: %2").arg(mixName, lines.first().section(QStringLiteral(" — "), 1));
    for (qsizetype i = 1; i < lines.size(); ++i)
        message += QStringLiteral("; ") + lines[i].trimmed();
    const Severity severity = options.requireNull ? Severity::Error : severityFor(QStringLiteral("null_failed"), settings);
    report->issues.append({severity, QStringLiteral("null_failed"), message, {options.mix.displayPath}});
}

}  // namespace

QList<StemSource> withoutReference(const QList<StemSource> &sources, const StemSource &mix)
{
    const QString mixPath = QFileInfo(mix.filePath).canonicalFilePath();
    QList<StemSource> stems;
    for (const StemSource &source : sources)
        if (!source.zipEntry.isEmpty() || QFileInfo(source.filePath).canonicalFilePath() != mixPath)
            stems.append(source);
    return stems;
}

QStringList nullVerdictLines(const AuditReport &report)
{
    if (!report.reference)
        return {};
    std::vector<reference::StemLabel> labels;
    for (const StemReport &stem : report.stems)
        if (stem.readable)
            labels.push_back({QFileInfo(stem.path).fileName(), stem.offsetSamples, stem.info.sampleRateHz, stem.polarityInverted,
                              stem.hasIssue(QStringLiteral("silent"))});
    return reference::verdictLines(report.reference->null, report.reference->nullThresholdDb, QFileInfo(report.reference->path).fileName(), labels);
}

void checkReference(AuditReport *report, const QList<StemSource> &sources, const ReferenceOptions &options,
                    const AuditSettings &settings, int jobs, const std::function<void(double)> &progress, const CancelToken &cancel)
{
    auto mixReader = openStemSource(options.mix);
    if (!mixReader) {
        report->referenceError = referenceError(options.mix.displayPath, mixReader.error().what);
        return;
    }
    const io::AudioInfo mix = mixReader->info();
    if (auto problem = layoutProblem(*report, options, mix)) {
        report->referenceError = *problem;
        return;
    }
    // One timeline at the mix's rate: every file placed by its BWF start, stems at other rates resampled.
    const int rateHz = mix.sampleRateHz;
    auto placed = [rateHz](double seconds) { return std::llround(seconds * rateHz); };
    std::vector<reference::SignalOpener> stems;
    std::vector<int> index;
    for (int i = 0; i < report->stems.size(); ++i) {
        if (!compared(report->stems[i]))
            continue;
        stems.push_back(reference::audioSignal(sources[i], rateHz, placed(report->stems[i].startSeconds)));
        index.push_back(i);
    }
    const double mixStart = mix.timeReferenceSamples ? double(*mix.timeReferenceSamples) / rateHz : 0.0;
    reference::ForensicsOptions forensics;
    forensics.rateHz = rateHz;
    forensics.jobs = jobs;
    forensics.nullThresholdDb = options.nullThresholdDb;
    forensics.silenceFloorDbfs = settings.silenceFloorDbfs;
    auto null = reference::analyseNullPolling(stems, reference::audioSignal(options.mix, rateHz, placed(mixStart)), forensics, cancel, progress);
    if (!null) {
        if (null.error().code == ErrorCode::Cancelled)
            report->cancelled = true;
        else
            report->referenceError = null.error();
        return;
    }
    for (std::size_t k = 0; k < index.size(); ++k) {
        StemReport &stem = report->stems[index[k]];
        const reference::StemVerdict &v = null->stems[k];
        if (v.offsetFrames)
            stem.offsetSamples = std::llround(double(*v.offsetFrames) * stem.info.sampleRateHz / rateHz);
        stem.polarityInverted = v.polarityInverted;
    }
    report->reference = ReferenceReport{options.mix.displayPath, mix, options.nullThresholdDb, *null};
    addIssues(report, options, settings);
}

}  // namespace stemship::audit
