#pragma once

// Every gating block and short-term value of a programme, whatever its level, in fixed memory, so that integrated
// loudness and loudness range can be evaluated at a gain offset without metering the audio again. A gain shifts
// every block by the same number of LU, so everything but the absolute gates follows the gain exactly; the gates
// (BS.1770-4 §2.8 for integrated loudness, EBU Tech 3342 §3.1 for the range: both at -70 LUFS) are re-applied here
// at -70 - gain, which is why blocks below -70 LUFS are kept too. Plain C++, no Qt; adding allocates nothing.

#include <cstdint>
#include <vector>

namespace stemship::metering {

inline constexpr double kAbsoluteGateLufs = -70.0;          // BS.1770-4 / EBU Tech 3341 §2.5
inline constexpr double kIntegratedRelativeGateLu = -10.0;  // BS.1770-4 (Tech 3341 v2 onwards)
inline constexpr double kRangeRelativeGateLu = -20.0;       // EBU Tech 3342 §3.1
inline constexpr double kRangeLowPercentile = 10.0;         // EBU Tech 3342 §3.1
inline constexpr double kRangeHighPercentile = 95.0;

class BlockLoudnessLog {
public:
    // Bins of 0.01 LU from -200 LUFS (a quieter block would count only after a gain of more than +130 dB) to
    // +40 LUFS. A bin keeps only its number of blocks (96 KiB a log, so a session's stems can each keep one); its
    // blocks count at the bin's centre, within 0.005 LU of their own loudness.
    static constexpr double kLowestLufs = -200.0;
    static constexpr double kBinLu = 0.01;
    static constexpr int kBins = 24000;

    BlockLoudnessLog();
    void clear() noexcept;

    // energy: the block's channel-weighted mean square (BS.1770 z). Blocks of zero energy never pass a gate and
    // are not kept.
    void addGatingBlock(double energy) noexcept;  // 400 ms blocks, 75 % overlap (BS.1770-4)
    void addShortTerm(double energy) noexcept;    // 3 s values at 10 Hz (EBU Tech 3342)

    // What a meter would read on the programme raised by gainDb: integrated loudness (-inf when every block is
    // gated) and loudness range.
    double integratedLufsAt(double gainDb) const noexcept;
    double loudnessRangeLuAt(double gainDb) const noexcept;

private:
    using Bins = std::vector<std::uint32_t>;  // 2^32 blocks at 10 Hz: 13 years
    static void add(Bins &bins, double energy) noexcept;

    Bins m_gating;
    Bins m_shortTerm;
};

}  // namespace stemship::metering
