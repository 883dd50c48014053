#include "metering/channellayout.h"

#include <bit>

namespace stemship::metering {

ChannelLayout layoutOf(int channels, std::uint32_t channelMask)
{
    if (channels == 1)
        return ChannelLayout::Mono;
    if (channels == 2)
        return ChannelLayout::Stereo;
    // A mask whose bit count disagrees with the channel count says nothing reliable about any channel.
    if (channels < 3 || std::popcount(channelMask) != channels)
        return ChannelLayout::Unknown;
    switch (channelMask) {
    case kMask51:
    case kMask51Side:
        return ChannelLayout::Surround51;
    case kMask71:
        return ChannelLayout::Surround71;
    case kMask714:
        return ChannelLayout::Surround714;
    default:
        return ChannelLayout::Unknown;
    }
}

std::string_view layoutName(ChannelLayout layout)
{
    switch (layout) {
    case ChannelLayout::Mono:
        return "mono";
    case ChannelLayout::Stereo:
        return "stereo";
    case ChannelLayout::Surround51:
        return "5.1";
    case ChannelLayout::Surround71:
        return "7.1";
    case ChannelLayout::Surround714:
        return "7.1.4";
    case ChannelLayout::Unknown:
        break;
    }
    return "unknown";
}

std::uint32_t maskOf(ChannelLayout layout)
{
    switch (layout) {
    case ChannelLayout::Mono:
        return kMaskMono;
    case ChannelLayout::Stereo:
        return kMaskStereo;
    case ChannelLayout::Surround51:
        return kMask51;
    case ChannelLayout::Surround71:
        return kMask71;
    case ChannelLayout::Surround714:
        return kMask714;
    case ChannelLayout::Unknown:
        break;
    }
    return 0;
}

std::vector<ChannelWeighting> weightsOf(ChannelLayout layout, int channels)
{
    using W = ChannelWeighting;
    switch (layout) {
    case ChannelLayout::Mono:
    case ChannelLayout::Stereo:
        return std::vector<W>(std::size_t(channels), W::Normal);
    case ChannelLayout::Surround51:
        // Ls/Rs of 5.1 stand at 110 degrees (ITU-R BS.775) whichever mask bits name them.
        return {W::Normal, W::Normal, W::Normal, W::Lfe, W::Surround, W::Surround};
    case ChannelLayout::Surround71:
        // Rear pair at 135..150 degrees: outside 60..120, so 1.0; the side pair at 90..110 degrees: 1.41.
        return {W::Normal, W::Normal, W::Normal, W::Lfe, W::Normal, W::Normal, W::Surround, W::Surround};
    case ChannelLayout::Surround714:
        // BS.1770-5 Table 4: elevated channels (30..45 degrees) weigh 1.0 whatever their azimuth.
        return {W::Normal, W::Normal, W::Normal, W::Lfe,    W::Normal, W::Normal,
                W::Surround, W::Surround, W::Normal, W::Normal, W::Normal, W::Normal};
    case ChannelLayout::Unknown:
        break;
    }
    return defaultWeights(channels);
}

std::vector<std::string_view> channelLabels(ChannelLayout layout)
{
    switch (layout) {
    case ChannelLayout::Mono:
        return {"M"};
    case ChannelLayout::Stereo:
        return {"L", "R"};
    case ChannelLayout::Surround51:
        return {"L", "R", "C", "LFE", "Ls", "Rs"};
    case ChannelLayout::Surround71:
        return {"L", "R", "C", "LFE", "Lrs", "Rrs", "Ls", "Rs"};
    case ChannelLayout::Surround714:
        return {"L", "R", "C", "LFE", "Lrs", "Rrs", "Ls", "Rs", "Ltf", "Rtf", "Ltr", "Rtr"};
    case ChannelLayout::Unknown:
        break;
    }
    return {};
}

int lfeChannel(ChannelLayout layout)
{
    switch (layout) {
    case ChannelLayout::Surround51:
    case ChannelLayout::Surround71:
    case ChannelLayout::Surround714:
        return 3;
    default:
        return -1;
    }
}

}  // namespace stemship::metering
