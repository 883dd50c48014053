#pragma once

// Signal generation and libsndfile writing for tests and benchmarks: every test makes its own audio.

#include <QString>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace stemship::test {

// Interleaved float buffer with its layout.
struct Signal {
    int sampleRateHz = 48000;
    int channels = 2;
    std::vector<float> samples;  // interleaved

    std::int64_t frames() const { return channels > 0 ? std::int64_t(samples.size()) / channels : 0; }
    float &at(std::int64_t frame, int channel) { return samples[std::size_t(frame * channels + channel)]; }
};

// Sine of amplitude (linear) on the given channels (empty = all), others silent.
Signal sine(int sampleRateHz, int channels, double frequencyHz, double amplitude, double seconds,
            std::vector<int> activeChannels = {});
// Sine whose level is given in dBFS (peak).
Signal sineDb(int sampleRateHz, int channels, double frequencyHz, double peakDbfs, double seconds);
Signal silence(int sampleRateHz, int channels, double seconds);
// Deterministic pseudo-random "programme" material: band-limited noise with a moving envelope.
Signal programme(int sampleRateHz, int channels, double seconds, std::uint32_t seed, double peakDbfs = -6.0);
// Concatenates b after a (same layout).
Signal concat(const Signal &a, const Signal &b);
Signal scaled(Signal s, double gainDb);

struct WriteOptions {
    int sfFormat = 0;  // libsndfile SF_FORMAT_* major|subtype; 0 = WAV float
    std::optional<std::uint64_t> timeReferenceSamples = std::nullopt;  // writes a bext chunk when set
    // Writes WAVE_FORMAT_EXTENSIBLE (SF_FORMAT_WAVEX, the subtype of sfFormat) with exactly this dwChannelMask,
    // patched into the fmt chunk after libsndfile wrote it, so tests can plant masks libsndfile would refuse.
    // (A default member initializer: the many {format, reference} initialisations need not name it.)
    std::optional<std::uint32_t> channelMask = std::nullopt;
};

// The formats the tests write most: 24-bit PCM WAV, and float 5.1 WAV (WAVE_FORMAT_EXTENSIBLE, dwChannelMask 0x3F:
// L R C LFE Ls Rs; CLI-CONTRACT 5.1).
WriteOptions wavPcm24();
WriteOptions wavFloat51();

// Overwrites dwChannelMask of a WAVE_FORMAT_EXTENSIBLE file in place; false if there is none.
bool patchWaveChannelMask(const QString &path, std::uint32_t channelMask);

// Writes with libsndfile; QFAIL-style: returns false and prints on failure.
bool writeAudio(const QString &path, const Signal &signal, const WriteOptions &options = {});
// Reads a whole file with libsndfile into float (tests only; small files).
std::optional<Signal> readAudio(const QString &path);

}  // namespace stemship::test
