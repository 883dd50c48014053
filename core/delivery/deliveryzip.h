#pragma once

// Writes the delivery zip: entries STORED (method 0), zip64 when large, SHA-256 of each file computed while
// it is copied in. Writes exactly the path it is given (the packager passes a temporary name).

#include "delivery/filedigest.h"
#include "util/cancel.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace stemship::delivery {

class DeliveryZipWriter {
public:
    DeliveryZipWriter();
    ~DeliveryZipWriter();
    Status open(const QString &path, bool zip64);
    // Copies a file in as entry `name`; returns its SHA-256 (hex) when hash is set, else an empty array.
    Result<QByteArray> addFile(const QString &name, const QString &sourcePath, const CancelToken &cancel, bool hash = true);
    // Copies a file in whose digest is already known (computed where it was written): no second CRC pass.
    // The copy is checked against digest.bytes.
    Status addFile(const QString &name, const QString &sourcePath, const FileDigest &digest, const CancelToken &cancel);
    Status addData(const QString &name, const QByteArray &data);
    Status close();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace stemship::delivery
