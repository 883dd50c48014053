#include "blockloudnesslog.h"

#include "loudnesshistogram.h"

#include <algorithm>
#include <cmath>

namespace stemship::metering {
namespace {

struct Totals {
    std::uint64_t count = 0;
    double energy = 0.0;
};

int binOf(double loudnessLufs) noexcept
{
    const double position = (loudnessLufs - BlockLoudnessLog::kLowestLufs) / BlockLoudnessLog::kBinLu;
    if (!(position > 0.0))
        return 0;
    return position >= double(BlockLoudnessLog::kBins - 1) ? BlockLoudnessLog::kBins - 1 : int(position);
}

}  // namespace

BlockLoudnessLog::BlockLoudnessLog()
    : m_gating{std::vector<std::uint64_t>(kBins, 0), std::vector<double>(kBins, 0.0)},
      m_shortTerm{std::vector<std::uint64_t>(kBins, 0), std::vector<double>(kBins, 0.0)}
{
}

void BlockLoudnessLog::clear() noexcept
{
    for (Bins *bins : {&m_gating, &m_shortTerm}) {
        std::fill(bins->count.begin(), bins->count.end(), 0);
        std::fill(bins->energy.begin(), bins->energy.end(), 0.0);
    }
}

void BlockLoudnessLog::add(Bins &bins, double energy) noexcept
{
    if (!(energy > 0.0))
        return;
    const auto bin = std::size_t(binOf(energyToLufs(energy)));
    ++bins.count[bin];
    bins.energy[bin] += energy;
}

void BlockLoudnessLog::addGatingBlock(double energy) noexcept { add(m_gating, energy); }
void BlockLoudnessLog::addShortTerm(double energy) noexcept { add(m_shortTerm, energy); }

namespace {

using Counts = std::vector<std::uint64_t>;
using Energies = std::vector<double>;

double binMeanLufs(const Counts &count, const Energies &energy, int bin)
{
    const auto b = std::size_t(bin);
    return count[b] ? energyToLufs(energy[b] / double(count[b])) : -INFINITY;
}

// First bin whose blocks pass a gate at thresholdLufs (> it, or >= it when inclusive); the bin holding the
// threshold goes with the mean of its blocks, as in LoudnessHistogram.
int firstPassingBin(const Counts &count, const Energies &energy, double thresholdLufs, bool inclusive)
{
    if (thresholdLufs < BlockLoudnessLog::kLowestLufs)
        return 0;
    const int bin = binOf(thresholdLufs);
    const double mean = binMeanLufs(count, energy, bin);
    return (inclusive ? mean >= thresholdLufs : mean > thresholdLufs) ? bin : bin + 1;
}

Totals totalsFrom(const Counts &count, const Energies &energy, int first)
{
    Totals t;
    for (int b = first; b < BlockLoudnessLog::kBins; ++b) {
        t.count += count[std::size_t(b)];
        t.energy += energy[std::size_t(b)];
    }
    return t;
}

// Loudness of the block at 0-based sorted position `rank` among bins >= first.
double loudnessAtRank(const Counts &count, const Energies &energy, int first, std::uint64_t rank)
{
    std::uint64_t seen = 0;
    for (int b = first; b < BlockLoudnessLog::kBins; ++b) {
        seen += count[std::size_t(b)];
        if (seen > rank)
            return binMeanLufs(count, energy, b);
    }
    return -INFINITY;
}

}  // namespace

double BlockLoudnessLog::integratedLufsAt(double gainDb) const noexcept
{
    const Counts &count = m_gating.count;
    const Energies &energy = m_gating.energy;
    // BS.1770-4 §2.8: blocks above the absolute gate, then above (their mean - 10 LU); both read at 0 dB here.
    const int absolute = firstPassingBin(count, energy, kAbsoluteGateLufs - gainDb, false);
    const Totals aboveAbsolute = totalsFrom(count, energy, absolute);
    if (aboveAbsolute.count == 0)
        return -INFINITY;
    const double relativeLufs = energyToLufs(aboveAbsolute.energy / double(aboveAbsolute.count)) + kIntegratedRelativeGateLu;
    const Totals gated = totalsFrom(count, energy, std::max(absolute, firstPassingBin(count, energy, relativeLufs, false)));
    return gated.count ? energyToLufs(gated.energy / double(gated.count)) + gainDb : -INFINITY;
}

double BlockLoudnessLog::loudnessRangeLuAt(double gainDb) const noexcept
{
    const Counts &count = m_shortTerm.count;
    const Energies &energy = m_shortTerm.energy;
    // EBU Tech 3342 §3.1: short-term values at or above -70 LUFS, then above (their mean - 20 LU); the spread
    // between the 10th and 95th percentiles, taken as its MATLAB reference does (index round((n - 1) p / 100)).
    const int absolute = firstPassingBin(count, energy, kAbsoluteGateLufs - gainDb, true);
    const Totals aboveAbsolute = totalsFrom(count, energy, absolute);
    if (aboveAbsolute.count == 0)
        return 0.0;
    const double relativeLufs = energyToLufs(aboveAbsolute.energy / double(aboveAbsolute.count)) + kRangeRelativeGateLu;
    const int first = std::max(absolute, firstPassingBin(count, energy, relativeLufs, false));
    const std::uint64_t n = totalsFrom(count, energy, first).count;
    if (n == 0)
        return 0.0;
    const auto rankOf = [n](double percentile) { return std::uint64_t(std::llround(double(n - 1) * percentile / 100.0)); };
    const double low = loudnessAtRank(count, energy, first, rankOf(kRangeLowPercentile));
    const double high = loudnessAtRank(count, energy, first, rankOf(kRangeHighPercentile));
    return std::max(0.0, high - low);
}

}  // namespace stemship::metering
