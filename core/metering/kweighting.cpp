#include "kweighting.h"

#include <cmath>
#include <complex>
#include <numbers>

namespace stemship::metering {

namespace {

// Analog prototype parameters that reproduce the BS.1770-4 48 kHz coefficients (Table 1 and Table 2) through the
// bilinear transform; they are the published fit of the reference filters to second-order sections.
constexpr double kShelfCornerHz = 1681.974450955533;
constexpr double kShelfGainDb = 3.999843853973347;
constexpr double kShelfQ = 0.7071752369554196;
constexpr double kShelfMidGainExponent = 0.4996667741545416;  // Vb = Vh^e: gain at the corner, about sqrt(Vh)
constexpr double kHighPassCornerHz = 38.13547087602444;
constexpr double kHighPassQ = 0.5003270373238773;

// s = (1/k) (1 - 1/z) / (1 + 1/z) with k = tan(pi f0 / fs) maps the normalised analog corner s = j onto f0 exactly.
double prewarp(double cornerHz, double sampleRateHz)
{
    return std::tan(std::numbers::pi * cornerHz / sampleRateHz);
}

BiquadCoefficients designHighShelf(double sampleRateHz)
{
    // H(s) = (Vh s^2 + Vb s / Q + 1) / (s^2 + s / Q + 1), s normalised to the corner.
    const double k = prewarp(kShelfCornerHz, sampleRateHz);
    const double vh = std::pow(10.0, kShelfGainDb / 20.0);
    const double vb = std::pow(vh, kShelfMidGainExponent);
    const double a0 = 1.0 + k / kShelfQ + k * k;
    BiquadCoefficients c;
    c.b0 = (vh + vb * k / kShelfQ + k * k) / a0;
    c.b1 = 2.0 * (k * k - vh) / a0;
    c.b2 = (vh - vb * k / kShelfQ + k * k) / a0;
    c.a1 = 2.0 * (k * k - 1.0) / a0;
    c.a2 = (1.0 - k / kShelfQ + k * k) / a0;
    return c;
}

BiquadCoefficients designHighPass(double sampleRateHz)
{
    // H(s) = s^2 / (s^2 + s / Q + 1). BS.1770-4 Table 2 keeps the numerator at exactly 1, -2, 1 (it is not divided
    // by a0, so the passband sits a0 above unity: +0.04 dB at 48 kHz). Like libebur128 and ffmpeg we keep that
    // numerator at every rate, so our readings agree with theirs everywhere and with the table at 48 kHz.
    const double k = prewarp(kHighPassCornerHz, sampleRateHz);
    const double a0 = 1.0 + k / kHighPassQ + k * k;
    BiquadCoefficients c;
    c.b0 = 1.0;
    c.b1 = -2.0;
    c.b2 = 1.0;
    c.a1 = 2.0 * (k * k - 1.0) / a0;
    c.a2 = (1.0 - k / kHighPassQ + k * k) / a0;
    return c;
}

}  // namespace

KWeightingCoefficients designKWeighting(double sampleRateHz)
{
    return {designHighShelf(sampleRateHz), designHighPass(sampleRateHz)};
}

double biquadMagnitudeDb(const BiquadCoefficients &section, double frequencyHz, double sampleRateHz)
{
    const std::complex<double> z1 = std::polar(1.0, -2.0 * std::numbers::pi * frequencyHz / sampleRateHz);
    const std::complex<double> z2 = z1 * z1;
    const std::complex<double> h =
        (section.b0 + section.b1 * z1 + section.b2 * z2) / (1.0 + section.a1 * z1 + section.a2 * z2);
    return 20.0 * std::log10(std::abs(h));
}

}  // namespace stemship::metering
