#include "truepeakfilter.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace stemship::metering {

namespace {

// Zeroth-order modified Bessel function of the first kind, by its power series (converges fast for beta <= 10).
double besselI0(double x)
{
    double sum = 1.0;
    double term = 1.0;
    for (int k = 1; k < 64; ++k) {
        const double h = x / (2.0 * k);
        term *= h * h;
        sum += term;
        if (term < 1e-17 * sum)
            break;
    }
    return sum;
}

// Taps per phase and Kaiser beta. 4x, 12 taps (the 48-tap length BS.1770-4 Annex 2 suggests), beta 6: every phase
// is flat within 0.01 dB to 0.3 fs and within 0.06 dB to 0.35 fs. 2x, 24 taps, beta 7: within 0.005 dB to 0.4 fs.
struct Design {
    int taps;
    double beta;
};

Design designFor(int factor)
{
    return factor == 4 ? Design{12, 6.0} : Design{24, 7.0};
}

}  // namespace

int truePeakOversampling(double sampleRateHz)
{
    if (sampleRateHz < 96000.0)
        return 4;
    if (sampleRateHz < 192000.0)
        return 2;
    return 1;
}

TruePeakFilter designTruePeakFilter(double sampleRateHz)
{
    TruePeakFilter filter;
    filter.factor = truePeakOversampling(sampleRateHz);
    if (filter.factor == 1)
        return filter;
    const Design design = designFor(filter.factor);
    filter.tapsPerPhase = design.taps;
    const double halfWidth = design.taps / 2.0;
    const double i0Beta = besselI0(design.beta);
    for (int phase = 1; phase < filter.factor; ++phase) {
        const double fraction = double(phase) / filter.factor;
        std::vector<double> h(std::size_t(design.taps));
        double sum = 0.0;
        for (int j = 0; j < design.taps; ++j) {
            // Distance in input samples from tap j to the output instant.
            const double u = (halfWidth - 1.0 + fraction) - j;
            const double t = u / halfWidth;
            const double window = besselI0(design.beta * std::sqrt(std::max(0.0, 1.0 - t * t))) / i0Beta;
            const double sinc = std::sin(std::numbers::pi * u) / (std::numbers::pi * u);
            h[std::size_t(j)] = sinc * window;
            sum += h[std::size_t(j)];
        }
        // Unity gain at DC for every phase, so a constant reads the same between samples as on them.
        double absoluteSum = 0.0;
        for (double c : h) {
            filter.coefficients.push_back(float(c / sum));
            absoluteSum += std::fabs(double(filter.coefficients.back()));
        }
        // A float sum of `taps` products is off by at most taps * 2^-24 of the sum of their magnitudes.
        filter.gainBound = std::max(filter.gainBound, float(absoluteSum * (1.0 + 1e-5)));
    }
    return filter;
}

}  // namespace stemship::metering
