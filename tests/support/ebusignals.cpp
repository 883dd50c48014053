#include "ebusignals.h"

#include <algorithm>
#include <numbers>

namespace stemship::test {

namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

std::int64_t framesOf(double seconds, int sampleRateHz)
{
    return std::llround(seconds * sampleRateHz);
}

double besselI0(double x)
{
    double sum = 1.0;
    double term = 1.0;
    for (int k = 1; k < 200 && term > 1e-18 * sum; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
    }
    return sum;
}

Signal stereoSine(int sampleRateHz, double cyclesPerSample, double amplitude, double phaseDegrees, double seconds)
{
    Signal s{sampleRateHz, 2, {}};
    const std::int64_t frames = framesOf(seconds, sampleRateHz);
    s.samples.resize(std::size_t(frames * 2));
    const double phase = phaseDegrees * std::numbers::pi / 180.0;
    for (std::int64_t i = 0; i < frames; ++i) {
        const auto v = float(amplitude * std::sin(kTwoPi * cyclesPerSample * double(i) + phase));
        s.at(i, 0) = v;
        s.at(i, 1) = v;
    }
    taper(s, 0.010);
    return s;
}

// Cases 20-23: fs/6 at 0.5 FFS holding one period of fs/4 at 1.0, built at 4 fs (continuous in phase: the period
// starts on a zero crossing of the fs/6 tone and ends on one), low-passed below fs/2 and taken every 4th sample
// from `offset`.
Signal burstInSine(int sampleRateHz, int offset)
{
    const int highRate = 4 * sampleRateHz;
    const std::int64_t frames = framesOf(1.0, highRate);
    Signal high{highRate, 2, {}};
    high.samples.resize(std::size_t(frames * 2));
    constexpr std::int64_t kBaseSamplesPerCycle = 24;   // fs/6 at 4 fs
    constexpr std::int64_t kBurstSamples = 16;          // one period of fs/4 at 4 fs
    const std::int64_t burstStart = frames / 2 / kBaseSamplesPerCycle * kBaseSamplesPerCycle;
    for (std::int64_t i = 0; i < frames; ++i) {
        double v;
        if (i < burstStart)
            v = 0.5 * std::sin(kTwoPi * double(i) / kBaseSamplesPerCycle);
        else if (i < burstStart + kBurstSamples)
            v = std::sin(kTwoPi * double(i - burstStart) / kBurstSamples);
        else
            v = 0.5 * std::sin(kTwoPi * double(i - kBurstSamples) / kBaseSamplesPerCycle);
        high.at(i, 0) = float(v);
        high.at(i, 1) = float(v);
    }
    const Signal filtered = lowPass(high, 0.5 * sampleRateHz, 511, 9.0);
    Signal s{sampleRateHz, 2, {}};
    for (std::int64_t i = offset; i < frames; i += 4) {
        s.samples.push_back(filtered.samples[std::size_t(2 * i)]);
        s.samples.push_back(filtered.samples[std::size_t(2 * i + 1)]);
    }
    taper(s, 0.010);
    return s;
}

}  // namespace

void taper(Signal &s, double seconds)
{
    const std::int64_t n = std::min(framesOf(seconds, s.sampleRateHz), s.frames() / 2);
    for (std::int64_t i = 0; i < n; ++i) {
        const auto g = float(0.5 - 0.5 * std::cos(std::numbers::pi * double(i) / double(n)));
        for (int c = 0; c < s.channels; ++c) {
            s.at(i, c) *= g;
            s.at(s.frames() - 1 - i, c) *= g;
        }
    }
}

Signal lowPass(const Signal &in, double cutoffHz, int taps, double kaiserBeta)
{
    const int half = taps / 2;
    std::vector<double> h(std::size_t(2 * half + 1));
    const double fc = cutoffHz / in.sampleRateHz;
    double sum = 0.0;
    for (int k = -half; k <= half; ++k) {
        const double t = double(k) / half;
        const double w = besselI0(kaiserBeta * std::sqrt(std::max(0.0, 1.0 - t * t))) / besselI0(kaiserBeta);
        const double sinc = k == 0 ? 2.0 * fc : std::sin(kTwoPi * fc * k) / (std::numbers::pi * k);
        h[std::size_t(k + half)] = sinc * w;
        sum += h[std::size_t(k + half)];
    }
    for (double &c : h)
        c /= sum;
    Signal out{in.sampleRateHz, in.channels, std::vector<float>(in.samples.size(), 0.0f)};
    const std::int64_t frames = in.frames();
    for (std::int64_t i = 0; i < frames; ++i) {
        for (int c = 0; c < in.channels; ++c) {
            double acc = 0.0;
            for (int k = -half; k <= half; ++k) {
                const std::int64_t j = i - k;
                if (j >= 0 && j < frames)
                    acc += h[std::size_t(k + half)] * double(in.samples[std::size_t(j * in.channels + c)]);
            }
            out.at(i, c) = float(acc);
        }
    }
    return out;
}

