#pragma once

// A time signature, named one way everywhere (the delivery spec, the timeline, templates, the demo): numerator
// over denominator, as in a score, MIDI's time-signature meta event and DAWproject's TimeSignature.

namespace stemship {

struct TimeSignature {
    int numerator = 4;    // beats in a bar
    int denominator = 4;  // the note value of a beat, a power of two

    friend bool operator==(const TimeSignature &, const TimeSignature &) = default;
};

}  // namespace stemship
