#pragma once

// Where the delivered files start and end on the session timeline, in delivery-rate samples. Pure functions.

#include "session/tempomap.h"
#include "util/timesignature.h"

#include <cstdint>
#include <optional>

namespace stemship::delivery {

struct TimelineInput {
    double tempoBpm = 120.0;   // quarter notes per minute
    TimeSignature timeSignature;
    double barOneSeconds = 0.0;
    int sampleRateHz = 48000;  // delivery rate
    double tailSeconds = 0.0;
    std::optional<std::int64_t> earliestSoundFrame;  // session timeline, delivery rate; nullopt: all silent
    std::int64_t latestEndFrame = 0;                 // end of the stem that ends last
    // package --tempo-map: bar one's map (tempo and meter changes); the pre-roll repeats its first tempo and meter
    // (tempoBpm and timeSignature are then the map's first) and the whole-bar end follows the map.
    std::optional<session::TempoMap> tempoMap;
};

struct Timeline {
    int sampleRateHz = 48000;
    double barSeconds = 2.0;
    double barFrames = 96000.0;      // may be fractional (e.g. 137 BPM)
    int prerollBars = 0;             // whole bars before bar one that hold sound
    int bars = 1;                    // length in whole bars
    std::int64_t barOneFrame = 0;    // bar one on the session timeline
    std::int64_t startFrame = 0;     // sample 0 of the delivered files on the session timeline (may be < 0)
    std::int64_t lengthFrames = 0;
    double startSeconds() const;
    std::uint64_t timeReferenceSamples() const { return startFrame > 0 ? std::uint64_t(startFrame) : 0; }
    std::int64_t barFrame(int bar) const;  // bar 1 = bar one; bar 0 = the bar before; in file frames
};

double barSeconds(double tempoBpm, int numerator, int denominator);
Timeline planTimeline(const TimelineInput &input);

// A stem's start on the session timeline in delivery-rate frames: its BWF time reference, converted exactly.
std::int64_t timelineFrame(std::uint64_t timeReferenceSamples, int sourceRateHz, int deliveryRateHz);

}  // namespace stemship::delivery
