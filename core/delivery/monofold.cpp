#include "delivery/monofold.h"

#include "templates/auditsettings.h"
#include "metering/channellayout.h"
#include "metering/loudnessmeter.h"

#include <QFile>

#include <vector>

namespace stemship::delivery {

bool isDualMono(const MeasuredStem &stem)
{
    const audit::AuditSettings defaults;  // the audit's dual_mono rule, one definition
    const metering::MeterResult &m = stem.levels;
    return stem.channels == 2 && m.frames > 0 && m.samplePeakDbfs >= defaults.silenceFloorDbfs
        && m.maxChannelDifference <= metering::dbToLinear(defaults.dualMonoMaxDifferenceDbfs);
}

Status foldToMono(MeasuredStem *stem, int rateHz, const CancelToken &cancel)
{
    const QString monoPath = stem->cachePath + QStringLiteral(".mono");
    QFile in(stem->cachePath), out(monoPath);
    if (!in.open(QIODevice::ReadOnly))
        return Error{stem->cachePath, QStringLiteral("cannot read: ") + in.errorString(), {}};
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Error{monoPath, QStringLiteral("cannot create: ") + out.errorString(), {}};
    metering::MeterConfig config;
    config.sampleRateHz = rateHz;
    config.channels = 1;
    config.maxBlockFrames = std::size_t(kBlockFrames);
    metering::LoudnessMeter meter(config);
    std::vector<float> stereo(std::size_t(kBlockFrames) * 2);
    std::vector<float> mono(static_cast<std::size_t>(kBlockFrames));
    for (std::int64_t done = 0; done < stem->frames;) {
        if (cancel.cancelled())
            return Error::cancelled(stem->cachePath);
        const std::int64_t n = std::min<std::int64_t>(kBlockFrames, stem->frames - done);
        const qint64 bytes = qint64(n) * 2 * qint64(sizeof(float));
        if (in.read(reinterpret_cast<char *>(stereo.data()), bytes) != bytes)
            return Error{stem->cachePath, QStringLiteral("short read"), {}};
        for (std::int64_t i = 0; i < n; ++i)
            mono[std::size_t(i)] = 0.5f * (stereo[std::size_t(2 * i)] + stereo[std::size_t(2 * i + 1)]);
        meter.process(mono.data(), std::size_t(n));
        const qint64 monoBytes = qint64(n) * qint64(sizeof(float));
        if (out.write(reinterpret_cast<const char *>(mono.data()), monoBytes) != monoBytes)
            return Error{monoPath, QStringLiteral("write failed (disk full?): ") + out.errorString(), {}};
        done += n;
    }
    out.close();
    in.close();
    if (out.error() != QFileDevice::NoError || !QFile::remove(stem->cachePath) || !QFile::rename(monoPath, stem->cachePath))
        return Error{stem->cachePath, QStringLiteral("cannot replace the cache with its mono fold"), {}};
    stem->channels = 1;
    stem->info.channels = 1;
    stem->info.channelMask = 0;
    stem->levels = meter.result();
    stem->foldedToMono = true;
    return {};
}

}  // namespace stemship::delivery
