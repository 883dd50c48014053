#include "reference/verdicttext.h"

#include "util/counted.h"

#include <cmath>

namespace stemship::reference {
namespace {

QString db(double v, int decimals = 1)
{
    return std::isfinite(v) ? QString::number(v, 'f', decimals) + QStringLiteral(" dB") : (v < 0 ? QStringLiteral("-inf dB") : QStringLiteral("+inf dB"));
}

// What a residual after the fit says about the mix. The -60 dB line is where a bit-exact render of the same
// session through a different DAW or dither still lands; well above it something in the mix is not in the stems.
QString explanation(const NullForensics &null, double thresholdDb)
{
    if (!null.residualAfterFitDb)
        return QStringLiteral("nothing to fit: the stems or the mix are silent");
    if (*null.residualAfterFitDb <= thresholdDb)
        return QStringLiteral("after fitting offsets, polarity and gain the residual is %1: the stems explain the mix").arg(db(*null.residualAfterFitDb));
    QString where;
    if (null.worstResidualSeconds)
        where = QStringLiteral("; largest at %1 (%2 against the mix)").arg(timecode(*null.worstResidualSeconds), db(null.worstResidualRelativeDb));
    return QStringLiteral("after fitting offsets, polarity and gain the residual is still %1: the mix holds something the stems "
                          "don't (master-bus processing, a missing stem, a cut tail)%2").arg(db(*null.residualAfterFitDb), where);
}

}  // namespace

QString timecode(double seconds)
{
    const double s = std::max(0.0, seconds);
    const int minutes = int(s / 60.0);
    return QStringLiteral("%1:%2").arg(minutes).arg(s - 60.0 * minutes, 4, 'f', 1, QLatin1Char('0'));
}

QString offsetPhrase(std::int64_t samples, int rateHz)
{
    if (samples == 0)
        return QStringLiteral("aligned");
    const double ms = 1000.0 * double(std::llabs(samples)) / rateHz;
    return QStringLiteral("%1 by %2 (%3 ms)").arg(samples > 0 ? QStringLiteral("late") : QStringLiteral("early"),
                                                 counted(std::llabs(samples), QStringLiteral("sample")))
        .arg(ms, 0, 'f', 2);
}

QStringList verdictLines(const NullForensics &null, double thresholdDb, const QString &mixName, const std::vector<StemLabel> &stems)
{
    QStringList lines;
    lines << QStringLiteral("Null test against %1: %2 — residual %3 relative to the mix (%4 dBFS), threshold %5")
                 .arg(mixName, null.passed ? QStringLiteral("passed") : QStringLiteral("FAILED"), db(null.residualRelativeDb),
                      std::isfinite(null.residualDbfs) ? QString::number(null.residualDbfs, 'f', 1) : QStringLiteral("-inf"), db(thresholdDb, 0));
    for (const StemLabel &stem : stems) {
        QStringList findings;
        if (stem.offsetSamples && *stem.offsetSamples != 0)
            findings << offsetPhrase(*stem.offsetSamples, stem.rateHz);
        if (stem.polarityInverted.value_or(false))
            findings << QStringLiteral("polarity inverted");
        if (stem.silent)
            findings << QStringLiteral("silent: offset not measurable");
        else if (!stem.offsetSamples)
            findings << QStringLiteral("the mix does not measurably contain it");
        if (!findings.isEmpty())
            lines << QStringLiteral("  %1: %2").arg(stem.name, findings.join(QStringLiteral(", ")));
    }
    if (null.bestFitGainDb && std::fabs(*null.bestFitGainDb) >= 0.05)
        lines << QStringLiteral("  best-fit gain on the stem sum %1%2").arg(*null.bestFitGainDb > 0 ? QStringLiteral("+") : QString(), db(*null.bestFitGainDb, 2))
                     + (*null.bestFitGainDb < 0 ? QStringLiteral(": the mix is quieter than the stems (a master fader, a normalised mix)")
                                                : QStringLiteral(": the mix is louder than the stems (master gain, a normalised mix)"));
    if (!null.passed)
        lines << QStringLiteral("  ") + explanation(null, thresholdDb);
    return lines;
}

}  // namespace stemship::reference
