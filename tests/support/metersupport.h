#pragma once

// The metering core fed with a whole test signal, block by block.

#include "metering/loudnessmeter.h"
#include "testsignals.h"

#include <cstddef>

namespace stemship::test {

metering::MeterConfig configFor(const Signal &s);  // rate and channels of the signal, defaults otherwise
metering::MeterResult measure(const Signal &s, std::size_t blockFrames = 4096);

}  // namespace stemship::test
