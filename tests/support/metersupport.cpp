#include "metersupport.h"

#include <algorithm>

namespace stemship::test {

metering::MeterConfig configFor(const Signal &s)
{
    metering::MeterConfig c;
    c.sampleRateHz = s.sampleRateHz;
    c.channels = s.channels;
    return c;
}

metering::MeterResult measure(const Signal &s, std::size_t blockFrames)
{
    metering::LoudnessMeter meter(configFor(s));
    const auto frames = std::size_t(s.frames());
    for (std::size_t done = 0; done < frames; done += blockFrames)
        meter.process(s.samples.data() + done * std::size_t(s.channels), std::min(blockFrames, frames - done));
    return meter.result();
}

}  // namespace stemship::test
