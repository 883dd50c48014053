#pragma once

// SHA-256 (OpenSSL EVP, SHA-NI accelerated where the CPU has it) and zip CRC-32 (zlib) of delivered bytes,
// computed in one pass: streaming over blocks, or over a whole file read once.

#include "util/cancel.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace stemship::io {

// Streaming SHA-256; hex() finalises.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;
    void add(const void *data, std::size_t bytes);
    QByteArray hex();  // lower-case, 64 characters

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

std::uint32_t crc32Update(std::uint32_t crc, const void *data, std::size_t bytes);
// Off: CRC-32 by zlib's tables only, never the PCLMUL folding (tests compare both paths with zlib's crc32).
void setCrc32Folding(bool enabled);

struct FileDigest {
    QByteArray sha256;  // hex
    std::uint32_t crc32 = 0;
    std::uint64_t bytes = 0;
};

// Reads the file once; errors name it. A cancelled read returns an error with code "cancelled".
Result<FileDigest> digestFile(const QString &path, const CancelToken &cancel);

}  // namespace stemship::io
