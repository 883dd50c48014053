#pragma once

// The tags of a delivered WAV (ID3v2.4 in an "ID3 " chunk, RIFF LIST/INFO), rendered in memory by TagLib for
// wavheader.h.

#include "io/wavspec.h"

#include <QByteArray>

namespace stemship::io {

// The chunks TagLib's WAV writer appends for these tags (WAV::File::save(AllTags, StripOthers, v4)), each padded
// to an even size; empty without tags. Title and comment in both tags; tempo (TBPM) and version (TXXX:VERSION) in
// ID3v2 only.
QByteArray wavTagChunks(const WavTags &tags);

}  // namespace stemship::io
