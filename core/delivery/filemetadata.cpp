#include "delivery/filemetadata.h"

#include "metering/channellayout.h"

#include <cmath>

namespace stemship::delivery {
namespace {

std::optional<double> plus(double value, double gainDb)
{
    if (!std::isfinite(value))
        return std::nullopt;
    return value + gainDb;
}

io::IxmlFields ixmlFor(const RenderContext &context, metering::ChannelLayout layout, int channels,
                       const QString &stemName)
{
    const DeliverySpec &spec = *context.spec;
    io::IxmlFields ixml;
    ixml.project = context.title;
    ixml.note = QStringLiteral("version %1, %2 BPM, %3/%4")
                    .arg(spec.version, QString::number(spec.tempoBpm, 'g', 6))
                    .arg(spec.timeSignature.numerator).arg(spec.timeSignature.denominator);
    const auto labels = metering::channelLabels(layout);
    for (int c = 0; c < channels; ++c) {
        const QString function = std::size_t(c) < labels.size() ? QString::fromLatin1(labels[std::size_t(c)])
                                                                 : QString::number(c + 1);
        // Mono: the track is the stem; more channels: the stem's name and the channel's function.
        const QString name = channels == 1 ? stemName : stemName + QLatin1Char(' ') + function;
        ixml.tracks.append({c + 1, c + 1, name, function});
    }
    ixml.timeReferenceSamples = context.timeline.timeReferenceSamples();
    return ixml;
}

}  // namespace

void describeDeliveredFile(const RenderContext &context, const MeasuredStem &stem, const QString &stemName,
                           double gainDb, io::WavWriterSpec *output)
{
    const metering::ChannelLayout layout = metering::layoutOf(stem.channels, stem.info.channelMask);
    // CLI-CONTRACT: 3 or more channels of a known layout as WAVE_FORMAT_EXTENSIBLE with the layout's mask
    // (a 5.1 on the side bits is delivered on the back bits, as the contract's 5.1 is).
    if (stem.channels >= 3 && layout != metering::ChannelLayout::Unknown)
        output->channelMask = metering::maskOf(layout);
    io::BroadcastInfo &bext = output->bext;
    bext.umid = io::newBasicUmid(stem.channels);
    const metering::MeterResult &m = stem.levels;
    bext.integratedLufs = plus(m.integratedLufs, gainDb);
    bext.loudnessRangeLu = std::isfinite(m.integratedLufs) ? std::optional<double>(m.loudnessRangeLu) : std::nullopt;
    bext.maxTruePeakDbtp = plus(m.truePeakDbtp, gainDb);
    bext.maxMomentaryLufs = plus(m.maxMomentaryLufs, gainDb);
    bext.maxShortTermLufs = plus(m.maxShortTermLufs, gainDb);
    output->ixml = ixmlFor(context, layout, stem.channels, stemName);
}

}  // namespace stemship::delivery
