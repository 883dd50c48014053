#pragma once

// Writes the delivery zip: entries STORED (method 0), zip64 when large (APPNOTE 6.3.x §4.3). Files go in with
// the SHA-256 / CRC-32 / size computed where they were written; their bytes are copied by the kernel
// (copy_file_range), several at once, each at the offset the sizes before it give. Every write is checked.
// Writes exactly the path it is given (the packager passes a temporary name) and removes it when not closed.

#include "delivery/filedigest.h"
#include "util/cancel.h"
#include "util/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>


namespace stemship::delivery {

class DeliveryZipWriter {
public:
    struct File {
        QString name;        // entry name
        QString sourcePath;  // removed once copied in
        FileDigest digest;
    };

    DeliveryZipWriter();
    ~DeliveryZipWriter();
    Status open(const QString &path, bool zip64);
    // Adds the files in order, copying on `pool`, and removes each source once it is in. A source shorter than
    // digest.bytes is an error.
    Status addFiles(const QList<File> &files, int jobs, const CancelToken &cancel);  // jobs 0 = all cores
    Status addData(const QString &name, const QByteArray &data);
    // An entry of known size whose bytes the caller writes itself (pwrite to fd at dataOffset, any thread), then
    // commits with their digest, which writes its local header.
    struct Reserved {
        std::size_t index;
        int fd;
        std::uint64_t dataOffset;
    };
    Reserved reserve(const QString &name, std::uint64_t bytes);
    // Reserves the disk space of everything added or reserved so far: a disk too small fails here, at once.
    Status preallocate();
    Status commitReserved(std::size_t index, const FileDigest &digest);
    // Writes the central directory; the file is complete only when this succeeds.
    Status close();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace stemship::delivery
