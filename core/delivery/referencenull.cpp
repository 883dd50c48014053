#include "delivery/referencenull.h"

#include "reference/verdicttext.h"

#include <QFileInfo>

namespace stemship::delivery {

Result<reference::NullForensics> nullTestMeasured(const std::vector<const MeasuredStem *> &stems, const MeasuredStem &mix,
                                                  const QString &mixDisplayPath, const DeliverySpec &spec, const CancelToken &cancel,
                                                  const std::function<void(double)> &progress)
{
    std::int64_t first = INT64_MAX, end = INT64_MIN;
    std::vector<reference::SignalOpener> openers;
    for (const MeasuredStem *m : stems) {
        if (!reference::addsUpTo(m->channels, mix.channels))
            return Error{mixDisplayPath, QStringLiteral("has %1 channel(s), %2 has %3: the stems cannot add up to it")
                                             .arg(mix.channels).arg(m->info.path).arg(m->channels), ErrorCode::Unreadable};
        first = std::min(first, m->timelineStartFrame);
        end = std::max(end, m->timelineStartFrame + m->frames);
        openers.push_back(reference::floatCacheSignal(m->cachePath, m->channels, m->frames, m->timelineStartFrame));
    }
    if (end > first && double(mix.frames) < reference::kShortestMixShare * double(end - first))
        return Error{mixDisplayPath, QStringLiteral("is %1 s long, the stems span %2 s: far shorter than the stems, not their mix")
                                         .arg(double(mix.frames) / spec.sampleRateHz, 0, 'f', 2).arg(double(end - first) / spec.sampleRateHz, 0, 'f', 2),
                     ErrorCode::Unreadable};
    reference::ForensicsOptions options;
    options.rateHz = spec.sampleRateHz;
    options.jobs = spec.jobs;
    options.nullThresholdDb = spec.nullThresholdDb;
    options.aligned = spec.alignToReference;
    return reference::analyseNullPolling(openers, reference::floatCacheSignal(mix.cachePath, mix.channels, mix.frames, mix.timelineStartFrame),
                                         options, cancel, progress);
}

void alignToReference(const std::vector<MeasuredStem *> &stems, const reference::NullForensics &null)
{
    for (std::size_t i = 0; i < stems.size(); ++i) {
        stems[i]->timelineStartFrame -= null.stems[i].offsetFrames.value_or(0);
        stems[i]->invertPolarity = null.stems[i].polarityInverted.value_or(false);
    }
}

gain::StemGain referenceGain(const MeasuredStem &mix, double ceilingDbtp)
{
    gain::GainRequest own;
    own.mode = gain::GainMode::None;
    own.ceilingDbtp = ceilingDbtp;
    const auto &l = mix.levels;
    return gain::planGains({{l.samplePeakDbfs, l.truePeakDbtp, l.rmsDbfs, l.integratedLufs}}, own).stems[0];
}

QStringList nullNotes(const DeliveryResult &result)
{
    const DeliveredReference &r = *result.reference;
    std::vector<reference::StemLabel> labels;
    for (const DeliveredStem &s : result.stems)
        labels.push_back({s.file, s.offsetSamples, r.null->rateHz, s.polarityInverted, s.silent});
    QStringList lines = reference::verdictLines(*r.null, r.nullThresholdDb, r.file, labels);
    QStringList done;
    for (const DeliveredStem &s : result.stems) {
        QStringList what;
        if (s.shiftSamples != 0)
            what << QStringLiteral("moved %1 by %2 samples").arg(s.shiftSamples > 0 ? QStringLiteral("earlier") : QStringLiteral("later")).arg(std::llabs(s.shiftSamples));
        if (s.polarityFlipped)
            what << QStringLiteral("polarity flipped");
        if (!what.isEmpty())
            done << QStringLiteral("  %1: %2").arg(s.file, what.join(QStringLiteral(", ")));
    }
    if (!done.isEmpty())
        lines << QStringLiteral("Aligned to the reference (--align-to-reference); the figures above describe the aligned stems:") << done;
    return lines;
}

QString nullFailure(const reference::NullForensics &null, double thresholdDb, const QString &mixDisplayPath)
{
    std::vector<reference::StemLabel> none;
    const QStringList lines = reference::verdictLines(null, thresholdDb, QFileInfo(mixDisplayPath).fileName(), none);
    QString why = lines.first().section(QStringLiteral(" — "), 1);
    for (qsizetype i = 1; i < lines.size(); ++i)
        why += QStringLiteral("; ") + lines[i].trimmed();
    return QStringLiteral("the stems do not null against the mix (--require-null): ") + why + QStringLiteral("; nothing written");
}

DeliveredReference deliveredReference(const QString &file, const QString &source, const gain::StemGain &gain,
                                      const reference::NullForensics &null, const DeliverySpec &spec, QList<DeliveredStem> *stems)
{
    DeliveredReference r;
    r.file = file;
    r.source = source;
    r.gainDb = gain.gainDb;
    r.limitedByCeiling = gain.limitedByCeiling;
    r.nullThresholdDb = spec.nullThresholdDb;
    r.null = null;
    r.nullResidualDbfs = null.residualDbfs;
    for (qsizetype i = 0; i < stems->size(); ++i) {
        DeliveredStem &stem = (*stems)[i];
        const reference::StemVerdict &v = null.stems[std::size_t(i)];
        stem.offsetSamples = v.offsetFrames;
        stem.polarityInverted = v.polarityInverted;
        if (spec.alignToReference) {
            stem.shiftSamples = v.offsetFrames.value_or(0);
            stem.polarityFlipped = v.polarityInverted.value_or(false);
        }
    }
    return r;
}

}  // namespace stemship::delivery
