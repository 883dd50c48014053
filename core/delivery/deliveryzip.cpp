#include "delivery/deliveryzip.h"

#include <QDateTime>
#include <QFile>

#include <quazip.h>
#include <quazipfile.h>
#include <quazipnewinfo.h>

#include <vector>

namespace stemship::delivery {

struct DeliveryZipWriter::Impl {
    QString path;
    QuaZip zip;
};

DeliveryZipWriter::DeliveryZipWriter() = default;
DeliveryZipWriter::~DeliveryZipWriter()
{
    if (m_impl && m_impl->zip.isOpen())
        m_impl->zip.close();
}

Status DeliveryZipWriter::open(const QString &path, bool zip64)
{
    m_impl = std::make_unique<Impl>();
    m_impl->path = path;
    m_impl->zip.setZipName(path);
    m_impl->zip.setZip64Enabled(zip64);
    m_impl->zip.setUtf8Enabled(true);
    if (!m_impl->zip.open(QuaZip::mdCreate))
        return Error{path, QStringLiteral("cannot create the zip (error %1)").arg(m_impl->zip.getZipError()), {}};
    return {};
}

namespace {
QuaZipNewInfo entryInfo(const QString &name)
{
    QuaZipNewInfo info(name);
    info.dateTime = QDateTime::currentDateTime();
    info.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    return info;
}
}  // namespace

Result<QByteArray> DeliveryZipWriter::addFile(const QString &name, const QString &sourcePath, const CancelToken &cancel,
                                              bool withHash)
{
    QFile in(sourcePath);
    if (!in.open(QIODevice::ReadOnly))
        return Error{sourcePath, QStringLiteral("cannot open: ") + in.errorString(), {}};
    QuaZipFile out(&m_impl->zip);
    // Method 0, level 0: STORED, so readers can window into the archive without inflating.
    if (!out.open(QIODevice::WriteOnly, entryInfo(name), nullptr, 0, 0, 0))
        return Error{m_impl->path, QStringLiteral("cannot add %1 (error %2)").arg(name).arg(out.getZipError()), {}};
    Sha256 hash;
    std::vector<char> buffer(std::size_t(1) << 20);
    for (;;) {
        if (cancel.cancelled())
            return Error{m_impl->path, QStringLiteral("cancelled"), QStringLiteral("cancelled")};
        const qint64 got = in.read(buffer.data(), qint64(buffer.size()));
        if (got < 0)
            return Error{sourcePath, QStringLiteral("read failed: ") + in.errorString(), {}};
        if (got == 0)
            break;
        if (withHash)
            hash.add(buffer.data(), std::size_t(got));
        if (out.write(buffer.data(), got) != got || out.getZipError() != UNZ_OK)
            return Error{m_impl->path, QStringLiteral("write failed while adding %1 (disk full?)").arg(name), {}};
    }
    out.close();
    if (out.getZipError() != UNZ_OK)
        return Error{m_impl->path, QStringLiteral("write failed while adding %1 (disk full?)").arg(name), {}};
    return withHash ? hash.hex() : QByteArray();
}

Status DeliveryZipWriter::addFile(const QString &name, const QString &sourcePath, const FileDigest &digest,
                                  const CancelToken &cancel)
{
    QFile in(sourcePath);
    if (!in.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return Error{sourcePath, QStringLiteral("cannot open: ") + in.errorString(), {}};
    QuaZipNewInfo info = entryInfo(name);
    info.uncompressedSize = ulong(digest.bytes);
    QuaZipFile out(&m_impl->zip);
    // Raw STORED entry: the bytes go in as they are, with the CRC-32 computed when the file was written.
    if (!out.open(QIODevice::WriteOnly, info, nullptr, digest.crc32, 0, 0, true))
        return Error{m_impl->path, QStringLiteral("cannot add %1 (error %2)").arg(name).arg(out.getZipError()), {}};
    std::vector<char> buffer(std::size_t(4) << 20);
    std::uint64_t copied = 0;
    for (;;) {
        if (cancel.cancelled())
            return Error{m_impl->path, QStringLiteral("cancelled"), QStringLiteral("cancelled")};
        const qint64 got = in.read(buffer.data(), qint64(buffer.size()));
        if (got < 0)
            return Error{sourcePath, QStringLiteral("read failed: ") + in.errorString(), {}};
        if (got == 0)
            break;
        copied += std::uint64_t(got);
        if (out.write(buffer.data(), got) != got || out.getZipError() != UNZ_OK)
            return Error{m_impl->path, QStringLiteral("write failed while adding %1 (disk full?)").arg(name), {}};
    }
    if (copied != digest.bytes)
        return Error{sourcePath, QStringLiteral("changed while it was zipped (%1 bytes, %2 when written)").arg(copied).arg(digest.bytes), {}};
    out.close();
    if (out.getZipError() != UNZ_OK)
        return Error{m_impl->path, QStringLiteral("write failed while adding %1 (disk full?)").arg(name), {}};
    return {};
}

Status DeliveryZipWriter::addData(const QString &name, const QByteArray &data)
{
    QuaZipFile out(&m_impl->zip);
    if (!out.open(QIODevice::WriteOnly, entryInfo(name), nullptr, 0, 0, 0)
        || out.write(data) != data.size() || (out.close(), out.getZipError() != UNZ_OK))
        return Error{m_impl->path, QStringLiteral("write failed while adding %1 (disk full?)").arg(name), {}};
    return {};
}

Status DeliveryZipWriter::close()
{
    m_impl->zip.close();
    if (m_impl->zip.getZipError() != UNZ_OK)
        return Error{m_impl->path, QStringLiteral("cannot finish the zip (disk full?)"), {}};
    return {};
}

}  // namespace stemship::delivery
