#include "reference/nullforensics.h"

#include "reference/nullpass.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <thread>

namespace stemship::reference {
namespace {

struct Layout {
    int mixChannels = 0;
    std::int64_t firstFrame = 0, endFrame = 0;
};

Result<Layout> layoutOf(const std::vector<SignalOpener> &stems, const SignalOpener &mix)
{
    auto m = mix();
    if (!m)
        return m.error();
    Layout layout{(*m)->channels(), (*m)->startFrame(), (*m)->endFrame()};
    for (const SignalOpener &open : stems) {
        auto s = open();
        if (!s)
            return s.error();
        if (!addsUpTo((*s)->channels(), layout.mixChannels))
            return Error{{}, QStringLiteral("a stem of %1 channels does not add up to a mix of %2").arg((*s)->channels()).arg(layout.mixChannels),
                         ErrorCode::Unreadable};
        layout.firstFrame = std::min(layout.firstFrame, (*s)->startFrame());
        layout.endFrame = std::max(layout.endFrame, (*s)->endFrame());
    }
    return layout;
}

// The start of the window of `windowBlocks` blocks where the stem has the most energy; none when it is silent.
std::optional<std::int64_t> busiestBlock(const std::vector<float> &energy, std::int64_t windowBlocks)
{
    double sum = 0.0, best = 0.0;
    std::optional<std::int64_t> bestStart;
    const auto n = std::int64_t(energy.size());
    for (std::int64_t b = 0; b < n; ++b) {
        sum += energy[std::size_t(b)];
        if (b >= windowBlocks)
            sum -= energy[std::size_t(b - windowBlocks)];
        if (sum > best) {
            best = sum;
            bestStart = std::max<std::int64_t>(0, b - windowBlocks + 1);
        }
    }
    return bestStart;
}

// The energy left once the least-squares gain is applied.
double bestFitResidual(const BlockSums &s)
{
    return s.stemStem > 0.0 ? std::max(0.0, s.mixMix - s.stemMix * s.stemMix / s.stemStem) : s.mixMix;
}

// Figures of the residual over time, per block, from the pass that compared the fitted stems.
void residualOverTime(const NullPass &fitted, double gain, std::int64_t blockFrames, int channels, NullForensics &f)
{
    const double samplesPerBlock = double(blockFrames) * channels;
    const BlockSums total = fitted.total();
    const double mixPower = f.frames > 0 ? total.mixMix / (double(f.frames) * channels) : 0.0;
    double worst = 0.0;  // a perfect null has no worst place
    for (std::size_t b = 0; b < fitted.blocks.size(); ++b) {
        const double residual = std::max(0.0, fitted.blocks[b].residual(gain)) / samplesPerBlock;
        f.mixOverTimeDbfs.push_back(float(energyDb(fitted.blocks[b].mixMix / samplesPerBlock)));
        f.residualOverTimeDbfs.push_back(float(energyDb(residual)));
        if (residual > worst) {
            worst = residual;
            f.worstResidualSeconds = double(f.firstFrame + std::int64_t(b) * blockFrames) / f.rateHz;
            f.worstResidualRelativeDb = mixPower > 0.0 ? energyDb(residual / mixPower) : -INFINITY;
        }
    }
}

void setFigures(const BlockSums &asDelivered, const BlockSums &fitted, int channels, const ForensicsOptions &options, NullForensics &f)
{
    const double samples = double(f.frames) * channels;
    const double residual = std::max(0.0, asDelivered.residual());
    f.mixRmsDbfs = samples > 0 ? energyDb(asDelivered.mixMix / samples) : -INFINITY;
    f.residualDbfs = samples > 0 ? energyDb(residual / samples) : -INFINITY;
    f.residualRelativeDb = asDelivered.mixMix > 0.0 ? energyDb(residual / asDelivered.mixMix) : (residual > 0.0 ? INFINITY : -INFINITY);
    f.passed = f.residualRelativeDb <= options.nullThresholdDb;
    if (fitted.stemStem > 0.0 && fitted.stemMix > 0.0 && fitted.mixMix > 0.0) {
        const double gain = fitted.stemMix / fitted.stemStem;
        f.bestFitGainDb = 20.0 * std::log10(gain);
        f.residualAfterFitDb = energyDb(std::max(0.0, fitted.residual(gain)) / fitted.mixMix);
    }
}

}  // namespace

bool NullForensics::anyMisaligned() const
{
    return std::any_of(stems.begin(), stems.end(), [](const StemVerdict &s) {
        return (s.offsetFrames && *s.offsetFrames != 0) || s.polarityInverted.value_or(false);
    });
}

Result<NullForensics> analyseNull(const std::vector<SignalOpener> &stems, const SignalOpener &mix, const ForensicsOptions &options,
                                  const CancelToken &cancel, std::atomic<double> *progress)
{
    auto layout = layoutOf(stems, mix);
    if (!layout)
        return layout.error();
    NullForensics f;
    f.rateHz = options.rateHz;
    f.firstFrame = layout->firstFrame;
    f.frames = layout->endFrame - layout->firstFrame;
    f.blockSeconds = options.blockSeconds;
    const std::int64_t blockFrames = std::max<std::int64_t>(1, std::llround(options.blockSeconds * options.rateHz));

    // Pass 1: the stems as they are, and where each is active.
    NullPassInput as{stems, mix, std::vector<std::int64_t>(stems.size()), std::vector<bool>(stems.size()), f.firstFrame, f.frames,
                     blockFrames, options.jobs, true, 0.0, 0.45};
    auto plain = runNullPass(as, cancel, progress);
    if (!plain)
        return plain.error();
    if (progress)
        progress->store(0.45, std::memory_order_relaxed);

    // Offsets and polarity on a window of about 2.5 s per stem (a power of two for the FFT).
    OffsetSearchInput search{stems, mix, {}, std::int64_t(std::bit_ceil(std::uint64_t(options.rateHz * 5 / 2))),
                             std::int64_t(std::ceil(options.maxOffsetSeconds * options.rateHz)) + 1, options.jobs};
    const float floor = float(std::pow(10.0, options.silenceFloorDbfs / 20.0));
    const std::int64_t windowBlocks = (search.windowFrames + blockFrames - 1) / blockFrames;
    for (std::size_t i = 0; i < stems.size(); ++i) {
        const bool silent = plain->stemPeak[i] < floor;
        const auto block = silent ? std::nullopt : busiestBlock(plain->stemEnergy[i], windowBlocks);
        search.windowStart.push_back(block ? std::optional(f.firstFrame + *block * blockFrames) : std::nullopt);
    }
    const BlockSums asIs = plain->total();
    search.initialGain = asIs.stemStem > 0.0 && asIs.stemMix > 0.0 ? asIs.stemMix / asIs.stemStem : 1.0;
    auto fits = searchOffsets(search, cancel);
    if (!fits)
        return fits.error();
    for (std::size_t i = 0; i < stems.size(); ++i)
        f.stems.push_back({!search.windowStart[i], (*fits)[i].offsetFrames, (*fits)[i].inverted, (*fits)[i].correlation});
    if (progress)
        progress->store(0.55, std::memory_order_relaxed);

    // Pass 2, when anything is misaligned: the stems as fitted.
    std::optional<NullPass> fittedPass;
    if (f.anyMisaligned()) {
        NullPassInput fitted = as;
        fitted.stemActivity = false;
        fitted.progressBase = 0.55;
        for (std::size_t i = 0; i < stems.size(); ++i) {
            fitted.shiftsFrames[i] = f.stems[i].offsetFrames.value_or(0);
            fitted.inverted[i] = f.stems[i].polarityInverted.value_or(false);
        }
        auto pass = runNullPass(fitted, cancel, progress);
        if (!pass)
            return pass.error();
        // The fits must explain the mix better than the stems as they are, over the whole span and not only in
        // the windows; when they do not, the windows misled the search and the stems are taken as they are.
        if (bestFitResidual(pass->total()) < bestFitResidual(asIs))
            fittedPass = std::move(*pass);
        else
            for (StemVerdict &v : f.stems)
                if (v.offsetFrames)
                    v = StemVerdict{v.silent, 0, false, v.correlation};
    }
    const NullPass &fitted = fittedPass ? *fittedPass : *plain;
    const int channels = layout->mixChannels;
    setFigures(options.aligned ? fitted.total() : plain->total(), fitted.total(), channels, options, f);
    residualOverTime(fitted, f.bestFitGainDb ? std::pow(10.0, *f.bestFitGainDb / 20.0) : 1.0, blockFrames, channels, f);
    if (progress)
        progress->store(1.0, std::memory_order_relaxed);
    return f;
}

Result<NullForensics> analyseNullPolling(const std::vector<SignalOpener> &stems, const SignalOpener &mix, const ForensicsOptions &options,
                                         const CancelToken &cancel, const std::function<void(double)> &poll)
{
    std::atomic<double> fraction{0.0};
    std::atomic<bool> finished{false};
    std::optional<Result<NullForensics>> result;
    std::thread worker([&] {
        result = analyseNull(stems, mix, options, cancel, &fraction);
        finished = true;
    });
    while (!finished) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (poll)
            poll(fraction.load(std::memory_order_relaxed));
    }
    worker.join();
    return std::move(*result);
}

}  // namespace stemship::reference
