#include "reference/nullpass.h"

#include "util/parallel.h"

#include <QThread>

#include <algorithm>
#include <cmath>
#include <optional>

namespace stemship::reference {
namespace {

// The readers one thread needs.
struct Readers {
    std::unique_ptr<PlacedSignal> mix;
    std::vector<std::unique_ptr<PlacedSignal>> stems;
};

Result<Readers> openAll(const NullPassInput &input)
{
    Readers r;
    auto mix = input.mix();
    if (!mix)
        return mix.error();
    r.mix = std::move(*mix);
    for (const SignalOpener &open : input.stems) {
        auto stem = open();
        if (!stem)
            return stem.error();
        r.stems.push_back(std::move(*stem));
    }
    return r;
}

// Adds a stem's block to the running sum (a mono stem to every channel) and returns its energy and peak.
std::pair<double, float> addStem(const float *stem, int stemChannels, std::int64_t frames, float sign, int channels, float *sum)
{
    double energy = 0.0;
    float peak = 0.0f;
    for (std::int64_t t = 0; t < frames; ++t) {
        for (int c = 0; c < channels; ++c)
            sum[t * channels + c] += sign * stem[t * stemChannels + (stemChannels == 1 ? 0 : c)];
        for (int c = 0; c < stemChannels; ++c) {
            const float x = stem[t * stemChannels + c];
            energy += double(x) * x;
            peak = std::max(peak, std::fabs(x));
        }
    }
    return {energy, peak};
}

// Blocks [firstBlock, endBlock) of the span, by one thread.
Status runPart(const NullPassInput &input, std::int64_t firstBlock, std::int64_t endBlock, NullPass &out,
               std::vector<float> &peaks, const CancelToken &cancel, std::atomic<std::int64_t> &blocksDone)
{
    auto readers = openAll(input);
    if (!readers)
        return readers.error();
    const int channels = readers->mix->channels();
    const std::int64_t n = input.blockFrames;
    std::vector<float> mix(std::size_t(n * channels)), sum(mix.size()), stem;
    for (std::int64_t b = firstBlock; b < endBlock; ++b) {
        if (cancel.cancelled())
            return Error::cancelled(QString());
        const std::int64_t from = input.firstFrame + b * n;
        const std::int64_t frames = std::min(n, input.firstFrame + input.frames - from);
        if (Status s = readers->mix->read(from, frames, mix.data()); !s)
            return s;
        std::fill(sum.begin(), sum.end(), 0.0f);
        for (std::size_t i = 0; i < readers->stems.size(); ++i) {
            PlacedSignal &s = *readers->stems[i];
            stem.resize(std::size_t(frames * s.channels()));
            if (Status st = s.read(from + input.shiftsFrames[i], frames, stem.data()); !st)
                return st;
            const auto [energy, peak] = addStem(stem.data(), s.channels(), frames, input.inverted[i] ? -1.0f : 1.0f, channels, sum.data());
            if (input.stemActivity) {
                out.stemEnergy[i][std::size_t(b)] = float(energy);
                peaks[i] = std::max(peaks[i], peak);
            }
        }
        BlockSums &sums = out.blocks[std::size_t(b)];
        for (std::int64_t k = 0; k < frames * channels; ++k) {
            sums.stemMix += double(sum[std::size_t(k)]) * mix[std::size_t(k)];
            sums.stemStem += double(sum[std::size_t(k)]) * sum[std::size_t(k)];
            sums.mixMix += double(mix[std::size_t(k)]) * mix[std::size_t(k)];
        }
        blocksDone.fetch_add(1, std::memory_order_relaxed);
    }
    return {};
}

}  // namespace

BlockSums NullPass::total() const
{
    BlockSums t;
    for (const BlockSums &b : blocks)
        t += b;
    return t;
}

Result<NullPass> runNullPass(const NullPassInput &input, const CancelToken &cancel, std::atomic<double> *progress)
{
    const std::int64_t blockCount = (input.frames + input.blockFrames - 1) / input.blockFrames;
    NullPass pass;
    pass.blocks.resize(std::size_t(blockCount));
    if (input.stemActivity) {
        pass.stemEnergy.assign(input.stems.size(), std::vector<float>(std::size_t(blockCount)));
        pass.stemPeak.assign(input.stems.size(), 0.0f);
    }
    const int parts = int(std::clamp<std::int64_t>(input.jobs > 0 ? input.jobs : QThread::idealThreadCount(), 1, std::max<std::int64_t>(1, blockCount)));
    std::vector<std::optional<Error>> errors(static_cast<std::size_t>(parts));
    std::vector<std::vector<float>> peaks(std::size_t(parts), std::vector<float>(input.stems.size()));
    std::atomic<std::int64_t> blocksDone{0};
    CancelToken stop;
    const Status ran = parallelFor(parts, parts, [&](int p) {
        const std::int64_t first = blockCount * p / parts, end = blockCount * (p + 1) / parts;
        if (Status s = runPart(input, first, end, pass, peaks[std::size_t(p)], stop, blocksDone); !s) {
            errors[std::size_t(p)] = s.error();
            stop.cancel();
        }
    }, [&] {
        if (cancel.cancelled())
            stop.cancel();
        if (progress && blockCount > 0)
            progress->store(input.progressBase + input.progressSpan * double(blocksDone.load(std::memory_order_relaxed)) / double(blockCount),
                           std::memory_order_relaxed);
    });
    if (!ran)
        return ran.error();
    if (cancel.cancelled())
        return Error::cancelled(QString());
    for (const auto &e : errors)
        if (e && e->code != ErrorCode::Cancelled)
            return *e;
    for (const auto &part : peaks)
        for (std::size_t i = 0; i < part.size() && input.stemActivity; ++i)
            pass.stemPeak[i] = std::max(pass.stemPeak[i], part[i]);
    return pass;
}

}  // namespace stemship::reference
