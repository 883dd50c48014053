#pragma once

// Temporary names beside a destination, commit by rename, and cleanup of temporaries left by killed runs.

#include "util/error.h"

#include <QString>

namespace stemship::io {

// ".<name>.stemship-tmp-<pid>-<random><suffix>" in the destination's folder.
QString tempPathBeside(const QString &destination, const QString &suffix = {});

// How far a commit goes: Durable survives a power loss the moment it returns (the SQLite way: fsync the file,
// rename it, fsync the folder); Volatile only renames (intermediates deleted before the job ends).
enum class Durability { Durable, Volatile };

// Atomically replaces destination with temp (POSIX rename); an earlier destination stays intact until then.
// Durable (the default): temp's data is fsynced before the rename and destination's folder after it, so after a
// power loss destination is either the earlier file or the whole new one, never empty or torn.
Status commitRename(const QString &temp, const QString &destination, Durability durability = Durability::Durable);

// fsync of a folder: makes a rename or a new entry in it durable.
Status syncFolder(const QString &folder);

// Removes files and folders named ".<name>.stemship-tmp-<pid>-*" beside destination whose process is gone.
// Returns how many were removed.
int removeStaleTemps(const QString &destination);

// Writes data to a temporary file beside destination with checked, unbuffered writes (a full disk or a
// file-size limit is an error, never a short file), fsyncs it, then renames it over destination. On failure the
// temporary is removed and an earlier destination is untouched. Stale temporaries of killed runs are cleaned.
Status writeFileAtomically(const QString &destination, const QByteArray &data);

// Removes a file or a folder tree; true when nothing remains.
bool removePath(const QString &path);

}  // namespace stemship::io