Signal toneSequence(int sampleRateHz, int channels, const std::vector<ToneSegment> &segments,
                    const std::vector<double> &channelOffsetDb, double frequencyHz)
{
    Signal s{sampleRateHz, channels, {}};
    std::int64_t total = 0;
    for (const ToneSegment &seg : segments)
        total += framesOf(seg.seconds, sampleRateHz);
    s.samples.assign(std::size_t(total * channels), 0.0f);
    std::vector<double> offset(std::size_t(channels), 1.0);
    for (std::size_t c = 0; c < channelOffsetDb.size() && c < offset.size(); ++c)
        offset[c] = std::pow(10.0, channelOffsetDb[c] / 20.0);
    const double w = kTwoPi * frequencyHz / sampleRateHz;
    std::int64_t i = 0;
    for (const ToneSegment &seg : segments) {
        const std::int64_t end = i + framesOf(seg.seconds, sampleRateHz);
        const double amplitude = std::isfinite(seg.peakDbfs) ? std::pow(10.0, seg.peakDbfs / 20.0) : 0.0;
        for (; i < end; ++i) {
            const double v = amplitude * std::sin(w * double(i));
            for (int c = 0; c < channels; ++c)
                s.at(i, c) = float(v * offset[std::size_t(c)]);
        }
    }
    return s;
}

Signal tech3341Loudness(int caseNumber, int rate, int index)
{
    const double silence = -INFINITY;
    std::vector<ToneSegment> seq;
    switch (caseNumber) {
    case 1:
        return toneSequence(rate, 2, {{20.0, -23.0}});
    case 2:
        return toneSequence(rate, 2, {{20.0, -33.0}});
    case 3:
        return toneSequence(rate, 2, {{10.0, -36.0}, {60.0, -23.0}, {10.0, -36.0}});
    case 4:
        return toneSequence(rate, 2, {{10.0, -72.0}, {10.0, -36.0}, {60.0, -23.0}, {10.0, -36.0}, {10.0, -72.0}});
    case 5:
        return toneSequence(rate, 2, {{20.0, -26.0}, {20.1, -20.0}, {20.0, -26.0}});
    case 6:
        // 5.0 (L R C Ls Rs): -28 dBFS in L and R, -24 in C, -30 in Ls and Rs.
        return toneSequence(rate, 5, {{20.0, 0.0}}, {-28.0, -28.0, -24.0, -30.0, -30.0});
    case 9:
        for (int r = 0; r < 5; ++r)
            seq.insert(seq.end(), {{1.34, -20.0}, {1.66, -30.0}});
        return toneSequence(rate, 2, seq);
    case 10:
        return toneSequence(rate, 2, {{index * 0.15, silence}, {3.0, -23.0}, {1.0, silence}});
    case 11:
        for (int i = 0; i < 20; ++i)
            seq.insert(seq.end(), {{i * 0.15, silence}, {3.0, -38.0 + i}, {3.0 - i * 0.15, silence}});
        return toneSequence(rate, 2, seq);
    case 12:
        for (int r = 0; r < 25; ++r)
            seq.insert(seq.end(), {{0.18, -20.0}, {0.22, -30.0}});
        return toneSequence(rate, 2, seq);
    case 13:
        return toneSequence(rate, 2, {{index * 0.02, silence}, {0.4, -23.0}, {1.0, silence}});
    case 14:
        for (int i = 0; i < 20; ++i)
            seq.insert(seq.end(), {{i * 0.02, silence}, {0.4, -38.0 + i}, {0.4 - i * 0.02, silence}});
        return toneSequence(rate, 2, seq);
    default:
        return Signal{rate, 2, {}};
    }
}

Signal tech3341TruePeak(int caseNumber, int rate)
{
    switch (caseNumber) {
    case 15:
        return stereoSine(rate, 1.0 / 4, 0.50, 0.0, 1.0);
    case 16:
        return stereoSine(rate, 1.0 / 4, 0.50, 45.0, 1.0);
    case 17:
        return stereoSine(rate, 1.0 / 6, 0.50, 60.0, 1.0);
    case 18:
        return stereoSine(rate, 1.0 / 8, 0.50, 67.5, 1.0);
    case 19:
        return stereoSine(rate, 1.0 / 4, 1.41, 45.0, 1.0);
    case 20:
    case 21:
    case 22:
    case 23:
        return burstInSine(rate, caseNumber - 20);
    default:
        return Signal{rate, 2, {}};
    }
}

double tech3341TruePeakExpected(int caseNumber)
{
    return caseNumber == 19 ? 3.0 : (caseNumber >= 20 ? 0.0 : -6.0);
}

Signal tech3342Range(int caseNumber, int rate)
{
    switch (caseNumber) {
    case 1:
        return toneSequence(rate, 2, {{20.0, -20.0}, {20.0, -30.0}});
    case 2:
        return toneSequence(rate, 2, {{20.0, -20.0}, {20.0, -15.0}});
    case 3:
        return toneSequence(rate, 2, {{20.0, -40.0}, {20.0, -20.0}});
    case 4:
        return toneSequence(rate, 2, {{20.0, -50.0}, {20.0, -35.0}, {20.0, -20.0}, {20.0, -35.0}, {20.0, -50.0}});
    default:
        return Signal{rate, 2, {}};
    }
}

double tech3342RangeExpected(int caseNumber)
{
    static const double expected[] = {0.0, 10.0, 5.0, 20.0, 15.0};
    return caseNumber >= 1 && caseNumber <= 4 ? expected[caseNumber] : 0.0;
}

}  // namespace stemship::test
