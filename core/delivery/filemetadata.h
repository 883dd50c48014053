#pragma once

// The professional metadata of one delivered WAV: bext v2 loudness of the delivered signal and a fresh UMID,
// iXML (project, note, one track per channel) and the WAVE_FORMAT_EXTENSIBLE mask of a known multichannel layout.

#include "delivery/renderjobs.h"

namespace stemship::delivery {

// Fills output's channel mask, bext UMID and loudness fields, and iXML. The loudness is the stem's levels plus
// its gain, as setDeliveredLoudness leaves them (placed on the timeline, gated at the gain), with the true peak of
// pass 1: the delivered signal, before dither (below -140 dBFS RMS at 24-bit).
void describeDeliveredFile(const RenderContext &context, const MeasuredStem &stem, const QString &stemName,
                           double gainDb, io::WavWriterSpec *output);

}  // namespace stemship::delivery
