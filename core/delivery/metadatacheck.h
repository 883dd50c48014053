#pragma once

// `stemship verify`'s metadata checks: a delivered WAV's bext v2 loudness fields against the file re-measured,
// and one UMID per file.

#include "io/audioreader.h"
#include "util/cancel.h"

#include <QStringList>

namespace stemship::delivery {

// Re-measures the whole file (streamed, layout-weighted) and compares LoudnessValue, LoudnessRange,
// MaxMomentaryLoudness and MaxShortTermLoudness (0.1 LU) and MaxTruePeakLevel (0.2 dB) with what it measures.
// One line per disagreement or missing field; empty when they hold (or when cancelled).
QStringList checkLoudnessFields(io::AudioReader &reader, const CancelToken *cancel);

}  // namespace stemship::delivery
