#include "gain/resampler.h"

#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace stemship::gain {

std::int64_t Resampler::outputLength(std::int64_t inputFrames, double inputRateHz, double outputRateHz)
{
    if (inputRateHz == outputRateHz)
        return inputFrames;
    // Integer rates (the usual case): exact rational rounding, no floating-point drift over hours.
    if (std::floor(inputRateHz) == inputRateHz && std::floor(outputRateHz) == outputRateHz) {
        const auto num = std::int64_t(outputRateHz), den = std::int64_t(inputRateHz);
        // round(in * num / den) without overflow: split off the whole multiples of den first.
        const std::int64_t whole = inputFrames / den, rest = inputFrames % den;
        return whole * num + (rest * num * 2 + den) / (den * 2);
    }
    return std::llround(double(inputFrames) * outputRateHz / inputRateHz);
}

Resampler::Resampler(double inputRateHz, double outputRateHz, int channels, std::size_t maxInputFrames)
    : m_inputRateHz(inputRateHz), m_outputRateHz(outputRateHz), m_channels(channels)
{
    const double ratio = outputRateHz / inputRateHz;
    // soxr may release a little more than one block's worth at once; leave generous headroom.
    m_maxOutputFrames = std::size_t(std::ceil(double(maxInputFrames) * ratio)) * 2 + 4096;
    if (inputRateHz == outputRateHz)
        return;
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_VHQ, 0);
    const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
    soxr_error_t error = nullptr;
    m_soxr = soxr_create(inputRateHz, outputRateHz, unsigned(channels), &error, &io, &quality, &runtime);
    if (error) {
        m_error = error;
        m_soxr = nullptr;
    }
}

Resampler::~Resampler()
{
    if (m_soxr)
        soxr_delete(m_soxr);
}

std::size_t Resampler::process(const float *in, std::size_t frames, float *out) noexcept
{
    m_inputFrames += std::int64_t(frames);
    if (!ok())
        return 0;
    if (!m_soxr) {
        const std::size_t n = std::min(frames, m_maxOutputFrames);
        std::memcpy(out, in, n * std::size_t(m_channels) * sizeof(float));
        m_outputFrames += std::int64_t(n);
        return n;
    }
    std::size_t consumed = 0, produced = 0;
    while (consumed < frames && produced < m_maxOutputFrames) {
        std::size_t idone = 0, odone = 0;
        if (soxr_error_t error = soxr_process(m_soxr, in + consumed * std::size_t(m_channels), frames - consumed, &idone,
                                              out + produced * std::size_t(m_channels), m_maxOutputFrames - produced, &odone)) {
            m_error = error;
            break;
        }
        consumed += idone;
        produced += odone;
        if (idone == 0 && odone == 0)
            break;
    }
    m_outputFrames += std::int64_t(produced);
    return produced;
}

std::size_t Resampler::flush(float *out) noexcept
{
    const std::int64_t target = outputLength(m_inputFrames, m_inputRateHz, m_outputRateHz);
    const std::int64_t missing = target - m_outputFrames;
    if (missing <= 0 || !ok())
        return 0;
    std::size_t want = std::size_t(std::min<std::int64_t>(missing, std::int64_t(m_maxOutputFrames)));
    std::size_t produced = 0;
    while (m_soxr && !m_drained && produced < want) {
        std::size_t odone = 0;
        // Null input marks the end: soxr releases what its filter still holds.
        if (soxr_error_t error = soxr_process(m_soxr, nullptr, 0, nullptr, out + produced * std::size_t(m_channels),
                                              want - produced, &odone)) {
            m_error = error;
            return 0;
        }
        if (odone == 0)
            m_drained = true;
        produced += odone;
    }
    // soxr came up short of the exact length (it rounds differently): pad with silence.
    if (produced < want) {
        std::fill(out + produced * std::size_t(m_channels), out + want * std::size_t(m_channels), 0.0f);
        produced = want;
    }
    m_outputFrames += std::int64_t(produced);
    return produced;
}

}  // namespace stemship::gain
