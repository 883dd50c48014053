#pragma once

// The bytes of a delivered WAV around its samples, built in memory from its WavWriterSpec: no file is written and
// parsed back to learn them. The layout is the one libsndfile's RF64 writer leaves when it downgrades to RIFF
// (EBU Tech 3306 §4: a JUNK chunk reserving room for ds64), then TagLib's tags and Stemship's iXML, as the
// delivery's files were once written; tst_wavheader holds it to a reference writer that still writes them that way
// (libsndfile, TagLib, then the iXML appended: tests/support/referencewav.h):
//
//   RIFF size WAVE | JUNK (24 zero bytes) | fmt  (WAVE_FORMAT_EXTENSIBLE) | fact (frames) | bext (v2) | data size
//   <samples> [pad byte when the data size is odd] | ID3  (ID3v2.4) | LIST (INFO) | iXML
//
// Over 4 GiB the file is RF64 (EBU Tech 3306): "RF64" and "data" sizes 0xFFFFFFFF, the true sizes in a ds64 chunk
// where the JUNK was, and the iXML before the data (readers stop at an RF64 data chunk); TagLib cannot tag RF64,
// so it carries no ID3 or INFO tags.

#include "io/wavspec.h"
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
    std::int64_t frames = 0;      // what the sizes say
    bool rf64 = false;
    std::uint64_t bytes(std::int64_t frames) const
    {
        return std::uint64_t(header.size() + gap.size() + tail.size()) + std::uint64_t(frames * frameBytes);
    }
    // A RIFF size field holds the file's length minus 8 in 32 bits; a longer file is RF64.
    bool fitsRiff(std::int64_t frames) const { return !rf64 && bytes(frames) - 8 <= 0xffffffffull; }
    // The header with these bext loudness words: a stem's loudness is known once its gain is, which may be after
    // its zip entry was reserved with this layout.
    QByteArray headerWith(const BextLoudness &loudness) const;
};

// The WAV of spec holding `frames` frames: header, gap and tail, every size filled in; RIFF, or RF64 when over
// 4 GiB. PCM 16, 24, 32-bit or float; an error naming spec.path when the format is out of range.
Result<WavLayout> wavLayoutFor(const WavWriterSpec &spec, std::int64_t frames);

// The WAVE_FORMAT_EXTENSIBLE mask a file of `channels` carries when the spec gives none: libsndfile's default
// (mono = front centre, stereo = front left and right, 4 = quad, 6 = 5.1, 8 = 0xFF), else 0 (no speakers named).
std::uint32_t defaultChannelMask(int channels);

// The bext fields a spec's BroadcastInfo writes (EBU Tech 3285 v2): ASCII fields, origination date and time (now
// when not given), time reference, version 2, UMID, loudness words, the coding history ending in CR LF and
// padded with a NUL to an even size.
BextFields bextFieldsOf(const BroadcastInfo &bext);

}  // namespace stemship::io
