#include "audit/stemchecks.h"

#include "io/stemsource.h"
#include "metering/channellayout.h"
#include "metering/loudnessmeter.h"

#include <QFileInfo>

#include <cmath>

namespace stemship::audit {

void addIssue(QList<Issue> *issues, const AuditSettings &settings, const QString &code, const QString &message,
              const QStringList &paths)
{
    issues->append(Issue{severityFor(code, settings), code, message, paths});
}

QString formatDb(double db, const char *unit)
{
    const QString u = QString::fromLatin1(unit);
    return (std::isfinite(db) ? QString::number(db, 'f', 1) : QStringLiteral("-inf")) + QLatin1Char(' ') + u;
}

namespace {

// CLI-CONTRACT lfe_wideband: energy above 120 Hz within 30 dB of the energy below it.
constexpr double kLfeWidebandMarginDb = 30.0;

// How the file is coded and named: lossy coding, and a name that says another container than the file holds.
void checkCoding(StemReport *report, const AuditSettings &settings)
{
    const io::AudioInfo &info = report->info;
    if (info.lossy)
        addIssue(&report->issues, settings, QStringLiteral("lossy_source"),
                 QStringLiteral("%1 coding is lossy: its artefacts are in every sample; ask for the lossless bounce "
                                "(WAV, AIFF or FLAC)").arg(info.sampleFormat));
    if (!io::extensionFitsFormat(info.path, info.format))
        addIssue(&report->issues, settings, QStringLiteral("extension_mismatch"),
                 QStringLiteral("named .%1 but holds %2 (%3) audio: software that goes by the name may refuse it")
                     .arg(QFileInfo(info.path).suffix(), info.format, info.sampleFormat));
}

// The depth the file declares, and the depth its samples use.
void checkBitDepth(StemReport *report, const AuditSettings &settings)
{
    const std::optional<int> declared = report->info.bitDepth, used = report->usedBitDepth;
    if (declared && *declared < settings.minBitDepth)
        addIssue(&report->issues, settings, QStringLiteral("low_bit_depth"),
                 QStringLiteral("%1-bit: deliveries should be at least %2-bit").arg(*declared).arg(settings.minBitDepth));
    if (declared && used && *used < *declared)
        addIssue(&report->issues, settings, QStringLiteral("padded_bit_depth"),
                 QStringLiteral("%1-bit file whose samples use %2 bits (the lowest %3 are zero in every sample): "
                                "%2-bit audio padded to %1, from a %2-bit bounce or an unprocessed %2-bit source")
                     .arg(*declared).arg(*used).arg(*declared - *used));
}

QString channelName(const StemReport &report, int channel)
{
    const auto labels = metering::channelLabels(report.layout);
    const QString number = QString::number(channel + 1);
    if (std::size_t(channel) >= labels.size())
        return QStringLiteral("channel ") + number;
    return QStringLiteral("channel %1 (%2)").arg(number, QString::fromLatin1(labels[std::size_t(channel)]));
}

// Multichannel checks: the layout the mask gives, the LFE's band, channels silent among live ones.
void checkChannels(StemReport *report, const AuditSettings &settings, bool silent)
{
    const io::AudioInfo &info = report->info;
    QList<Issue> *issues = &report->issues;
    if (info.channels < 3)
        return;
    if (report->layout == metering::ChannelLayout::Unknown)
        addIssue(issues, settings, QStringLiteral("channel_layout_unknown"),
                 info.channelMask == 0
                     ? QStringLiteral("%1 channels without a channel mask: the speaker of each channel is unknown")
                           .arg(info.channels)
                     : QStringLiteral("channel mask 0x%1 does not describe a layout of %2 channels Stemship knows "
                                      "(5.1 0x3F or 0x60F, 7.1 0x63F, 7.1.4 0x2D63F)")
                           .arg(QString::number(info.channelMask, 16).toUpper()).arg(info.channels));
    if (silent)
        return;
    const int lfe = metering::lfeChannel(report->layout);
    if (report->lfeHighToLowDb && *report->lfeHighToLowDb > -kLfeWidebandMarginDb)
        addIssue(issues, settings, QStringLiteral("lfe_wideband"),
                 QStringLiteral("%1 carries energy above 120 Hz only %2 below its energy under 120 Hz (limit %3 dB)")
                     .arg(channelName(*report, lfe))
                     .arg(std::isfinite(*report->lfeHighToLowDb) ? QString::number(-*report->lfeHighToLowDb, 'f', 1) + QStringLiteral(" dB")
                                                                  : QStringLiteral("0 dB (nothing below 120 Hz)"))
                     .arg(kLfeWidebandMarginDb, 0, 'f', 0));
    const std::vector<double> &peaks = report->levels.samplePeakDbfsPerChannel;
    for (std::size_t c = 0; c < peaks.size(); ++c)
        if (!std::isfinite(peaks[c]) || peaks[c] < settings.silenceFloorDbfs)
            addIssue(issues, settings, QStringLiteral("channel_silent"),
                     QStringLiteral("%1 is silent (peak %2) while the other channels are not")
                         .arg(channelName(*report, int(c)), formatDb(peaks[c], "dBFS")));
}

}  // namespace

void checkStem(StemReport *report, const AuditSettings &settings)
{
    const io::AudioInfo &info = report->info;
    const metering::MeterResult &m = report->levels;
    QList<Issue> *issues = &report->issues;
    const double rate = info.sampleRateHz > 0 ? info.sampleRateHz : 1.0;

    if (info.truncated)
        addIssue(issues, settings, QStringLiteral("truncated"),
                 QStringLiteral("file is truncated: %1; the readable %2 s were measured")
                     .arg(info.truncationDetail).arg(double(info.frames) / rate, 0, 'f', 2));
    checkCoding(report, settings);
    if (m.nonFiniteSamples > 0)
        addIssue(issues, settings, QStringLiteral("non_finite"),
                 QStringLiteral("%1 NaN or infinite samples (metered as silence)").arg(m.nonFiniteSamples));
    if (m.corruptSamples > 0)
        addIssue(issues, settings, QStringLiteral("corrupt_samples"),
                 QStringLiteral("%1 samples beyond +100 dBFS (up to %2), the first at %3 s (frame %4): a broken render, "
                                "metered as silence")
                     .arg(m.corruptSamples).arg(formatDb(m.largestCorruptDbfs, "dBFS"))
                     .arg(double(m.firstCorruptFrame) / rate, 0, 'f', 3).arg(m.firstCorruptFrame));

    const bool silent = m.frames == 0 || !std::isfinite(m.samplePeakDbfs) || m.samplePeakDbfs < settings.silenceFloorDbfs;
    if (silent) {
        addIssue(issues, settings, QStringLiteral("silent"),
                 m.frames == 0 ? QStringLiteral("no audio (0 frames)")
                               : QStringLiteral("silent: peak %1 is below the %2 floor")
                                     .arg(formatDb(m.samplePeakDbfs, "dBFS"), formatDb(settings.silenceFloorDbfs, "dBFS")));
    }
    if (info.isFloat && m.overFullScaleSamples > 0)
        addIssue(issues, settings, QStringLiteral("over_full_scale"),
                 QStringLiteral("%1 float samples beyond full scale (peak %2); they would clip in a fixed-point "
                                "delivery unless the gain is lowered")
                     .arg(m.overFullScaleSamples).arg(formatDb(m.samplePeakDbfs, "dBFS")));
    if (!info.isFloat && m.clippedSamples > 0)
        addIssue(issues, settings, QStringLiteral("clipping"),
                 QStringLiteral("%1 samples in runs of %2 or more at full scale")
                     .arg(m.clippedSamples).arg(settings.clipRunMinSamples));
    if (std::isfinite(m.truePeakDbtp) && m.truePeakDbtp > settings.truePeakCeilingDbtp)
        addIssue(issues, settings, QStringLiteral("true_peak_over"),
                 QStringLiteral("true peak %1 is above the %2 ceiling")
                     .arg(formatDb(m.truePeakDbtp, "dBTP"), formatDb(settings.truePeakCeilingDbtp, "dBTP")));
    if (!silent && m.maxAbsDcOffset > settings.dcOffsetMax)
        addIssue(issues, settings, QStringLiteral("dc_offset"),
                 QStringLiteral("DC offset %1 (%2) exceeds %3")
                     .arg(m.maxAbsDcOffset, 0, 'f', 4)
                     .arg(formatDb(metering::linearToDb(m.maxAbsDcOffset), "dBFS"))
                     .arg(settings.dcOffsetMax, 0, 'f', 4));
    if (!silent && info.channels == 2
        && m.maxChannelDifference <= metering::dbToLinear(settings.dualMonoMaxDifferenceDbfs))
        addIssue(issues, settings, QStringLiteral("dual_mono"),
                 QStringLiteral("both channels are identical: deliver it as a mono file"));
    if (!silent && m.correlation && *m.correlation < settings.phaseCorrelationMin)
        addIssue(issues, settings, QStringLiteral("phase_inverted"),
                 QStringLiteral("stereo correlation %1: one channel is probably polarity-inverted; it will "
                                "cancel in mono")
                     .arg(*m.correlation, 0, 'f', 2));
    checkBitDepth(report, settings);

    checkChannels(report, settings, silent);
    for (const QString &problem : info.metadataProblems)
        addIssue(issues, settings, QStringLiteral("metadata_malformed"), problem);

    if (!silent && m.firstActiveFrame > 0)
        report->leadingSilenceSeconds = double(m.firstActiveFrame) / rate;
    else if (silent)
        report->leadingSilenceSeconds = double(m.frames) / rate;
}

}  // namespace stemship::audit
