#pragma once

// Finds each stem's offset and polarity against the mix by FFT cross-correlation over a bounded window of the
// stem, chosen where it is most active. Each stem is correlated against the mix minus the other stems as fitted
// so far (at first: as they are), repeated until the fits stop changing: shared content (a doubled part, bleed, a
// tone every stem carries) then no longer pulls a stem towards another stem's offset, and a master gain only
// scales the correlation.

#include "reference/placedsignal.h"
#include "util/cancel.h"
#include "util/error.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace stemship::reference {

struct StemFit {
    std::optional<std::int64_t> offsetFrames;  // positive = the stem is late against the mix
    std::optional<bool> inverted;
    double correlation = 0.0;  // normalised, at the fitted lag, against the mix minus the other stems
    double gain = 0.0;         // least-squares gain of the stem in that target (the mix's gain on it)
};

struct OffsetSearchInput {
    std::vector<SignalOpener> stems;
    SignalOpener mix;
    std::vector<std::optional<std::int64_t>> windowStart;  // timeline frame of each stem's window; none: silent
    std::int64_t windowFrames = 1 << 17;
    std::int64_t maxLagFrames = 24000;
    int jobs = 0;
    double initialGain = 1.0;  // the mix's gain on the stems as they are (least squares), for the first round
};

// Below this normalised correlation the mix does not measurably contain the stem: random signals of a window's
// length correlate at a few hundredths, a stem the mix holds at well over half.
inline constexpr double kMinContainedCorrelation = 0.2;

Result<std::vector<StemFit>> searchOffsets(const OffsetSearchInput &input, const CancelToken &cancel);

}  // namespace stemship::reference
