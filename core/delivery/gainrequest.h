#pragma once

// Which gain request a delivery plans with: the user's mode, target and ceiling, else the template's, else the
// defaults, and each matched track's own target where it measures what the mode does. The packager plans with
// it and the GUI previews with it, so the preview is the delivery.

#include "gain/gainplanner.h"
#include "templates/sessiontemplate.h"

#include <optional>
#include <vector>

namespace stemship::delivery {

// What the user asked for (the CLI's --gain, --measure, --target, --ceiling; the GUI's Gain page).
struct GainChoice {
    gain::GainMode mode = gain::GainMode::None;
    gain::Measure measure = gain::Measure::Peak;  // what balanced measures
    std::optional<double> targetDb;               // empty: per track, else the template's default, else by measure
    std::optional<double> ceilingDbtp;            // empty: the template's ceiling, else -1.0
};

// What the target of `mode` is measured in: peak for none and peak, the mode's own for rms and lufs, `measure`
// for balanced.
gain::Measure targetMeasure(gain::GainMode mode, gain::Measure measure);

// The target without --target: the template's default when it measures the same, else peaks near -18 dBFS
// (the usual tracking level), -20 dBFS RMS, -23 LUFS (EBU R128).
double defaultTargetDb(gain::Measure measure, const templates::SessionTemplate *sessionTemplate);

// trackIndices: per stem, its matched template track (nullopt when unmatched or without a template).
gain::GainRequest gainRequestFor(const GainChoice &choice, const templates::SessionTemplate *sessionTemplate,
                                 const std::vector<std::optional<int>> &trackIndices);

}  // namespace stemship::delivery
