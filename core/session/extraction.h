#pragma once

// Extracting a received delivery zip into a folder, safely: hostile archives refused before anything is written,
// entry names that are plain file names only, nothing overwritten, every file written atomically.

#include "util/cancel.h"
#include "util/error.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace stemship::session {

struct ExtractionPlan {
    QStringList entries;       // names in the zip, in archive order (regular files only)
    QStringList destinations;  // dir/entry, same order
};

// Fails (code "unsafe_archive") when the zip has any hostile entry (each named in the message) or an entry in a
// sub-folder; (code "usage") when the zip cannot be opened. Directory entries are skipped.
Result<ExtractionPlan> planExtraction(const QString &zipPath, const QString &dir);

// Streams each entry to a temporary beside its destination (fixed blocks: memory does not grow with a stem's
// length), fsyncs it, renames it into place and fsyncs the folder. On an error or a cancel, the files written so
// far are removed again. progress(done, total) after each block, in bytes.
Status extractEntries(const QString &zipPath, const ExtractionPlan &plan, const CancelToken *cancel,
                      const std::function<void(qint64, qint64)> &progress = {});

// The first of paths that exists, or an empty string: outputs never overwrite what is there.
QString firstExisting(const QStringList &paths);

// fsync of a folder, so the renames into it survive a power loss.
bool syncFolder(const QString &dir);

}  // namespace stemship::session
