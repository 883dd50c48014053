#pragma once

// Stem sources: a file on disk or an entry of a delivery zip read in place, found by expanding the paths a user
// gives, and opened the same way for the audit, the delivery and playback. Hostile zip entries (.., absolute,
// symlinks, bombs) are refused, never opened.

#include "io/audioreader.h"
#include "util/error.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace stemship::io {

// One stem: a file on disk, or an entry of a delivery zip.
struct StemSource {
    QString displayPath;  // what reports show
    QString filePath;     // file on disk, or the zip
    QString zipEntry;     // empty for plain files
    // Relative to the PATH argument it was found under (a file argument: its name; a zip: "name.zip!inner"):
    // what a delivery says it came from, with nothing of the sender's disk. Empty: see deliveredSourceName.
    QString relativePath = {};
};

// relativePath, or (a source built without one) the file name: never an absolute path.
QString deliveredSourceName(const StemSource &source);

// The one list of audio file extensions (lower case, no dot): what folders and zips are searched for, and what
// name matching strips from a file name. Some (m4a, alac, sd2, wv) libsndfile cannot decode: such a stem is
// reported as unsupported rather than silently left out.
const QStringList &audioExtensions();
bool hasAudioExtension(const QString &fileName);
// Whether the file's extension names its container (AudioInfo::format: "WAV", "FLAC", "MPEG", ...): ".wav" for
// WAV or RF64, ".mp3" for MPEG, and so on. A name without an audio extension fits anything.
bool extensionFitsFormat(const QString &fileName, const QString &format);
// Named like a zip (".zip", any case).
bool isZipPath(const QString &path);

// Expands files, folders (recursive, audio extensions only) and delivery zips into sources.
// Paths that do not exist are usage errors (returned in `errors`; the CLI exits 2).
QList<StemSource> collectSources(const QStringList &paths, QList<Error> *errors);

Result<AudioReader> openStemSource(const StemSource &source);

}  // namespace stemship::io
