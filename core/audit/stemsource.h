#pragma once

// Opens one stem source — a file, or an entry of a delivery zip read in place — for the audit, the delivery
// and playback alike. Hostile zip entries (.., absolute, symlinks, bombs) are refused, never opened.

#include "audit/stemauditor.h"
#include "io/audioreader.h"
#include "util/error.h"

namespace stemship::audit {

Result<io::AudioReader> openStemSource(const StemSource &source);

}  // namespace stemship::audit
