#include "io/zipentrydevices.h"

#include <QFile>
#include <QIODevice>

#include <zlib.h>

#include <algorithm>
#include <array>

namespace stemship::io {
namespace {

// Read-only window [start, start + size) of a file: a stored entry's bytes.
class WindowDevice : public QIODevice {
public:
    WindowDevice(const QString &path, std::uint64_t start, std::uint64_t size)
        : m_file(path), m_start(start), m_size(size) {}
    bool openWindow() { return m_file.open(QIODevice::ReadOnly) && open(QIODevice::ReadOnly | QIODevice::Unbuffered); }
    bool isSequential() const override { return false; }
    qint64 size() const override { return qint64(m_size); }
    bool seek(qint64 pos) override
    {
        if (pos < 0 || std::uint64_t(pos) > m_size)
            return false;
        QIODevice::seek(pos);
        m_pos = std::uint64_t(pos);
        return true;
    }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = qint64(std::min<std::uint64_t>(std::uint64_t(maxSize), m_size - m_pos));
        if (n <= 0)
            return 0;
        if (!m_file.seek(qint64(m_start + m_pos)))
            return -1;
        const qint64 got = m_file.read(data, n);
        if (got > 0)
            m_pos += std::uint64_t(got);
        return got;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QFile m_file;
    std::uint64_t m_start = 0;
    std::uint64_t m_size = 0;
    std::uint64_t m_pos = 0;
};

// Inflates a deflated entry on the fly. Seeking backwards restarts the stream and skips forward; the output
// is capped at the declared size, so a lying header cannot make it produce more.
class InflateDevice : public QIODevice {
public:
    InflateDevice(const QString &path, std::uint64_t start, std::uint64_t compressedSize, std::uint64_t size)
        : m_raw(path, start, compressedSize), m_size(size) {}
    ~InflateDevice() override { inflateEnd(&m_zs); }
    bool openInflate()
    {
        if (!m_raw.openWindow() || inflateInit2(&m_zs, -MAX_WBITS) != Z_OK)
            return false;
        return open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    }
    bool isSequential() const override { return false; }
    qint64 size() const override { return qint64(m_size); }
    bool seek(qint64 pos) override
    {
        if (pos < 0 || std::uint64_t(pos) > m_size)
            return false;
        if (std::uint64_t(pos) < m_pos && !restart())
            return false;
        std::array<char, 16384> scratch;
        while (m_pos < std::uint64_t(pos)) {
            const qint64 want = qint64(std::min<std::uint64_t>(scratch.size(), std::uint64_t(pos) - m_pos));
            if (inflateInto(scratch.data(), want) <= 0)
                return false;
        }
        QIODevice::seek(pos);
        return true;
    }

protected:
    qint64 readData(char *data, qint64 maxSize) override { return inflateInto(data, maxSize); }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    bool restart()
    {
        if (inflateReset(&m_zs) != Z_OK || !m_raw.seek(0))
            return false;
        m_pos = 0;
        m_avail = 0;
        m_ended = false;
        return true;
    }

    qint64 inflateInto(char *data, qint64 maxSize)
    {
        const qint64 want = qint64(std::min<std::uint64_t>(std::uint64_t(maxSize), m_size - m_pos));
        if (want <= 0 || m_ended)
            return 0;
        const uInt chunk = uInt(std::min<qint64>(want, qint64(1) << 30));
        m_zs.next_out = reinterpret_cast<Bytef *>(data);
        m_zs.avail_out = chunk;
        while (m_zs.avail_out > 0) {
            if (m_avail == 0) {
                const qint64 got = m_raw.read(m_in.data(), qint64(m_in.size()));
                if (got < 0)
                    return -1;
                m_avail = std::size_t(got);
                m_zs.next_in = reinterpret_cast<Bytef *>(m_in.data());
            }
            m_zs.avail_in = uInt(m_avail);
            const int rc = inflate(&m_zs, Z_NO_FLUSH);
            m_avail = m_zs.avail_in;
            if (rc == Z_STREAM_END) {
                m_ended = true;
                break;
            }
            if (rc == Z_BUF_ERROR && m_avail == 0 && m_raw.atEnd())
                break;  // compressed data ends before the declared size: a short entry
            if (rc != Z_OK)
                return -1;
        }
        const qint64 produced = qint64(chunk - m_zs.avail_out);
        m_pos += std::uint64_t(produced);
        return produced;
    }

    WindowDevice m_raw;
    std::uint64_t m_size = 0;
    std::uint64_t m_pos = 0;
    z_stream m_zs{};
    bool m_ended = false;
    std::array<char, 65536> m_in{};
    std::size_t m_avail = 0;
};

}  // namespace

std::unique_ptr<QIODevice> openStoredEntry(const QString &archivePath, std::uint64_t start, std::uint64_t size)
{
    auto device = std::make_unique<WindowDevice>(archivePath, start, size);
    if (!device->openWindow())
        return nullptr;
    return device;
}

std::unique_ptr<QIODevice> openDeflatedEntry(const QString &archivePath, std::uint64_t start,
                                             std::uint64_t compressedSize, std::uint64_t size)
{
    auto device = std::make_unique<InflateDevice>(archivePath, start, compressedSize, size);
    if (!device->openInflate())
        return nullptr;
    return device;
}

}  // namespace stemship::io
