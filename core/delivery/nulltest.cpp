#include "delivery/nulltest.h"

#include "io/audioreader.h"

#include <cmath>
#include <vector>

namespace stemship::delivery {

Result<std::optional<double>> nullResidualDbfs(const QStringList &stemFiles, const QString &referenceFile,
                                               const CancelToken &cancel)
{
    constexpr std::int64_t kBlock = 4096;
    auto reference = io::AudioReader::open(referenceFile);
    if (!reference)
        return reference.error();
    const int channels = reference->info().channels;
    std::vector<io::AudioReader> stems;
    for (const QString &file : stemFiles) {
        auto stem = io::AudioReader::open(file);
        if (!stem)
            return stem.error();
        if (stem->info().channels != 1 && stem->info().channels != channels)
            return std::optional<double>();
        stems.push_back(std::move(*stem));
    }
    std::vector<float> mix(std::size_t(kBlock * channels));
    std::vector<float> stemBuffer;
    long double sumSquares = 0.0L;
    std::uint64_t samples = 0;
    for (;;) {
        if (cancel.cancelled())
            return Error{referenceFile, QStringLiteral("cancelled"), QStringLiteral("cancelled")};
        const std::int64_t n = reference->read(mix.data(), kBlock);
        if (n < 0)
            return Error{referenceFile, reference->lastError().what, {}};
        if (n == 0)
            break;
        for (float &x : mix)
            x = -x;
        for (io::AudioReader &stem : stems) {
            const int c = stem.info().channels;
            stemBuffer.resize(std::size_t(n * c));
            const std::int64_t got = stem.read(stemBuffer.data(), n);
            if (got < 0)
                return Error{stem.info().path, stem.lastError().what, {}};
            for (std::int64_t i = 0; i < got; ++i)
                for (int ch = 0; ch < channels; ++ch)
                    mix[std::size_t(i * channels + ch)] += stemBuffer[std::size_t(i * c + (c == 1 ? 0 : ch))];
        }
        for (std::int64_t i = 0; i < n * channels; ++i)
            sumSquares += (long double)mix[std::size_t(i)] * mix[std::size_t(i)];
        samples += std::uint64_t(n * channels);
    }
    if (samples == 0 || sumSquares == 0.0L)
        return std::optional<double>(-INFINITY);
    return std::optional<double>(10.0 * std::log10(double(sumSquares / (long double)samples)));
}

}  // namespace stemship::delivery
