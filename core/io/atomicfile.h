#pragma once

// Temporary names beside a destination, commit by rename, and cleanup of temporaries left by killed runs.

#include "util/error.h"

#include <QString>

namespace stemship::io {

// ".<name>.stemship-tmp-<pid>-<random><suffix>" in the destination's folder.
QString tempPathBeside(const QString &destination, const QString &suffix = {});

// Atomically replaces destination with temp (POSIX rename); an earlier destination stays intact until then.
Status commitRename(const QString &temp, const QString &destination);

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
