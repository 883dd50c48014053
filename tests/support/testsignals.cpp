#include "testsignals.h"

#include <QFile>
#include <QtEndian>

#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <numbers>

namespace stemship::test {

Signal sine(int sampleRateHz, int channels, double frequencyHz, double amplitude, double seconds,
            std::vector<int> activeChannels)
{
    Signal s{sampleRateHz, channels, {}};
    const auto frames = std::int64_t(std::llround(seconds * sampleRateHz));
    s.samples.assign(std::size_t(frames * channels), 0.0f);
    if (activeChannels.empty())
        for (int c = 0; c < channels; ++c)
            activeChannels.push_back(c);
    const double w = 2.0 * std::numbers::pi * frequencyHz / sampleRateHz;
    for (std::int64_t i = 0; i < frames; ++i) {
        const auto v = float(amplitude * std::sin(w * double(i)));
        for (int c : activeChannels)
            s.at(i, c) = v;
    }
    return s;
}

Signal sineDb(int sampleRateHz, int channels, double frequencyHz, double peakDbfs, double seconds)
{
    return sine(sampleRateHz, channels, frequencyHz, std::pow(10.0, peakDbfs / 20.0), seconds);
}

Signal silence(int sampleRateHz, int channels, double seconds)
{
    Signal s{sampleRateHz, channels, {}};
    s.samples.assign(std::size_t(std::llround(seconds * sampleRateHz)) * std::size_t(channels), 0.0f);
    return s;
}

Signal programme(int sampleRateHz, int channels, double seconds, std::uint32_t seed, double peakDbfs)
{
    Signal s{sampleRateHz, channels, {}};
    const auto frames = std::int64_t(std::llround(seconds * sampleRateHz));
    s.samples.assign(std::size_t(frames * channels), 0.0f);
    std::uint32_t state = seed ? seed : 1u;
    auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return double(state) / 4294967296.0 * 2.0 - 1.0;
    };
    std::vector<double> lp(std::size_t(channels), 0.0);
    // A 1-pole DC tracker (about 5 Hz) removes the random walk's offset, as the AC coupling of real gear does.
    std::vector<double> dc(std::size_t(channels), 0.0);
    const double dcCoefficient = 1.0 - std::exp(-2.0 * std::numbers::pi * 5.0 / sampleRateHz);
    const double twoPi = 2.0 * std::numbers::pi;
    double peak = 0.0;
    for (std::int64_t i = 0; i < frames; ++i) {
        const double t = double(i) / sampleRateHz;
        // Slow envelope so loudness varies (gives a real loudness range), plus a tone for pitch content.
        const double env = 0.35 + 0.3 * std::sin(twoPi * 0.11 * t + seed) + 0.2 * std::sin(twoPi * 0.37 * t);
        for (int c = 0; c < channels; ++c) {
            lp[std::size_t(c)] += 0.2 * (next() - lp[std::size_t(c)]);
            dc[std::size_t(c)] += dcCoefficient * (lp[std::size_t(c)] - dc[std::size_t(c)]);
            const double noise = lp[std::size_t(c)] - dc[std::size_t(c)];
            const double tone = 0.4 * std::sin(twoPi * (110.0 * (c + 1) + seed % 7) * t);
            const double v = env * (noise * 1.5 + tone);
            s.at(i, c) = float(v);
            peak = std::max(peak, std::abs(v));
        }
    }
    if (peak > 0.0) {
        const double g = std::pow(10.0, peakDbfs / 20.0) / peak;
        for (auto &x : s.samples)
            x = float(x * g);
    }
    return s;
}

Signal concat(const Signal &a, const Signal &b)
{
    Signal s = a;
    s.samples.insert(s.samples.end(), b.samples.begin(), b.samples.end());
    return s;
}

Signal scaled(Signal s, double gainDb)
{
    const auto g = float(std::pow(10.0, gainDb / 20.0));
    for (auto &x : s.samples)
        x *= g;
    return s;
}

bool writeAudio(const QString &path, const Signal &signal, const WriteOptions &options)
{
    SF_INFO info{};
    info.samplerate = signal.sampleRateHz;
    info.channels = signal.channels;
    info.format = options.sfFormat ? options.sfFormat : (SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    if (options.channelMask)
        info.format = SF_FORMAT_WAVEX | (info.format & SF_FORMAT_SUBMASK);
    const QByteArray name = QFile::encodeName(path);
    SNDFILE *file = sf_open(name.constData(), SFM_WRITE, &info);
    if (!file) {
        std::fprintf(stderr, "writeAudio %s: %s\n", name.constData(), sf_strerror(nullptr));
        return false;
    }
    if (options.timeReferenceSamples) {
        SF_BROADCAST_INFO bext{};
        std::strncpy(bext.description, "stemship test", sizeof bext.description);
        std::strncpy(bext.originator, "stemship-tests", sizeof bext.originator);
        bext.time_reference_low = std::uint32_t(*options.timeReferenceSamples & 0xffffffffu);
        bext.time_reference_high = std::uint32_t(*options.timeReferenceSamples >> 32);
        bext.version = 1;
        if (sf_command(file, SFC_SET_BROADCAST_INFO, &bext, sizeof bext) != SF_TRUE) {
            std::fprintf(stderr, "writeAudio %s: cannot set bext\n", name.constData());
            sf_close(file);
            return false;
        }
    }
    // Integer formats clip rather than wrap when the test gives full-scale values.
    sf_command(file, SFC_SET_CLIPPING, nullptr, SF_TRUE);
    const sf_count_t written = sf_writef_float(file, signal.samples.data(), signal.frames());
    const int closeResult = sf_close(file);
    if (written != signal.frames() || closeResult != 0)
        return false;
    return !options.channelMask || patchWaveChannelMask(path, *options.channelMask);
}

WriteOptions wavPcm24() { return WriteOptions{SF_FORMAT_WAV | SF_FORMAT_PCM_24, {}, {}}; }

WriteOptions wavFloat51() { return WriteOptions{SF_FORMAT_WAV | SF_FORMAT_FLOAT, {}, 0x3F}; }

bool patchWaveChannelMask(const QString &path, std::uint32_t channelMask)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite))
        return false;
    const QByteArray bytes = file.readAll();
    const auto le32 = [&](qsizetype at) { return qFromLittleEndian<quint32>(bytes.constData() + at); };
    for (qsizetype at = 12; at + 8 <= bytes.size(); at += 8 + qsizetype(le32(at + 4)) + (le32(at + 4) & 1)) {
        if (bytes.mid(at, 4) != "fmt ")
            continue;
        if (le32(at + 4) < 40 || qFromLittleEndian<quint16>(bytes.constData() + at + 8) != 0xFFFE)
            return false;
        uchar mask[4];
        qToLittleEndian<quint32>(channelMask, mask);
        return file.seek(at + 8 + 20) && file.write(reinterpret_cast<const char *>(mask), 4) == 4;
    }
    return false;
}

std::optional<Signal> readAudio(const QString &path)
{
    SF_INFO info{};
    const QByteArray name = QFile::encodeName(path);
    SNDFILE *file = sf_open(name.constData(), SFM_READ, &info);
    if (!file)
        return std::nullopt;
    Signal s{info.samplerate, info.channels, {}};
    s.samples.resize(std::size_t(info.frames * info.channels));
    const sf_count_t got = sf_readf_float(file, s.samples.data(), info.frames);
    sf_close(file);
    if (got != info.frames)
        return std::nullopt;
    return s;
}

}  // namespace stemship::test
