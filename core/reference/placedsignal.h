#pragma once

// One signal of the null test (a stem or the mix) as it sits on the analysis timeline, at the analysis rate: any
// span can be read, with zeros where the signal has no audio. Sources at another rate are resampled (libsoxr)
// so that a span read on its own is sample-identical to the same span of the whole resampled file.

#include "util/error.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <memory>

namespace stemship::io {
struct StemSource;
}

namespace stemship::reference {

class PlacedSignal {
public:
    virtual ~PlacedSignal() = default;
    virtual int channels() const = 0;
    virtual std::int64_t startFrame() const = 0;  // on the timeline
    virtual std::int64_t frames() const = 0;
    std::int64_t endFrame() const { return startFrame() + frames(); }
    // Timeline frames [from, from + count) into out (count * channels() floats). Reading on from where the last
    // read ended streams; any other span seeks.
    virtual Status read(std::int64_t from, std::int64_t count, float *out) = 0;
};

// Opens a fresh, independent reader: each thread of the null test opens its own.
using SignalOpener = std::function<Result<std::unique_ptr<PlacedSignal>>()>;

// An audio file or zip entry, placed at startFrame (analysis rate) and resampled to rateHz when its rate differs.
SignalOpener audioSignal(const io::StemSource &source, int rateHz, std::int64_t startFrame);

// Raw interleaved float32 (the delivery's measured cache, already at the analysis rate).
SignalOpener floatCacheSignal(const QString &cachePath, int channels, std::int64_t frames, std::int64_t startFrame);

}  // namespace stemship::reference
