#include "delivery/renderjobs.h"

#include "delivery/filemetadata.h"

#include "gain/dither.h"
#include "metering/channellayout.h"

#include <QFileInfo>

namespace stemship::delivery {

RenderJob renderJobFor(const RenderContext &context, const MeasuredStem &m, const QString &file, double gainDb, int index)
{
    const DeliverySpec &spec = *context.spec;
    RenderJob job;
    job.cachePath = m.cachePath;
    job.channels = m.channels;
    job.stemFrames = m.frames;
    job.offsetFrames = m.timelineStartFrame - context.timeline.startFrame;
    job.lengthFrames = context.timeline.lengthFrames;
    job.gainDb = gainDb;
    job.invertPolarity = m.invertPolarity;
    job.dither = gain::needsDither(spec.bitDepth, false, m.info.isFloat, m.info.bitDepth.value_or(32), m.resampled || gainDb != 0.0);
    job.ditherSeed = spec.ditherSeed + std::uint64_t(index) * 0x9e3779b97f4a7c15ULL;
    job.output.path = context.work.filePath(file);
    job.output.sampleRateHz = spec.sampleRateHz;
    job.output.channels = m.channels;
    job.output.encoding = *io::pcmEncodingForBits(spec.bitDepth);
    job.output.syncToDisk = false;  // a work file: its bytes are checked and copied into the zip, then removed
    const QString stemName = QFileInfo(file).completeBaseName();
    const QString &title = context.title;
    job.output.bext.description = (title.isEmpty() ? stemName : title + QStringLiteral(" - ") + stemName).left(256);
    job.output.bext.originator = QStringLiteral("Stemship");
    job.output.bext.originated = context.originated;
    job.output.bext.originatorReference = spec.version.left(32);
    job.output.bext.timeReferenceSamples = context.timeline.timeReferenceSamples();
    const QByteArray mode = m.channels == 1 ? "mono" : m.channels == 2 ? "stereo" : "multichannel";
    job.output.bext.codingHistory = QString::fromLatin1(io::r98Line(
        spec.sampleRateHz, spec.bitDepth, mode, "Stemship " STEMSHIP_VERSION + QByteArray(job.dither ? ";TPDF dither" : "")));
    describeDeliveredFile(context, m, stemName, gainDb, &job.output);
    job.output.tags.title = stemName;
    job.output.tags.tempoBpm = spec.tempoBpm;
    job.output.tags.version = spec.version;
    job.output.tags.comment = (title.isEmpty() ? QString() : title + QLatin1Char(' ')) + QStringLiteral("version ") + spec.version;
    return job;
}

DeliveredStem deliveredStemFor(const MeasuredStem &m, const gain::StemGain &g, const QString &file, const QString &source,
                               std::int64_t lengthFrames)
{
    DeliveredStem d;
    d.file = file;
    d.source = source;
    d.frames = lengthFrames;
    d.channels = m.channels;
    d.foldedToMono = m.foldedToMono;
    d.layout = QString::fromLatin1(metering::layoutName(metering::layoutOf(m.channels, m.info.channelMask)));
    d.gainDb = g.gainDb;
    d.limitedByCeiling = g.limitedByCeiling;
    d.silent = g.silent;
    d.note = QString::fromStdString(g.note);
    d.samplePeakDbfs = m.levels.samplePeakDbfs + g.gainDb;
    d.truePeakDbtp = m.levels.truePeakDbtp + g.gainDb;
    d.rmsDbfs = m.levels.rmsDbfs + g.gainDb;
    d.integratedLufs = m.levels.integratedLufs + g.gainDb;
    d.loudnessRangeLu = m.levels.loudnessRangeLu;
    d.maxMomentaryLufs = m.levels.maxMomentaryLufs + g.gainDb;
    d.maxShortTermLufs = m.levels.maxShortTermLufs + g.gainDb;
    return d;
}

}  // namespace stemship::delivery
