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

BlockLoudnessLog::BlockLoudnessLog() : m_gating(kBins, 0), m_shortTerm(kBins, 0) {}

void BlockLoudnessLog::clear() noexcept
{
    std::fill(m_gating.begin(), m_gating.end(), 0);
    std::fill(m_shortTerm.begin(), m_shortTerm.end(), 0);
}

void BlockLoudnessLog::add(Bins &bins, double energy) noexcept
{
    if (energy > 0.0)
        ++bins[std::size_t(binOf(energyToLufs(energy)))];
}

void BlockLoudnessLog::addGatingBlock(double energy) noexcept { add(m_gating, energy); }
void BlockLoudnessLog::addShortTerm(double energy) noexcept { add(m_shortTerm, energy); }

namespace {

using Counts = std::vector<std::uint32_t>;

double binCentreLufs(int bin)
{
    return BlockLoudnessLog::kLowestLufs + (double(bin) + 0.5) * BlockLoudnessLog::kBinLu;
}

double binEnergy(int bin)
{
    static const std::vector<double> energies = [] {
        std::vector<double> e(BlockLoudnessLog::kBins);
        for (int b = 0; b < BlockLoudnessLog::kBins; ++b)
            e[std::size_t(b)] = lufsToEnergy(binCentreLufs(b));
        return e;
    }();
    return energies[std::size_t(bin)];
}

// First bin whose blocks pass a gate at thresholdLufs (> it, or >= it when inclusive), judged by the bin's centre.
int firstPassingBin(double thresholdLufs, bool inclusive)
{
    if (thresholdLufs < BlockLoudnessLog::kLowestLufs)
        return 0;
    const int bin = binOf(thresholdLufs);
    const double centre = binCentreLufs(bin);
    return (inclusive ? centre >= thresholdLufs : centre > thresholdLufs) ? bin : bin + 1;
}

Totals totalsFrom(const Counts &count, int first)
{
    Totals t;
    for (int b = first; b < BlockLoudnessLog::kBins; ++b) {
        t.count += count[std::size_t(b)];
        t.energy += double(count[std::size_t(b)]) * binEnergy(b);
    }
    return t;
}

// Loudness of the block at 0-based sorted position `rank` among bins >= first.
double loudnessAtRank(const Counts &count, int first, std::uint64_t rank)
{
    std::uint64_t seen = 0;
    for (int b = first; b < BlockLoudnessLog::kBins; ++b) {
        seen += count[std::size_t(b)];
        if (seen > rank)
            return binCentreLufs(b);
    }
    return -INFINITY;
}

}  // namespace

double BlockLoudnessLog::integratedLufsAt(double gainDb) const noexcept
{
    const Counts &count = m_gating;
    // BS.1770-4 §2.8: blocks above the absolute gate, then above (their mean - 10 LU); both read at 0 dB here.
    const int absolute = firstPassingBin(kAbsoluteGateLufs - gainDb, false);
    const Totals aboveAbsolute = totalsFrom(count, absolute);
    if (aboveAbsolute.count == 0)
        return -INFINITY;
    const double relativeLufs = energyToLufs(aboveAbsolute.energy / double(aboveAbsolute.count)) + kIntegratedRelativeGateLu;
    const Totals gated = totalsFrom(count, std::max(absolute, firstPassingBin(relativeLufs, false)));
    return gated.count ? energyToLufs(gated.energy / double(gated.count)) + gainDb : -INFINITY;
}

double BlockLoudnessLog::loudnessRangeLuAt(double gainDb) const noexcept
{
    const Counts &count = m_shortTerm;
    // EBU Tech 3342 §3.1: short-term values at or above -70 LUFS, then above (their mean - 20 LU); the spread
    // between the 10th and 95th percentiles, taken as its MATLAB reference does (index round((n - 1) p / 100)).
    const int absolute = firstPassingBin(kAbsoluteGateLufs - gainDb, true);
    const Totals aboveAbsolute = totalsFrom(count, absolute);
    if (aboveAbsolute.count == 0)
        return 0.0;
    const double relativeLufs = energyToLufs(aboveAbsolute.energy / double(aboveAbsolute.count)) + kRangeRelativeGateLu;
    const int first = std::max(absolute, firstPassingBin(relativeLufs, false));
    const std::uint64_t n = totalsFrom(count, first).count;
    if (n == 0)
        return 0.0;
    const auto rankOf = [n](double percentile) { return std::uint64_t(std::llround(double(n - 1) * percentile / 100.0)); };
    const double low = loudnessAtRank(count, first, rankOf(kRangeLowPercentile));
    const double high = loudnessAtRank(count, first, rankOf(kRangeHighPercentile));
    return std::max(0.0, high - low);
}

}  // namespace stemship::metering
