#pragma once

// A reference WAV writer for tests: a delivered WAV written the way the delivery once wrote it, by libsndfile's RF64
// writer (downgraded to RIFF), TagLib's tags, then Stemship's coding-history line moved last and the iXML
// appended. tst_wavheader holds the bytes io::wavLayoutFor builds in memory to this file, chunk by chunk; the
// tags are stated here, not taken from core/io/wavtags, so that comparison checks them too.

#include "io/bwfchunks.h"
#include "io/wavspec.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace stemship::test {

// Writes spec.path with these samples, as the data chunk holds them (little-endian, bitsOf(spec.encoding) / 8
// bytes per sample, interleaved; a whole number of frames). Every write is checked and the file is read back with
// libsndfile before the tags; on failure nothing is left at spec.path. Small files: the samples are in memory.
Status writeReferenceWav(const io::WavWriterSpec &spec, const QByteArray &packedSamples);

// The coding history with every line that names Stemship ("T=Stemship") moved after the others (EBU R98: the
// last line describes the last process); libsndfile appends its own line after ours. Same bytes, same length.
QByteArray stemshipLineLast(const QByteArray &codingHistory);

// Finishes a WAV that libsndfile and TagLib wrote: Stemship's coding-history line last, and the iXML chunk
// appended (RIFF size updated), since libsndfile has no iXML API. An RF64 file keeps its chunks as they are.
// Returns an error line.
std::optional<QString> finishBroadcastWave(const QString &path, const std::optional<io::IxmlFields> &ixml);

}  // namespace stemship::test
