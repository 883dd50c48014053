#pragma once

// The metering core fed with a whole test signal, block by block.

#include "metering/loudnessmeter.h"
#include "testsignals.h"

#include <cstddef>
#include <vector>

namespace stemship::test {

metering::MeterConfig configFor(const Signal &s);  // rate and channels of the signal, defaults otherwise
metering::MeterResult measure(const Signal &s, std::size_t blockFrames = 4096);
// EBU Tech 3342 §5 (the MATLAB reference) on a list of short-term loudness values: an oracle independent of the
// meter's histograms, for the values another meter (libebur128) read every 100 ms.
double tech3342RangeLu(std::vector<double> shortTermLufs);

}  // namespace stemship::test
