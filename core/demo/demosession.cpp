#include "demo/demosession.h"

#include "io/atomicfile.h"

#include <QDir>
#include <QFile>

#include <sndfile.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <numbers>
#include <vector>

namespace stemship::demo {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;
constexpr double kTempo = 120.0;
constexpr double kBeat = 60.0 / kTempo;
constexpr double kBarOne = 2.0;
constexpr int kBars = 8;
constexpr double kLength = kBarOne + kBars * 4 * kBeat + 1.0;  // count-in, 8 bars, a ring-out second

// A minor - F - C - G, one chord a bar (MIDI notes).
constexpr std::array<std::array<int, 3>, 4> kChords{{{57, 60, 64}, {53, 57, 60}, {48, 52, 55}, {55, 59, 62}}};

double midiHz(int note) { return 440.0 * std::pow(2.0, (note - 69) / 12.0); }

struct Noise {
    std::uint32_t state;
    double next()
    {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return double(state) / 2147483648.0 - 1.0;
    }
};

// Sample generator: time in seconds on the session timeline -> one value per channel.
using Voice = std::function<void(double t, float *out)>;

struct StemSpec {
    const char *file;
    int rate;
    int channels;
    int sfFormat;
    double startSeconds;  // BWF time reference / rate
    double lengthSeconds;
    Voice voice;
};

double kickAt(double t)
{
    if (t < kBarOne)
        return 0.0;
    const double local = std::fmod(t - kBarOne, kBeat);
    const double f = 45.0 + 110.0 * std::exp(-local * 28.0);
    return std::sin(kTwoPi * (45.0 * local + 110.0 * (1 - std::exp(-local * 28.0)) / 28.0)) * std::exp(-local * 7.0) * (f > 0);
}

double snareAt(double t, Noise &noise)
{
    if (t < kBarOne)
        return 0.0;
    const double pos = std::fmod(t - kBarOne, 2 * kBeat);  // backbeat on 2 and 4
    if (pos < kBeat)
        return 0.0;
    const double local = pos - kBeat;
    return (0.55 * noise.next() * std::exp(-local * 18.0) + 0.5 * std::sin(kTwoPi * 190.0 * local) * std::exp(-local * 25.0));
}

double hatAt(double t, Noise &noise, double &hp)
{
    if (t < kBarOne)
        return 0.0;
    const double local = std::fmod(t - kBarOne, kBeat / 2);
    const double n = noise.next();
    const double out = n - hp;  // crude high-pass: noise minus its smoothed self
    hp += 0.3 * (n - hp);
    return out * std::exp(-local * 60.0) * 0.6;
}

int barIndex(double t) { return int(std::floor((t - kBarOne) / (4 * kBeat))) & 3; }

double bassAt(double t)
{
    if (t < kBarOne)
        return 0.0;
    const int root = kChords[std::size_t(barIndex(t))][0] - 24;
    const double local = std::fmod(t - kBarOne, kBeat / 2);
    const double f = midiHz(root);
    double v = 0.0;
    for (int h = 1; h <= 6; ++h)  // soft saw
        v += std::sin(kTwoPi * f * h * t) / h;
    return v * 0.5 * (1.0 - std::exp(-local * 200.0)) * std::exp(-local * 2.0);
}

double keysAt(double t, int channel)
{
    if (t < kBarOne)
        return 0.0;
    const auto &chord = kChords[std::size_t(barIndex(t))];
    const double local = std::fmod(t - kBarOne, 4 * kBeat);
    double v = 0.0;
    for (std::size_t i = 0; i < chord.size(); ++i) {
        const double f = midiHz(chord[i]) * (channel ? 1.002 : 0.998);
        v += (std::sin(kTwoPi * f * t) + 0.3 * std::sin(kTwoPi * 2 * f * t)) * (channel == int(i % 2) ? 0.4 : 0.3);
    }
    return v * 0.35 * std::exp(-local * 0.6);
}

double guitarAt(double t)
{
    if (t < kBarOne)
        return 0.0;
    const auto &chord = kChords[std::size_t(barIndex(t))];
    const double local = std::fmod(t - kBarOne, kBeat);
    double v = 0.0;
    for (int note : chord)
        v += std::tanh(2.5 * std::sin(kTwoPi * midiHz(note) * t));
    return v * 0.25 * std::exp(-local * 4.0);
}

// A sung "ah": a glottal-ish pulse through two formants, melody on the chord tones, pickup before bar one.
double vocalAt(double t, std::array<double, 4> &state)
{
    static constexpr std::array<double, 10> kMelody{0.0, 64, 64, 67, 65, 64, 60, 62, 59, 0};
    const double start = kBarOne - 2 * kBeat;  // two-beat pickup
    if (t < start || t > kBarOne + kBars * 4 * kBeat - kBeat)
        return 0.0;
    const int step = std::min(int((t - start) / (2 * kBeat)) + 1, int(kMelody.size()) - 1);
    const double f = midiHz(int(kMelody[std::size_t(step)])) * (1.0 + 0.004 * std::sin(kTwoPi * 5.5 * t));
    const double phase = std::fmod(t * f, 1.0);
    // Half-sine pulses with their mean (0.2 / pi) taken out, so the resonators ring without DC.
    const double pulse = (phase < 0.1 ? std::sin(std::numbers::pi * phase / 0.1) : 0.0) - 0.2 / std::numbers::pi;
    // Two resonators at 800 Hz and 1150 Hz ("ah").
    const double fs = 48000.0;
    auto resonate = [&](double in, double fc, double &y1, double &y2) {
        const double r = 0.985, c = 2 * r * std::cos(kTwoPi * fc / fs);
        const double y = in + c * y1 - r * r * y2;
        y2 = y1;
        y1 = y;
        return y;
    };
    const double v = resonate(pulse, 800.0, state[0], state[1]) + 0.6 * resonate(pulse, 1150.0, state[2], state[3]);
    const double local = std::fmod(t - start, 2 * kBeat);
    return v * 0.004 * std::min(1.0, local * 20.0) * std::min(1.0, (2 * kBeat - local) * 8.0);
}

double riserAt(double t, int channel, Noise &noise)
{
    const double start = kBarOne + 4 * 4 * kBeat;  // the FX begins at bar five
    const double local = t - start;
    const double len = 4 * 4 * kBeat;
    if (local < 0 || local > len)
        return 0.0;
    const double sweep = std::sin(kTwoPi * (200.0 * local + 300.0 * local * local / len));
    return (0.5 * noise.next() + 0.5 * sweep) * (local / len) * 0.5 * (channel ? 0.9 : 1.0);
}

Status writeStem(const QString &folder, const StemSpec &spec, QString *written)
{
    const QString path = QDir(folder).filePath(QString::fromUtf8(spec.file));
    const QString temp = path + QStringLiteral(".stemship-tmp");
    SF_INFO info{};
    info.samplerate = spec.rate;
    info.channels = spec.channels;
    info.format = spec.sfFormat;
    SNDFILE *file = sf_open(QFile::encodeName(temp).constData(), SFM_WRITE, &info);
    if (!file)
        return Error{path, QStringLiteral("cannot write: ") + QString::fromUtf8(sf_strerror(nullptr))};
    SF_BROADCAST_INFO bext{};
    std::strncpy(bext.description, "Stemship demo session", sizeof bext.description);
    std::strncpy(bext.originator, "Stemship", sizeof bext.originator);
    const auto reference = std::uint64_t(std::llround(spec.startSeconds * spec.rate));
    bext.time_reference_low = std::uint32_t(reference & 0xffffffffu);
    bext.time_reference_high = std::uint32_t(reference >> 32);
    bext.version = 1;
    if ((spec.sfFormat & SF_FORMAT_TYPEMASK) == SF_FORMAT_WAV)
        sf_command(file, SFC_SET_BROADCAST_INFO, &bext, sizeof bext);
    sf_command(file, SFC_SET_CLIPPING, nullptr, SF_TRUE);

    constexpr int kBlock = 4096;
    std::vector<float> block(std::size_t(kBlock * spec.channels));
    const auto frames = std::int64_t(std::llround(spec.lengthSeconds * spec.rate));
    bool ok = true;
    for (std::int64_t done = 0; done < frames && ok;) {
        const std::int64_t n = std::min<std::int64_t>(kBlock, frames - done);
        for (std::int64_t i = 0; i < n; ++i)
            spec.voice(spec.startSeconds + double(done + i) / spec.rate, block.data() + i * spec.channels);
        ok = sf_writef_float(file, block.data(), n) == n;
        done += n;
    }
    ok = sf_close(file) == 0 && ok;
    // rename(2) replaces an earlier demo's file atomically (QFile::rename refuses to overwrite), made durable.
    if (!ok || !io::commitRename(temp, path)) {
        QFile::remove(temp);
        return Error{path, QStringLiteral("cannot write the demo stem (disk full or read-only?)")};
    }
    *written = path;
    return {};
}

}  // namespace

