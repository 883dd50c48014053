#pragma once

// Opens one audit source (a file, or an entry of a delivery zip) for playback. core/audit keeps its own
// opener private; this mirrors it so the Listen page plays received deliveries in place, never extracting.

#include "audit/stemauditor.h"
#include "io/audioreader.h"
#include "util/error.h"

namespace stemship::gui {

Result<io::AudioReader> openStemSource(const audit::StemSource &source);

}  // namespace stemship::gui
