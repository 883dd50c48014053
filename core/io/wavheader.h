#pragma once

// The bytes of a delivered WAV around its samples, built in memory from its WavWriterSpec: no file is written and
// parsed back to learn them. The layout is the one libsndfile's RF64 writer leaves when it downgrades to RIFF
// (EBU Tech 3306 §4: a JUNK chunk reserving room for ds64), then TagLib's tags and Stemship's iXML:
//
//   RIFF size WAVE | JUNK (24 zero bytes) | fmt  (WAVE_FORMAT_EXTENSIBLE) | fact (frames) | bext (v2) | data size
//   <samples> [pad byte when the data size is odd] | ID3  (ID3v2.4) | LIST (INFO) | iXML
//
// For a RIFF file (under 4 GiB); a longer one is RF64 and written by WavWriter.

#include "io/wavwriter.h"
#include "util/error.h"

#include <QByteArray>

#include <cstdint>

namespace stemship::io {

struct WavLayout {
    QByteArray header;            // RIFF .. the data chunk's size field, with the sizes of the frames asked for
    qsizetype factFramesAt = -1;  // where the fact chunk's frame count sits in header
    qsizetype bextAt = -1;        // where the bext body starts in header: its loudness words at + kBextLoudnessOffset
    QByteArray gap;               // the pad byte after odd-sized data (RIFF: chunks start on even offsets)
    QByteArray tail;              // the chunks after the data: tags, iXML
    std::int64_t frameBytes = 0;
    std::uint64_t bytes(std::int64_t frames) const
    {
        return std::uint64_t(header.size() + gap.size() + tail.size()) + std::uint64_t(frames * frameBytes);
    }
    // A RIFF size field holds the file's length minus 8 in 32 bits; a longer file is RF64.
    bool fitsRiff(std::int64_t frames) const { return bytes(frames) - 8 <= 0xffffffffull; }
};

// The WAV of spec holding `frames` frames: header, gap and tail, every size filled in. PCM 16, 24, 32-bit or float;
// an error naming spec.path when the format is out of range. A file over 4 GiB (!fitsRiff) needs RF64 instead.
Result<WavLayout> wavLayoutFor(const WavWriterSpec &spec, std::int64_t frames);

// The WAVE_FORMAT_EXTENSIBLE mask a file of `channels` carries when the spec gives none: libsndfile's default
// (mono = front centre, stereo = front left and right, 4 = quad, 6 = 5.1, 8 = 0xFF), else 0 (no speakers named).
std::uint32_t defaultChannelMask(int channels);

// The bext fields a spec's BroadcastInfo writes (EBU Tech 3285 v2): ASCII fields, origination date and time (now
// when not given), time reference, version 2, UMID, loudness words, the coding history ending in CR LF and
// padded with a NUL to an even size.
BextFields bextFieldsOf(const BroadcastInfo &bext);

}  // namespace stemship::io
