#include "delivery/gainpreview.h"

#include "delivery/commitstage.h"
#include "delivery/timelinestage.h"
#include "templates/templatewriter.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

#include <optional>

namespace stemship::delivery {
namespace {

// The placed measurement of every stem, whatever the gain mode (measureAllPlaced reports 0.45..0.5 of a delivery).
Status measureAllStemsPlaced(DeliveryJob &job, std::vector<MeasuredStem> &measured, const Timeline &timeline)
{
    std::vector<MeasuredStem *> stems;
    for (MeasuredStem &m : measured)
        stems.push_back(&m);
    return measureAllPlaced(job, stems, timeline);
}

// Pass 1's float caches go where the delivery's will: beside OUT (DeliveryTemps, cleaned like the packager's),
// not in a /tmp that may be RAM; the system's temporary folder only while there is no output folder yet.
struct PreviewWorkFolder {
    std::optional<DeliveryTemps> besideOutput;
    std::optional<QTemporaryDir> temporary;
    QString path;

    explicit PreviewWorkFolder(const QString &outputPath)
    {
        if (!outputPath.isEmpty() && QFileInfo(outputPath).absoluteDir().exists()) {
            besideOutput.emplace(outputPath);
            if (QDir().mkpath(besideOutput->workDir()))
                path = besideOutput->workDir();
            return;
        }
        temporary.emplace();
        if (temporary->isValid())
            path = temporary->path();
    }
};

bool sameSources(const QList<io::StemSource> &a, const QList<io::StemSource> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].displayPath != b[i].displayPath || a[i].filePath != b[i].filePath || a[i].zipEntry != b[i].zipEntry)
            return false;
    return true;
}

}  // namespace

Result<GainPreviewMeasurements> measureForGainPreview(const DeliverySpec &spec, const PackageProgress &progress,
                                                      const CancelToken &cancel)
{
    const PreviewWorkFolder work(spec.outputPath);
    if (work.path.isEmpty())
        return Error{spec.outputPath, QStringLiteral("cannot create the preview's work folder"), {}};
    // A delivery's measuring is its first half (0..0.5); the preview is only that.
    const PackageProgress scaled = [&progress](double f, const QString &stage) {
        if (progress)
            progress(std::min(1.0, f / 0.5), stage);
    };
    DeliveryJob job{spec, scaled, cancel, {}, QDir(work.path), {}};
    const std::vector<DeliveryItem> items = collectItems(spec, job.work);
    MeasuredItems measured = measureItems(job, items, MeasureHooks{});
    if (cancel.cancelled())
        return job.cancelled();
    if (job.failure)
        return *job.failure;
    auto accepted = acceptMeasured(spec, items, measured);
    if (!accepted)
        return accepted.error();
    GainPreviewMeasurements out;
    out.timeline = planMeasuredTimeline(spec, measured.stems);
    out.skipped = accepted->skipped;
    for (std::size_t i : accepted->stems) {
        out.stems.push_back(items[i]);
        out.measured.push_back(*measured.stems[i]);
    }
    if (Status s = measureAllStemsPlaced(job, out.measured, out.timeline); !s)
        return s.error();
    // The caches are gone with the work folder: what is kept are levels, never samples.
    for (MeasuredStem &m : out.measured)
        m.cachePath.clear();
    scaled(0.5, QStringLiteral("measured"));
    return out;
}

DeliveryGains planGainPreview(const GainPreviewMeasurements &measurements, const DeliverySpec &spec)
{
    std::vector<const DeliveryItem *> stems;
    std::vector<const MeasuredStem *> measured;
    for (std::size_t i = 0; i < measurements.stems.size(); ++i) {
        stems.push_back(&measurements.stems[i]);
        measured.push_back(&measurements.measured[i]);
    }
    return planDeliveryGains(spec, stems, measured);
}

bool sameMeasurementInputs(const DeliverySpec &a, const DeliverySpec &b)
{
    // A tempo map is never compared: a spec with one always measures afresh.
    if (a.tempoMap || b.tempoMap || !sameSources(a.sources, b.sources))
        return false;
    if (a.sessionTemplate.has_value() != b.sessionTemplate.has_value()
        || (a.sessionTemplate && templates::templateToJson(*a.sessionTemplate) != templates::templateToJson(*b.sessionTemplate)))
        return false;
    return a.referencePath == b.referencePath && a.alignToReference == b.alignToReference
        && a.tempoBpm == b.tempoBpm && a.timeSignature.numerator == b.timeSignature.numerator && a.timeSignature.denominator == b.timeSignature.denominator
        && a.barOneSeconds == b.barOneSeconds && a.sampleRateHz == b.sampleRateHz && a.tailSeconds == b.tailSeconds
        && a.skipUnreadable == b.skipUnreadable && a.monoDualMono == b.monoDualMono;
}

}  // namespace stemship::delivery
