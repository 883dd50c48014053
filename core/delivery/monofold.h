#pragma once

// `package --mono-dual-mono`: a stereo stem whose channels are identical (the audit's dual_mono) delivered as
// the mono file it really is.

#include "delivery/stemrender.h"

namespace stemship::delivery {

// True for a stereo stem that is not silent and whose channels differ by no more than the audit's dual_mono
// limit (max |L - R| <= -90 dBFS by default).
bool isDualMono(const MeasuredStem &stem);

// Rewrites the stem's float cache as one channel, (L + R) / 2, streamed in blocks, and re-meters it: a mono
// file measures 3 dB lower in loudness than the same signal on two channels (BS.1770 sums channels).
Status foldToMono(MeasuredStem *stem, int rateHz, const CancelToken &cancel);

}  // namespace stemship::delivery
