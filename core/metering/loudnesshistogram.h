#pragma once

// Fixed-memory distribution of block loudness for gated integrated loudness (BS.1770-4) and loudness range
// (EBU Tech 3342). Memory never grows with programme length.

#include <cstdint>
#include <vector>

namespace stemship::metering {

// Bins of 0.01 LU from -70 LUFS; the top bin also takes everything louder than +40 LUFS. Each bin keeps the number
// of blocks AND the sum of their energies, so means over whole bins are exact: only the relative threshold's own
// bin is decided as a unit (by the mean loudness of its blocks). Groups of 100 bins (1 LU) keep running totals so
// a query costs about 200 steps, cheap enough to refresh a live readout every 100 ms.
class LoudnessHistogram {
public:
    static constexpr double kLowestLufs = -70.0;
    static constexpr double kBinLu = 0.01;
    static constexpr int kBins = 11000;  // -70 .. +40 LUFS
    static constexpr int kGroupBins = 100;
    static constexpr int kGroups = kBins / kGroupBins;

    LoudnessHistogram();

    // energy: mean square of the K-weighted, channel-weighted block (BS.1770 z); loudness = -0.691 + 10 lg(energy).
    // The caller applies the absolute gate; values below kLowestLufs land in bin 0.
    void add(double energy, double loudnessLufs) noexcept;
    void clear() noexcept;

    std::uint64_t count() const noexcept { return m_total; }
    // -0.691 + 10 lg(mean energy) of all blocks, -inf when empty.
    double meanLoudnessLufs() const noexcept;

    // BS.1770-4 gated loudness: mean energy of the blocks louder than (mean of all) + relativeGateLu.
    double gatedLoudnessLufs(double relativeGateLu) const noexcept;

    // EBU Tech 3342: relative gate, then the spread between the low and high percentiles (0..100) of the blocks that
    // pass it, taken as Tech 3342's MATLAB reference does (sorted index round((n - 1) p / 100)).
    double loudnessRangeLu(double relativeGateLu, double lowPercentile, double highPercentile) const noexcept;

private:
    int binOf(double loudnessLufs) const noexcept;
    double binMeanLufs(int bin) const noexcept;
    // First bin that passes a relative gate at thresholdLufs (the threshold's own bin passes when its blocks' mean
    // loudness does).
    int firstPassingBin(double thresholdLufs) const noexcept;
    // Loudness of the block at 0-based sorted position `rank` among bins >= firstBin.
    double loudnessAtRank(int firstBin, std::uint64_t rank) const noexcept;

    std::vector<std::uint64_t> m_count;
    std::vector<double> m_energy;
    std::vector<std::uint64_t> m_groupCount;
    std::vector<double> m_groupEnergy;
    std::uint64_t m_total = 0;
    double m_totalEnergy = 0.0;
};

// BS.1770-4 eq. 2: loudness = -0.691 + 10 lg(sum over channels of weight * mean square of the K-weighted signal).
double energyToLufs(double energy) noexcept;
double lufsToEnergy(double lufs) noexcept;

}  // namespace stemship::metering
