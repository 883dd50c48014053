#pragma once

// Speaker layouts of multichannel stems: what a WAVE_FORMAT_EXTENSIBLE channel mask says, the BS.1770 weight
// of each channel by its position, and the labels Pro Tools / Nuendo / iXML use. Plain C++, no Qt.

#include "metering/loudnessmeter.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace stemship::metering {

enum class ChannelLayout { Mono, Stereo, Surround51, Surround71, Surround714, Unknown };

// Microsoft ksmedia.h SPEAKER_* bits, as WAVE_FORMAT_EXTENSIBLE dwChannelMask carries them.
inline constexpr std::uint32_t kMaskMono = 0x4;         // front centre
inline constexpr std::uint32_t kMaskStereo = 0x3;       // front left, front right
inline constexpr std::uint32_t kMask51 = 0x3F;          // L R C LFE + back left/right (CLI-CONTRACT 5.1)
inline constexpr std::uint32_t kMask51Side = 0x60F;     // L R C LFE + side left/right (the other 5.1 in the wild)
inline constexpr std::uint32_t kMask71 = 0x63F;         // L R C LFE Lrs Rrs (back) Ls Rs (side)
inline constexpr std::uint32_t kMask714 = 0x2D63F;      // 7.1 + top front left/right, top back left/right

// The layout a file's channel count and mask describe. 1 and 2 channels are mono and stereo whatever the mask;
// 3 or more need a mask Stemship knows whose bit count equals the channel count, else Unknown.
ChannelLayout layoutOf(int channels, std::uint32_t channelMask);

// "mono", "stereo", "5.1", "7.1", "7.1.4", "unknown" (CLI-CONTRACT `layout`).
std::string_view layoutName(ChannelLayout layout);

// The mask Stemship writes for a layout (contract: 5.1 0x3F, 7.1 0x63F, 7.1.4 0x2D63F); 0 for Unknown.
std::uint32_t maskOf(ChannelLayout layout);

// BS.1770-4 Table 3 / BS.1770-5 weights by position: 1.41 for channels at 60..120 degrees azimuth in the
// horizontal plane (5.1's surrounds, 7.1's side pair), LFE excluded, 1.0 otherwise (7.1's rear pair at
// 135..150 degrees and the height channels, whose elevation is 30 degrees or more). Unknown layouts keep the
// channel-count guess of defaultWeights().
std::vector<ChannelWeighting> weightsOf(ChannelLayout layout, int channels);

// Channel labels in file order: "M"; "L" "R"; "L" "R" "C" "LFE" "Ls" "Rs"; 7.1 "L" "R" "C" "LFE" "Lrs" "Rrs"
// "Ls" "Rs"; 7.1.4 adds "Ltf" "Rtf" "Ltr" "Rtr". Unknown layouts: empty (callers number the channels).
std::vector<std::string_view> channelLabels(ChannelLayout layout);

// The channel index of the LFE in a layout, or -1.
int lfeChannel(ChannelLayout layout);

}  // namespace stemship::metering
