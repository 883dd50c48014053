#pragma once

// The tags of a delivered WAV (ID3v2.4 in an "ID3 " chunk, RIFF LIST/INFO), set one way whether TagLib writes them
// into a file (WavWriter) or renders them in memory (wavheader.h). Inside core/io only: it names TagLib's types.

#include "io/wavwriter.h"

#include <QByteArray>

namespace TagLib::ID3v2 {
class Tag;
}
namespace TagLib::RIFF::Info {
class Tag;
}

namespace stemship::io {

bool hasTags(const WavTags &tags);
// Title and comment in both tags; tempo (TBPM) and version (TXXX:VERSION) in ID3v2 only.
void applyWavTags(const WavTags &tags, TagLib::ID3v2::Tag *id3, TagLib::RIFF::Info::Tag *info);
// The chunks TagLib's WAV writer appends for these tags, each padded to an even size; empty without tags.
QByteArray wavTagChunks(const WavTags &tags);

}  // namespace stemship::io
