#pragma once

// ITU-R BS.1770-4 K-weighting (pre-filter high shelf + RLB high-pass), designed for any sample rate.

namespace stemship::metering {

// One second-order section, a0 normalised to 1: y = b0 x + b1 x1 + b2 x2 - a1 y1 - a2 y2.
struct BiquadCoefficients {
    double b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0;
};

struct KWeightingCoefficients {
    BiquadCoefficients preFilter;  // stage 1: high shelf, about +4 dB above 2 kHz (head acoustics)
    BiquadCoefficients rlbFilter;  // stage 2: RLB high-pass, about 38 Hz
};

// Bilinear transform of the analog prototypes, prewarped at each section's own corner frequency, so the
// response matches the 48 kHz reference of BS.1770-4 Tables 1 and 2 at every rate from 8 kHz to 384 kHz.
KWeightingCoefficients designKWeighting(double sampleRateHz);

// |H(e^jw)| in dB of one section at frequencyHz.
double biquadMagnitudeDb(const BiquadCoefficients &section, double frequencyHz, double sampleRateHz);

}  // namespace stemship::metering
