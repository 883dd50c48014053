#pragma once

// Writes a stored zip (method 0), zip64 when asked (APPNOTE 6.3.x §4.3), beside ZipArchive which reads them.
// Entries go in three ways: bytes in memory (addData); files copied by the kernel (copy_file_range), several at
// once, each at the offset the sizes before it give (addFiles); or an entry of known size reserved first and
// filled by its own OffsetWriter from any thread, then committed with its digest (reserve). Every write is
// checked; close() fsyncs. Writes exactly the path it is given (callers pass a temporary name) and removes it
// when not closed.

#include "io/filedigest.h"
#include "util/cancel.h"
#include "util/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>

namespace stemship::io {

// The bytes of one reserved entry: written in order from its start, never past its size (pwrite, so writers of
// different entries run in parallel on one file).
class OffsetWriter {
public:
    OffsetWriter() = default;
    OffsetWriter(int fd, std::uint64_t offset, std::uint64_t capacity, const QString &name)
        : m_fd(fd), m_offset(offset), m_capacity(capacity), m_name(name) {}
    // Every 8 MiB written, the kernel is asked to start writing them to disk (Linux sync_file_range), so the
    // close()'s fsync finds the entries already on their way rather than starting all of them then.
    Status write(const void *data, std::size_t bytes);
    std::uint64_t written() const { return m_written; }

private:
    int m_fd = -1;
    std::uint64_t m_offset = 0, m_capacity = 0, m_written = 0;
    std::uint64_t m_writebackFrom = 0;  // of m_written: not yet handed to writeback
    QString m_name;  // for errors
};

// Zip64 before the 4 GiB limits of the classic format are near (APPNOTE §4.4.8).
bool needsZip64(std::uint64_t entryBytes);

class ZipWriter {
public:
    struct File {
        QString name;        // entry name
        QString sourcePath;  // removed once copied in
        FileDigest digest;
    };
    struct Reserved {
        std::size_t index = 0;
        OffsetWriter writer;
    };

    ZipWriter();
    ~ZipWriter();
    Status open(const QString &path, bool zip64);
    // Adds the files in order, copying on `jobs` threads (0 = all cores), and removes each source once it is in.
    // A source shorter than digest.bytes is an error.
    Status addFiles(const QList<File> &files, int jobs, const CancelToken &cancel);
    Status addData(const QString &name, const QByteArray &data);
    // An entry of `bytes` whose bytes its writer fills; committed with their digest, which writes its local
    // header. Names longer than the format's 65 535 bytes of UTF-8 are refused.
    Result<Reserved> reserve(const QString &name, std::uint64_t bytes);
    // Reserves the disk space of everything added or reserved so far: a disk too small fails here, at once.
    Status preallocate();
    Status commitReserved(std::size_t index, const FileDigest &digest);
    // Writes the central directory and fsyncs; the file is complete only when this succeeds. whileSyncing, when
    // given, runs on the calling thread while the fsync waits for the disk on another (the zip is complete by then).
    Status close(const std::function<void()> &whileSyncing = {});

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace stemship::io
