#include "reference/offsetsearch.h"

#include "reference/crosscorrelator.h"
#include "util/parallel.h"

#include <algorithm>
#include <cmath>

namespace stemship::reference {
namespace {

// The fits one round subtracts: every other stem as fitted by the round before, scaled by the mix's gain.
struct Subtraction {
    const std::vector<StemFit> *fits = nullptr;
    double gain = 1.0;
};

// The mix around stem i's window, minus the other stems as fitted (interleaved, the mix's channels).
Status readTarget(const OffsetSearchInput &input, std::size_t i, const Subtraction &sub, PlacedSignal &mix,
                  std::vector<float> &target)
{
    const std::int64_t span = input.windowFrames + 2 * input.maxLagFrames;
    const std::int64_t from = *input.windowStart[i] - input.maxLagFrames;
    const int channels = mix.channels();
    target.resize(std::size_t(span * channels));
    if (Status s = mix.read(from, span, target.data()); !s)
        return s;
    if (!sub.fits)
        return {};
    std::vector<float> other;
    for (std::size_t j = 0; j < input.stems.size(); ++j) {
        const StemFit &fit = (*sub.fits)[j];
        if (j == i || !fit.offsetFrames)
            continue;
        auto stem = input.stems[j]();
        if (!stem)
            return stem.error();
        const int c = (*stem)->channels();
        other.resize(std::size_t(span * c));
        if (Status s = (*stem)->read(from + *fit.offsetFrames, span, other.data()); !s)
            return s;
        const float scale = float(*fit.inverted ? -sub.gain : sub.gain);
        for (std::int64_t t = 0; t < span; ++t)
            for (int ch = 0; ch < channels; ++ch)
                target[std::size_t(t * channels + ch)] -= scale * other[std::size_t(t * c + (c == 1 ? 0 : ch))];
    }
    return {};
}

// One channel of an interleaved buffer, or the sum of all of them (a mono stem against a stereo mix).
void channelOf(const std::vector<float> &in, int channels, int channel, std::vector<float> &out)
{
    const std::size_t frames = in.size() / std::size_t(channels);
    out.assign(frames, 0.0f);
    for (std::size_t t = 0; t < frames; ++t)
        for (int c = (channel < 0 ? 0 : channel); c < (channel < 0 ? channels : channel + 1); ++c)
            out[t] += in[t * std::size_t(channels) + std::size_t(c)];
}

Result<StemFit> fitStem(const OffsetSearchInput &input, std::size_t i, const Subtraction &sub)
{
    auto mix = input.mix();
    if (!mix)
        return mix.error();
    auto stem = input.stems[i]();
    if (!stem)
        return stem.error();
    const int stemChannels = (*stem)->channels(), mixChannels = (*mix)->channels();
    std::vector<float> x(std::size_t(input.windowFrames * stemChannels)), target, xc, yc;
    if (Status s = (*stem)->read(*input.windowStart[i], input.windowFrames, x.data()); !s)
        return s.error();
    if (Status s = readTarget(input, i, sub, **mix, target); !s)
        return s.error();
    CrossCorrelator correlator(std::size_t(input.windowFrames), std::size_t(input.maxLagFrames));
    for (int c = 0; c < stemChannels; ++c) {
        channelOf(x, stemChannels, c, xc);
        channelOf(target, mixChannels, stemChannels == 1 ? -1 : c, yc);
        correlator.add(xc.data(), yc.data());
    }
    const CorrelationPeak peak = correlator.peak();
    StemFit fit;
    fit.offsetFrames = peak.offsetFrames;
    fit.inverted = peak.value < 0.0;
    fit.correlation = peak.normalised;
    // A mono stem was compared with the channels' sum, where the mix holds it once per channel.
    const double copies = stemChannels == 1 ? mixChannels : 1;
    fit.gain = peak.xEnergy > 0.0 ? std::fabs(peak.value) / (peak.xEnergy * copies) : 0.0;
    return fit;
}

bool sameFits(const std::vector<StemFit> &a, const std::vector<StemFit> &b)
{
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].offsetFrames != b[i].offsetFrames || a[i].inverted != b[i].inverted)
            return false;
    return true;
}

// The mix's gain on the stems: energy-weighted mean of each stem's own gain in its target.
double commonGain(const std::vector<StemFit> &fits, const OffsetSearchInput &input)
{
    double weighted = 0.0, weights = 0.0;
    for (std::size_t i = 0; i < fits.size(); ++i) {
        if (!fits[i].offsetFrames || std::fabs(fits[i].correlation) < kMinContainedCorrelation || !input.windowStart[i])
            continue;
        const double w = fits[i].correlation * fits[i].correlation;
        weighted += w * fits[i].gain;
        weights += w;
    }
    return weights > 0.0 ? weighted / weights : 1.0;
}

}  // namespace

Result<std::vector<StemFit>> searchOffsets(const OffsetSearchInput &input, const CancelToken &cancel)
{
    // Round 0 subtracts the others as they are (most stems of a real delivery are aligned, and what they share
    // with this one goes with them); later rounds subtract them as the round before fitted them. Three changes
    // are enough for bleed between two stems; more rounds only guard pathological sets.
    constexpr int kMaxRounds = 6;
    std::vector<StemFit> fits(input.stems.size());
    for (std::size_t i = 0; i < fits.size(); ++i)
        if (input.windowStart[i])
            fits[i] = StemFit{0, false, 1.0, input.initialGain};
    for (int round = 0; round < kMaxRounds; ++round) {
        const Subtraction sub{&fits, round == 0 ? input.initialGain : commonGain(fits, input)};
        std::vector<StemFit> next(input.stems.size());
        std::vector<std::optional<Error>> errors(input.stems.size());
        CancelToken stop;
        const Status ran = parallelFor(int(input.stems.size()), input.jobs, [&](int i) {
            if (!input.windowStart[std::size_t(i)] || stop.cancelled())
                return;
            auto fit = fitStem(input, std::size_t(i), sub);
            if (fit)
                next[std::size_t(i)] = *fit;
            else
                errors[std::size_t(i)] = fit.error();
            if (!fit)
                stop.cancel();
        }, [&] {
            if (cancel.cancelled())
                stop.cancel();
        });
        if (!ran)
            return ran.error();
        if (cancel.cancelled())
            return Error::cancelled(QString());
        for (const auto &e : errors)
            if (e)
                return *e;
        const bool settled = sameFits(fits, next);
        fits = std::move(next);
        if (settled)
            break;
    }
    for (StemFit &fit : fits)
        if (fit.offsetFrames && std::fabs(fit.correlation) < kMinContainedCorrelation)
            fit = StemFit{{}, {}, fit.correlation, fit.gain};
    return fits;
}

}  // namespace stemship::reference
