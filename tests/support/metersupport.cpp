#include "metersupport.h"

#include <algorithm>
#include <cmath>

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

double tech3342RangeLu(std::vector<double> shortTermLufs)
{
    std::vector<double> gated;
    double power = 0.0;
    for (double v : shortTermLufs)
        if (v >= -70.0) {
            gated.push_back(v);
            power += std::pow(10.0, v / 10.0);
        }
    if (gated.empty())
        return 0.0;
    const double threshold = 10.0 * std::log10(power / double(gated.size())) - 20.0;
    std::vector<double> passed;
    for (double v : gated)
        if (v >= threshold)
            passed.push_back(v);
    std::sort(passed.begin(), passed.end());
    const auto at = [&](double percentile) {
        return passed[std::size_t(std::llround(double(passed.size() - 1) * percentile / 100.0))];
    };
    return at(95.0) - at(10.0);
}

}  // namespace stemship::test
