#include "delivery/metadatacheck.h"

#include "audit/stemmeasure.h"

#include <cmath>

namespace stemship::delivery {
namespace {

// The loudness fields hold hundredths; these tolerances are the issue's: 0.1 LU for loudness, 0.2 dB for
// true peak (oversampling meters differ by that much between implementations).
constexpr double kLoudnessToleranceLu = 0.1;
constexpr double kTruePeakToleranceDb = 0.2;

void compare(const char *field, const std::optional<double> &stored, double measured, double tolerance,
             const char *unit, QStringList *problems)
{
    const QString name = QString::fromLatin1(field), u = QString::fromLatin1(unit);
    if (!std::isfinite(measured)) {
        if (stored)
            problems->append(QStringLiteral("bext %1 says %2 %3, the file measures nothing (silence)")
                                 .arg(name).arg(*stored, 0, 'f', 2).arg(u));
        return;
    }
    if (!stored)
        problems->append(QStringLiteral("bext %1 is not set, the file measures %2 %3").arg(name).arg(measured, 0, 'f', 2).arg(u));
    else if (std::abs(*stored - measured) > tolerance + 0.005)  // + half a hundredth of rounding
        problems->append(QStringLiteral("bext %1 says %2 %4, the file measures %3 %4")
                             .arg(name).arg(*stored, 0, 'f', 2).arg(measured, 0, 'f', 2).arg(u));
}

}  // namespace

QStringList checkLoudnessFields(io::AudioReader &reader, const CancelToken *cancel)
{
    QStringList problems;
    const io::AudioInfo &info = reader.info();
    if (!info.bext) {
        problems.append(QStringLiteral("no bext chunk"));
        return problems;
    }
    if (info.bext->version < 2) {
        problems.append(QStringLiteral("bext version %1: no loudness fields (EBU Tech 3285 v2 needed)").arg(info.bext->version));
        return problems;
    }
    audit::StemReport report;
    const CancelToken never;
    if (!audit::measureStem(reader, audit::AuditSettings{}, cancel ? *cancel : never, &report, nullptr))
        return {};
    const io::BextLoudness &stored = info.bext->loudness;
    const metering::MeterResult &m = report.levels;
    compare("LoudnessValue", stored.loudnessValueLufs, m.integratedLufs, kLoudnessToleranceLu, "LUFS", &problems);
    compare("LoudnessRange", stored.loudnessRangeLu, std::isfinite(m.integratedLufs) ? m.loudnessRangeLu : -INFINITY,
            kLoudnessToleranceLu, "LU", &problems);
    compare("MaxTruePeakLevel", stored.maxTruePeakLevelDbtp, m.truePeakDbtp, kTruePeakToleranceDb, "dBTP", &problems);
    compare("MaxMomentaryLoudness", stored.maxMomentaryLoudnessLufs, m.maxMomentaryLufs, kLoudnessToleranceLu, "LUFS", &problems);
    compare("MaxShortTermLoudness", stored.maxShortTermLoudnessLufs, m.maxShortTermLufs, kLoudnessToleranceLu, "LUFS", &problems);
    return problems;
}

}  // namespace stemship::delivery
