#pragma once

// libebur128, the loudness meter everyone embeds, as the independent oracle for loudness figures in tests.
// Header-only; every test program links libebur128 (REQUIRED in tests/CMakeLists.txt).

#include "testsignals.h"

#include <ebur128.h>

#include <algorithm>
#include <cmath>

namespace stemship::test {

struct ReferenceLoudness {
    double integratedLufs = -INFINITY;
    double truePeakDbtp = -INFINITY;
    double maxMomentaryLufs = -INFINITY;  // read every 100 ms, as EBU Tech 3341 meters update
    double maxShortTermLufs = -INFINITY;
};

inline ReferenceLoudness referenceLoudness(const Signal &s)
{
    ReferenceLoudness r;
    ebur128_state *st = ebur128_init(unsigned(s.channels), unsigned(s.sampleRateHz),
                                     EBUR128_MODE_I | EBUR128_MODE_M | EBUR128_MODE_S | EBUR128_MODE_TRUE_PEAK);
    if (!st)
        return r;
    const auto step = std::size_t((s.sampleRateHz + 5) / 10);
    const auto frames = std::size_t(s.frames());
    for (std::size_t done = 0; done < frames; done += step) {
        const std::size_t n = std::min(step, frames - done);
        ebur128_add_frames_float(st, s.samples.data() + done * std::size_t(s.channels), n);
        if (n < step)
            break;
        double v = 0.0;
        if (done + n >= 4 * step && ebur128_loudness_momentary(st, &v) == EBUR128_SUCCESS)
            r.maxMomentaryLufs = std::max(r.maxMomentaryLufs, v);
        if (done + n >= 30 * step && ebur128_loudness_shortterm(st, &v) == EBUR128_SUCCESS)
            r.maxShortTermLufs = std::max(r.maxShortTermLufs, v);
    }
    ebur128_loudness_global(st, &r.integratedLufs);
    double peak = 0.0;
    for (int c = 0; c < s.channels; ++c) {
        double p = 0.0;
        ebur128_true_peak(st, unsigned(c), &p);
        peak = std::max(peak, p);
    }
    r.truePeakDbtp = peak > 0.0 ? 20.0 * std::log10(peak) : -INFINITY;
    ebur128_destroy(&st);
    return r;
}

}  // namespace stemship::test
