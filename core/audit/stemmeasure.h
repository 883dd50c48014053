#pragma once

#include "templates/auditsettings.h"
#include "audit/stemreport.h"
#include "io/audioreader.h"
#include "util/cancel.h"

#include <atomic>
#include <cstdint>

namespace stemship::audit {

// Streams a whole stem through the metering core in fixed blocks, filling report->levels, the waveform
// overview and the loudness curve. Memory is fixed whatever the length. Returns false if cancelled.
bool measureStem(io::AudioReader &reader, const AuditSettings &settings, const CancelToken &cancel,
                 StemReport *report, std::atomic<std::int64_t> *framesDone);

// The level at or above which an integer PCM sample read as float is at full scale.
float fullScaleLevelFor(const io::AudioInfo &info);

}  // namespace stemship::audit
