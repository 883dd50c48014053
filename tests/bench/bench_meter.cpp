// LoudnessMeter (with true peak) against libebur128 (I, LRA, true peak, sample peak, M, S) on the same signal,
// side by side: nanoseconds per channel-sample and the ratio. Run on demand: cmake --build <dir> --target bench_meter.

#include "testsignals.h"

#include <metering/loudnessmeter.h>
#include <metering/meterkernels.h>

#ifdef STEMSHIP_HAVE_EBUR128
#include <ebur128.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>

using namespace stemship::metering;
using namespace stemship::test;

namespace {

constexpr std::size_t kBlockFrames = 4096;
constexpr int kRepeats = 5;

// Best of kRepeats wall-clock runs, in ns per channel-sample.
double bestNsPerSample(const Signal &s, const std::function<double(const Signal &)> &run, double *value)
{
    double best = 1e300;
    for (int i = 0; i < kRepeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        *value = run(s);
        const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
        best = std::min(best, took.count() / double(s.samples.size()));
    }
    return best;
}

double runOurs(const Signal &s)
{
    MeterConfig config;
    config.sampleRateHz = s.sampleRateHz;
    config.channels = s.channels;
    config.truePeak = true;
    LoudnessMeter meter(config);
    const auto frames = std::size_t(s.frames());
    for (std::size_t done = 0; done < frames; done += kBlockFrames)
        meter.process(s.samples.data() + done * std::size_t(s.channels), std::min(kBlockFrames, frames - done));
    const MeterResult r = meter.result();
    return r.integratedLufs + r.loudnessRangeLu + r.truePeakDbtp;
}

#ifdef STEMSHIP_HAVE_EBUR128
double runLibebur128(const Signal &s)
{
    ebur128_state *st = ebur128_init(unsigned(s.channels), unsigned(s.sampleRateHz),
                                     EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK |
                                         EBUR128_MODE_SAMPLE_PEAK | EBUR128_MODE_M | EBUR128_MODE_S);
    const auto frames = std::size_t(s.frames());
    for (std::size_t done = 0; done < frames; done += kBlockFrames)
        ebur128_add_frames_float(st, s.samples.data() + done * std::size_t(s.channels),
                                 std::min(kBlockFrames, frames - done));
    double integrated = 0.0, range = 0.0, peak = 0.0, truePeak = 0.0;
    ebur128_loudness_global(st, &integrated);
    ebur128_loudness_range(st, &range);
    for (int c = 0; c < s.channels; ++c) {
        double p = 0.0;
        ebur128_true_peak(st, unsigned(c), &p);
        truePeak = std::max(truePeak, p);
        ebur128_sample_peak(st, unsigned(c), &p);
        peak = std::max(peak, p);
    }
    ebur128_destroy(&st);
    return integrated + range + linearToDb(truePeak);
}
#endif

}  // namespace

int main()
{
    std::printf("kernels: %s; %d runs each, best taken; %zu-frame blocks\n", meterKernels().name, kRepeats,
                kBlockFrames);
    std::printf("%-22s %14s %14s %8s\n", "signal", "ours ns/smp", "ebur128 ns/smp", "ratio");
    struct Case {
        const char *name;
        int rate;
        int channels;
    };
    const Case cases[] = {{"60 s stereo 48 kHz", 48000, 2},
                          {"60 s 5.1 48 kHz", 48000, 6},
                          {"60 s mono 44.1 kHz", 44100, 1},
                          {"60 s stereo 96 kHz", 96000, 2}};
    for (const Case &c : cases) {
        const Signal s = programme(c.rate, c.channels, 60.0, 42, -1.0);
        double oursValue = 0.0;
        const double ours = bestNsPerSample(s, runOurs, &oursValue);
#ifdef STEMSHIP_HAVE_EBUR128
        double theirsValue = 0.0;
        const double theirs = bestNsPerSample(s, runLibebur128, &theirsValue);
        std::printf("%-22s %14.3f %14.3f %7.1fx\n", c.name, ours, theirs, theirs / ours);
#else
        std::printf("%-22s %14.3f %14s\n", c.name, ours, "n/a");
#endif
    }
    return 0;
}
