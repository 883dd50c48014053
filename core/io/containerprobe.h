#pragma once

// Walks the chunk structure of RIFF/RF64/W64/AIFF headers to learn what libsndfile hides: whether the data
// chunk is shorter than the header says (libsndfile silently clamps), the WAVE channel mask, AIFF vs AIFC.

#include <QString>

#include <cstdint>
#include <functional>

namespace stemship::io {

// How many chunks a walk over a RIFF-style header reads at most: a lying header cannot make the walk long.
constexpr int kMaxRiffChunks = 4096;

// Reads up to `size` bytes at `offset` into `out`; returns bytes read, or -1.
using ReadAtFn = std::function<std::int64_t(std::int64_t offset, char *out, std::int64_t size)>;

struct ContainerFacts {
    QString container;               // "RIFF", "RF64", "W64", "AIFF", "AIFC", or empty if not one of these
    std::int64_t dataOffset = -1;    // first byte of sample data
    std::int64_t declaredDataBytes = -1;  // what the header promises (-1 unknown / streaming sentinel)
    std::uint32_t channelMask = 0;
    int blockAlign = 0;              // bytes per frame from the WAVE fmt chunk (0 unknown)
    int waveFormatTag = -1;          // wFormatTag of the WAVE fmt chunk (-1 unknown)
    bool dataChunkFound = false;
};

ContainerFacts probeContainer(const ReadAtFn &readAt, std::int64_t fileSize);

}  // namespace stemship::io
