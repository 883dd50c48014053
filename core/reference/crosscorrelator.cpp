#include "reference/crosscorrelator.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>

namespace stemship::reference {
namespace {

// FFTW's planner is not thread-safe (FFTW 3.3 manual §5.2: only fftw_execute is); executing plans is.
std::mutex &plannerMutex()
{
    static std::mutex m;
    return m;
}

std::size_t nextPowerOfTwo(std::size_t n)
{
    std::size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

fftwf_complex *spectrum(void *p) { return static_cast<fftwf_complex *>(p); }

}  // namespace

CrossCorrelator::CrossCorrelator(std::size_t windowFrames, std::size_t maxLagFrames)
    : m_window(windowFrames), m_maxLag(maxLagFrames),
      // Linear (not circular) correlation for lags 0..2L of a target of W + 2L frames needs W + 2L points.
      m_fftSize(nextPowerOfTwo(windowFrames + 2 * maxLagFrames)), m_targetEnergy(windowFrames + 2 * maxLagFrames + 1)
{
    const std::size_t bins = m_fftSize / 2 + 1;
    std::lock_guard lock(plannerMutex());
    m_time = fftwf_alloc_real(m_fftSize);
    m_xSpectrum = fftwf_alloc_complex(bins);
    m_ySpectrum = fftwf_alloc_complex(bins);
    m_sum = fftwf_alloc_complex(bins);
    // FFTW_ESTIMATE: planning in microseconds; a measured plan would cost more than the few transforms it speeds.
    m_forward = fftwf_plan_dft_r2c_1d(int(m_fftSize), m_time, spectrum(m_xSpectrum), FFTW_ESTIMATE);
    m_inverse = fftwf_plan_dft_c2r_1d(int(m_fftSize), spectrum(m_sum), m_time, FFTW_ESTIMATE);
    reset();
}

CrossCorrelator::~CrossCorrelator()
{
    std::lock_guard lock(plannerMutex());
    fftwf_destroy_plan(static_cast<fftwf_plan>(m_forward));
    fftwf_destroy_plan(static_cast<fftwf_plan>(m_inverse));
    fftwf_free(m_time);
    fftwf_free(m_xSpectrum);
    fftwf_free(m_ySpectrum);
    fftwf_free(m_sum);
}

void CrossCorrelator::reset()
{
    std::memset(m_sum, 0, sizeof(fftwf_complex) * (m_fftSize / 2 + 1));
    std::fill(m_targetEnergy.begin(), m_targetEnergy.end(), 0.0);
    m_xEnergy = 0.0;
}

void CrossCorrelator::add(const float *x, const float *target)
{
    const auto forward = static_cast<fftwf_plan>(m_forward);
    std::fill(m_time, m_time + m_fftSize, 0.0f);
    std::copy(x, x + m_window, m_time);
    fftwf_execute_dft_r2c(forward, m_time, spectrum(m_xSpectrum));
    std::fill(m_time, m_time + m_fftSize, 0.0f);
    std::copy(target, target + targetFrames(), m_time);
    fftwf_execute_dft_r2c(forward, m_time, spectrum(m_ySpectrum));
    // conj(X) * Y is the spectrum of c[m] = sum_t x[t] * y[t + m].
    const fftwf_complex *xs = spectrum(m_xSpectrum);
    const fftwf_complex *ys = spectrum(m_ySpectrum);
    fftwf_complex *sum = spectrum(m_sum);
    for (std::size_t k = 0; k < m_fftSize / 2 + 1; ++k) {
        sum[k][0] += xs[k][0] * ys[k][0] + xs[k][1] * ys[k][1];
        sum[k][1] += xs[k][0] * ys[k][1] - xs[k][1] * ys[k][0];
    }
    for (std::size_t t = 0; t < m_window; ++t)
        m_xEnergy += double(x[t]) * x[t];
    double running = 0.0;
    for (std::size_t t = 0; t < targetFrames(); ++t) {
        running += double(target[t]) * target[t];
        m_targetEnergy[t + 1] += running;
    }
}

CorrelationPeak CrossCorrelator::peak()
{
    fftwf_execute_dft_c2r(static_cast<fftwf_plan>(m_inverse), spectrum(m_sum), m_time);
    // Lags 0..2L of c; lag m lines x's frame 0 up with the target's frame m, i.e. an offset of L - m. Of equal
    // peaks the smallest |offset| wins, so silence-padded ties never invent a shift.
    std::size_t best = m_maxLag;
    for (std::size_t m = 0; m <= 2 * m_maxLag; ++m) {
        const float a = std::fabs(m_time[m]), b = std::fabs(m_time[best]);
        const auto distance = [&](std::size_t i) { return i > m_maxLag ? i - m_maxLag : m_maxLag - i; };
        if (a > b || (a == b && distance(m) < distance(best)))
            best = m;
    }
    CorrelationPeak p;
    p.offsetFrames = std::int64_t(m_maxLag) - std::int64_t(best);
    p.value = double(m_time[best]) / double(m_fftSize);  // FFTW's inverse is unnormalised
    p.xEnergy = m_xEnergy;
    const double targetEnergy = m_targetEnergy[best + m_window] - m_targetEnergy[best];
    const double denominator = std::sqrt(m_xEnergy * std::max(0.0, targetEnergy));
    p.normalised = denominator > 0.0 ? std::clamp(p.value / denominator, -1.0, 1.0) : 0.0;
    return p;
}

}  // namespace stemship::reference
