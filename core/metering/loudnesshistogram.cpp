#include "loudnesshistogram.h"

#include <algorithm>
#include <cmath>

namespace stemship::metering {

double energyToLufs(double energy) noexcept
{
    return energy > 0.0 ? -0.691 + 10.0 * std::log10(energy) : -INFINITY;
}

double lufsToEnergy(double lufs) noexcept
{
    return std::pow(10.0, (lufs + 0.691) / 10.0);
}

LoudnessHistogram::LoudnessHistogram()
    : m_count(kBins, 0), m_energy(kBins, 0.0), m_groupCount(kGroups, 0), m_groupEnergy(kGroups, 0.0)
{
}

void LoudnessHistogram::clear() noexcept
{
    std::fill(m_count.begin(), m_count.end(), 0);
    std::fill(m_energy.begin(), m_energy.end(), 0.0);
    std::fill(m_groupCount.begin(), m_groupCount.end(), 0);
    std::fill(m_groupEnergy.begin(), m_groupEnergy.end(), 0.0);
    m_total = 0;
    m_totalEnergy = 0.0;
}

int LoudnessHistogram::binOf(double loudnessLufs) const noexcept
{
    const double position = (loudnessLufs - kLowestLufs) / kBinLu;
    if (!(position > 0.0))
        return 0;
    if (position >= double(kBins - 1))
        return kBins - 1;
    return int(position);
}

void LoudnessHistogram::add(double energy, double loudnessLufs) noexcept
{
    const int bin = binOf(loudnessLufs);
    ++m_count[std::size_t(bin)];
    m_energy[std::size_t(bin)] += energy;
    ++m_groupCount[std::size_t(bin / kGroupBins)];
    m_groupEnergy[std::size_t(bin / kGroupBins)] += energy;
    ++m_total;
    m_totalEnergy += energy;
}

double LoudnessHistogram::meanLoudnessLufs() const noexcept
{
    return m_total ? energyToLufs(m_totalEnergy / double(m_total)) : -INFINITY;
}

double LoudnessHistogram::binMeanLufs(int bin) const noexcept
{
    const auto b = std::size_t(bin);
    return m_count[b] ? energyToLufs(m_energy[b] / double(m_count[b])) : -INFINITY;
}

int LoudnessHistogram::firstPassingBin(double thresholdLufs) const noexcept
{
    if (thresholdLufs < kLowestLufs)
        return 0;
    const int bin = binOf(thresholdLufs);
    // BS.1770-4 keeps blocks with l_j > threshold; the bin holding the threshold goes with its mean.
    return binMeanLufs(bin) > thresholdLufs ? bin : bin + 1;
}

double LoudnessHistogram::gatedLoudnessLufs(double relativeGateLu) const noexcept
{
    if (m_total == 0)
        return -INFINITY;
    const int first = firstPassingBin(meanLoudnessLufs() + relativeGateLu);
    std::uint64_t n = 0;
    double energy = 0.0;
    const int firstFullGroup = (first + kGroupBins - 1) / kGroupBins;
    for (int b = first; b < std::min(firstFullGroup * kGroupBins, kBins); ++b) {
        n += m_count[std::size_t(b)];
        energy += m_energy[std::size_t(b)];
    }
    for (int g = firstFullGroup; g < kGroups; ++g) {
        n += m_groupCount[std::size_t(g)];
        energy += m_groupEnergy[std::size_t(g)];
    }
    return n ? energyToLufs(energy / double(n)) : -INFINITY;
}

double LoudnessHistogram::loudnessAtRank(int firstBin, std::uint64_t rank) const noexcept
{
    // Skip whole groups, then walk bins; rank counts from firstBin upwards.
    int b = firstBin;
    std::uint64_t seen = 0;
    while (b % kGroupBins != 0 && b < kBins) {
        if (seen + m_count[std::size_t(b)] > rank)
            return binMeanLufs(b);
        seen += m_count[std::size_t(b)];
        ++b;
    }
    int g = b / kGroupBins;
    while (g < kGroups && seen + m_groupCount[std::size_t(g)] <= rank) {
        seen += m_groupCount[std::size_t(g)];
        ++g;
    }
    for (b = g * kGroupBins; b < kBins; ++b) {
        if (seen + m_count[std::size_t(b)] > rank)
            return binMeanLufs(b);
        seen += m_count[std::size_t(b)];
    }
    return -INFINITY;
}

double LoudnessHistogram::loudnessRangeLu(double relativeGateLu, double lowPercentile,
                                          double highPercentile) const noexcept
{
    if (m_total == 0)
        return 0.0;
    const double threshold = meanLoudnessLufs() + relativeGateLu;
    // Tech 3342's MATLAB keeps values >= threshold; with whole bins the difference is immaterial.
    const int first = firstPassingBin(threshold);
    std::uint64_t n = 0;
    const int firstFullGroup = (first + kGroupBins - 1) / kGroupBins;
    for (int b = first; b < std::min(firstFullGroup * kGroupBins, kBins); ++b)
        n += m_count[std::size_t(b)];
    for (int g = firstFullGroup; g < kGroups; ++g)
        n += m_groupCount[std::size_t(g)];
    if (n == 0)
        return 0.0;
    const auto rankOf = [n](double percentile) {
        return std::uint64_t(std::llround(double(n - 1) * percentile / 100.0));
    };
    const double low = loudnessAtRank(first, rankOf(lowPercentile));
    const double high = loudnessAtRank(first, rankOf(highPercentile));
    return std::max(0.0, high - low);
}

}  // namespace stemship::metering
