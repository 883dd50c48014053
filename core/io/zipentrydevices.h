#pragma once

// Read-only devices over one zip entry's bytes: what ZipArchive::openEntry hands out.

#include <QString>

#include <cstdint>
#include <memory>

class QIODevice;

namespace stemship::io {

// Random access to a stored entry: a window [start, start + size) of the archive. nullptr if it cannot be opened.
std::unique_ptr<QIODevice> openStoredEntry(const QString &archivePath, std::uint64_t start, std::uint64_t size);

// A deflated entry inflated on the fly; seeking backwards restarts the stream and skips forward. The output is
// capped at the declared size. nullptr if it cannot be opened.
std::unique_ptr<QIODevice> openDeflatedEntry(const QString &archivePath, std::uint64_t start,
                                             std::uint64_t compressedSize, std::uint64_t size);

}  // namespace stemship::io
