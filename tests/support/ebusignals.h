#pragma once

// The EBU Tech 3341 / Tech 3342 minimum-requirements test signals, synthesised as the documents describe them
// (Tech 3341 v4 Table 1, Tech 3342 v4 Table 1), so no binary fixtures are needed.

#include "testsignals.h"

#include <cmath>
#include <vector>

namespace stemship::test {

// One part of a tone sequence; peakDbfs = -INFINITY is silence.
struct ToneSegment {
    double seconds = 0.0;
    double peakDbfs = -INFINITY;
};

// "Tones similar to #1": a 1 kHz sine, continuous in phase across segments, per-channel peak level plus
// channelOffsetDb[c] (empty: 0 dB on every channel).
Signal toneSequence(int sampleRateHz, int channels, const std::vector<ToneSegment> &segments,
                    const std::vector<double> &channelOffsetDb = {}, double frequencyHz = 1000.0);

// Tech 3341 loudness cases 1-6, 9, 12 (single signals), 10 and 13 (segment `index` 0..19 of the file-based sets),
// 11 and 14 (the whole live sequence of 20 tones).
Signal tech3341Loudness(int caseNumber, int sampleRateHz, int index = 0);
// Tech 3341 true-peak cases 15-23, stereo, with 10 ms fades.
Signal tech3341TruePeak(int caseNumber, int sampleRateHz);
// Expected max true peak of cases 15-23 in dBTP.
double tech3341TruePeakExpected(int caseNumber);
// Tech 3342 loudness-range cases 1-4 and their expected LRA.
Signal tech3342Range(int caseNumber, int sampleRateHz);
double tech3342RangeExpected(int caseNumber);

// Raised-cosine fade-in and fade-out of `seconds` ("tapered with a 10 ms fade-in and fade-out").
void taper(Signal &s, double seconds);

// Linear-phase low-pass FIR (Kaiser-windowed sinc), applied to every channel with its group delay removed.
Signal lowPass(const Signal &in, double cutoffHz, int taps, double kaiserBeta);

}  // namespace stemship::test