Result<DemoSession> writeDemoSession(const QString &folder)
{
    if (!QDir().mkpath(folder))
        return Error{folder, QStringLiteral("cannot create the demo folder")};
    DemoSession session;
    session.folder = folder;

    const int pcm24 = SF_FORMAT_WAV | SF_FORMAT_PCM_24;
    auto noise = std::make_shared<std::array<Noise, 4>>(std::array<Noise, 4>{Noise{1}, Noise{2}, Noise{3}, Noise{4}});
    auto hp = std::make_shared<double>(0.0);
    auto vox = std::make_shared<std::array<double, 4>>();
    const double full = kLength;
    const std::vector<StemSpec> stems = {
        {"Kick In.wav", 48000, 1, pcm24, 0.0, full, [](double t, float *o) { o[0] = float(0.45 * kickAt(t)); }},
        {"Snare Top.wav", 48000, 1, pcm24, 0.0, full, [noise](double t, float *o) { o[0] = float(0.3 * snareAt(t, (*noise)[0])); }},
        {"Hi-Hat.wav", 48000, 1, pcm24, 0.0, full, [noise, hp](double t, float *o) { o[0] = float(0.2 * hatAt(t, (*noise)[1], *hp)); }},
        {"Bass DI.wav", 48000, 1, pcm24, 0.0, full, [](double t, float *o) { o[0] = float(0.3 * bassAt(t)); }},
        {"Keys.wav", 44100, 2, pcm24, 0.0, full, [](double t, float *o) { o[0] = float(keysAt(t, 0)); o[1] = float(keysAt(t, 1)); }},
        {"Rhythm Guitar.wav", 48000, 2, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 0.0, full,
         [](double t, float *o) { o[0] = o[1] = float(0.5 * guitarAt(t)); }},
        {"Lead Vocal.wav", 48000, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 0.0, full,
         [vox](double t, float *o) { o[0] = float(vocalAt(t, *vox)); }},
        // Exported from its first region: the BWF time reference puts it at bar five.
        {"FX Riser.wav", 48000, 2, SF_FORMAT_WAV | SF_FORMAT_FLOAT, kBarOne + 16 * kBeat, 16 * kBeat + 0.5,
         [noise](double t, float *o) { o[0] = float(riserAt(t, 0, (*noise)[2])); o[1] = float(riserAt(t, 1, (*noise)[3])); }},
    };
    for (const StemSpec &spec : stems) {
        QString written;
        if (Status status = writeStem(folder, spec, &written); !status)
            return status.error();
        session.files.append(written);
    }
    return session;
}

}  // namespace stemship::demo
