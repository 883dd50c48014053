#include "io/wavspec.h"

namespace stemship::io {

int bitsOf(SampleEncoding encoding)
{
    switch (encoding) {
    case SampleEncoding::Pcm16: return 16;
    case SampleEncoding::Pcm24: return 24;
    case SampleEncoding::Pcm32:
    case SampleEncoding::Float32: return 32;
    }
    return 24;
}

std::optional<SampleEncoding> pcmEncodingForBits(int bits)
{
    switch (bits) {
    case 16: return SampleEncoding::Pcm16;
    case 24: return SampleEncoding::Pcm24;
    case 32: return SampleEncoding::Pcm32;
    default: return std::nullopt;
    }
}

}  // namespace stemship::io
