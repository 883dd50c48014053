#include "referencesession.h"

#include "ebusignals.h"

#include <QDir>

#include <cmath>

namespace stemship::test {
namespace {

constexpr double kPadSeconds = 0.3;

// The stem's own part as the mix has it: programme between two silences.
Signal partOf(const SessionSpec &spec, const PlantedStem &stem, std::uint32_t seed)
{
    const Signal pad = silence(spec.sampleRateHz, stem.channels, kPadSeconds);
    Signal body = stem.silent ? silence(spec.sampleRateHz, stem.channels, spec.seconds)
                              : scaled(programme(spec.sampleRateHz, stem.channels, spec.seconds, seed, -12.0), stem.levelDb);
    if (stem.lowPassHz > 0.0)
        body = lowPass(body, stem.lowPassHz, 511, 10.0);  // Kaiser beta 10: about 100 dB of stop band
    return concat(concat(pad, body), pad);
}

// x shifted later by offset frames (earlier when negative), same length, zeros where nothing is.
Signal shifted(const Signal &x, std::int64_t offset)
{
    Signal out{x.sampleRateHz, x.channels, std::vector<float>(x.samples.size(), 0.0f)};
    for (std::int64_t t = 0; t < x.frames(); ++t) {
        const std::int64_t from = t - offset;
        if (from >= 0 && from < x.frames())
            for (int c = 0; c < x.channels; ++c)
                out.at(t, c) = x.samples[std::size_t(from * x.channels + c)];
    }
    return out;
}

}  // namespace

std::optional<ReferenceSession> writeReferenceSession(const QString &dir, const SessionSpec &spec)
{
    std::vector<Signal> parts;
    for (std::size_t i = 0; i < spec.stems.size(); ++i) {
        Signal part = partOf(spec, spec.stems[i], std::uint32_t(1000 + 17 * i));
        if (const auto from = spec.stems[i].bleedFrom) {
            const Signal &other = parts[std::size_t(*from)];
            for (std::int64_t t = 0; t < part.frames(); ++t)
                for (int c = 0; c < part.channels; ++c)
                    part.at(t, c) += 0.5f * other.samples[std::size_t(t * other.channels + (other.channels == 1 ? 0 : c))];
        }
        parts.push_back(std::move(part));
    }
    std::int64_t mixFrames = 0;
    for (std::size_t i = 0; i < parts.size(); ++i)
        mixFrames = std::max<std::int64_t>(mixFrames, std::int64_t(spec.stems[i].timeReferenceSamples.value_or(0)) + parts[i].frames());
    Signal mix{spec.sampleRateHz, spec.mixChannels, std::vector<float>(std::size_t(mixFrames * spec.mixChannels), 0.0f)};
    ReferenceSession session;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const PlantedStem &stem = spec.stems[i];
        const auto start = std::int64_t(stem.timeReferenceSamples.value_or(0));
        for (std::int64_t t = 0; t < parts[i].frames() && stem.inMix; ++t)
            for (int c = 0; c < spec.mixChannels; ++c)
                mix.at(start + t, c) += float(spec.masterGain) * parts[i].samples[std::size_t(t * stem.channels + (stem.channels == 1 ? 0 : c))];
        Signal file = shifted(parts[i], stem.offsetFrames);
        if (stem.inverted)
            for (float &x : file.samples)
                x = -x;
        const QString path = QDir(dir).filePath(stem.name + QStringLiteral(".wav"));
        if (!writeAudio(path, file, WriteOptions{0, stem.timeReferenceSamples}))
            return std::nullopt;
        session.stemPaths << path;
    }
    if (spec.mixCutAfterSeconds)
        for (std::int64_t t = std::llround(*spec.mixCutAfterSeconds * spec.sampleRateHz); t < mix.frames(); ++t)
            for (int c = 0; c < mix.channels; ++c)
                mix.at(t, c) = 0.0f;
    session.mixPath = QDir(dir).filePath(QStringLiteral("Mix.wav"));
    if (!writeAudio(session.mixPath, mix, WriteOptions{spec.mixFormat, {}}))
        return std::nullopt;
    return session;
}

PlantedStem stem(const char *name, std::int64_t offset, bool inverted, int channels)
{
    PlantedStem s;
    s.name = QString::fromLatin1(name);
    s.offsetFrames = offset;
    s.inverted = inverted;
    s.channels = channels;
    return s;
}

}  // namespace stemship::test
