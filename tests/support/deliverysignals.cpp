#include "deliverysignals.h"

#include <QCryptographicHash>
#include <QFile>

#include <zlib.h>

#include <cmath>

namespace stemship::test {
namespace {

void put(QByteArray &out, std::uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.append(char((value >> (8 * i)) & 0xff));
}

QByteArray deflateRaw(const QByteArray &data)
{
    z_stream zs{};
    deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
    QByteArray out(qsizetype(deflateBound(&zs, uLong(data.size()))), '\0');
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    zs.avail_in = uInt(data.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = uInt(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(qsizetype(zs.total_out));
    deflateEnd(&zs);
    return out;
}

}  // namespace

QByteArray buildZip(const QList<RawZipEntry> &entries, bool zip64)
{
    QByteArray body, central;
    for (const RawZipEntry &e : entries) {
        const QByteArray name = e.name.toUtf8();
        const QByteArray payload = e.method == 8 ? deflateRaw(e.data) : e.data;
        const std::uint32_t crc = e.declaredCrc.value_or(
            std::uint32_t(crc32(0, reinterpret_cast<const Bytef *>(e.data.constData()), uInt(e.data.size()))));
        const std::uint64_t size = e.declaredSize.value_or(std::uint64_t(e.data.size()));
        const std::uint64_t csize = std::uint64_t(payload.size());
        const std::uint64_t offset = std::uint64_t(body.size());
        const int flags = 0x800 | (e.encrypted ? 1 : 0);
        QByteArray extra;
        if (zip64) {
            put(extra, 1, 2);
            put(extra, 24, 2);
            put(extra, size, 8);
            put(extra, csize, 8);
            put(extra, offset, 8);
        }
        auto header = [&](QByteArray &out, bool isCentral) {
            put(out, isCentral ? 0x02014b50 : 0x04034b50, 4);
            if (isCentral)
                put(out, (3 << 8) | 45, 2);  // made by Unix
            put(out, zip64 ? 45 : 20, 2);
            put(out, std::uint64_t(flags), 2);
            put(out, std::uint64_t(e.method), 2);
            put(out, 0, 4);  // time, date
            put(out, crc, 4);
            put(out, zip64 ? 0xffffffffu : csize, 4);
            put(out, zip64 ? 0xffffffffu : size, 4);
            put(out, std::uint64_t(name.size()), 2);
            put(out, std::uint64_t(isCentral ? extra.size() : 0), 2);
            if (isCentral) {
                put(out, 0, 2);  // comment
                put(out, 0, 2);  // disk
                put(out, 0, 2);  // internal attributes
                const std::uint32_t mode = e.unixMode ? *e.unixMode : e.symlink ? 0120777u : 0100644u;
                put(out, std::uint64_t(mode) << 16, 4);
                put(out, zip64 ? 0xffffffffu : offset, 4);
            }
            out.append(name);
            if (isCentral)
                out.append(extra);
        };
        header(body, false);
        body.append(payload);
        header(central, true);
    }
    QByteArray out = body;
    const std::uint64_t cdOffset = std::uint64_t(out.size());
    out.append(central);
    const std::uint64_t count = std::uint64_t(entries.size());
    if (zip64) {
        const std::uint64_t z64 = std::uint64_t(out.size());
        put(out, 0x06064b50, 4);
        put(out, 44, 8);
        put(out, 45, 2);
        put(out, 45, 2);
        put(out, 0, 4);
        put(out, 0, 4);
        put(out, count, 8);
        put(out, count, 8);
        put(out, std::uint64_t(central.size()), 8);
        put(out, cdOffset, 8);
        put(out, 0x07064b50, 4);
        put(out, 0, 4);
        put(out, z64, 8);
        put(out, 1, 4);
    }
    put(out, 0x06054b50, 4);
    put(out, 0, 4);
    put(out, zip64 ? 0xffff : count, 2);
    put(out, zip64 ? 0xffff : count, 2);
    put(out, zip64 ? 0xffffffffu : std::uint64_t(central.size()), 4);
    put(out, zip64 ? 0xffffffffu : cdOffset, 4);
    put(out, 0, 2);
    return out;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray sha256File(const QString &path)
{
    QFile f(path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!f.open(QIODevice::ReadOnly) || !hash.addData(&f))
        return {};
    return hash.result().toHex();
}

Signal clickAt(int sampleRateHz, int channels, double seconds, std::int64_t clickFrame, float amplitude)
{
    Signal s = silence(sampleRateHz, channels, seconds);
    if (clickFrame >= 0 && clickFrame < s.frames())
        for (int c = 0; c < channels; ++c)
            s.at(clickFrame, c) = amplitude;
    return s;
}

std::int64_t peakFrame(const Signal &signal)
{
    std::int64_t best = -1;
    float bestValue = -1.0f;
    for (std::int64_t i = 0; i < signal.frames(); ++i) {
        const float v = std::abs(signal.samples[std::size_t(i * signal.channels)]);
        if (v > bestValue) {
            bestValue = v;
            best = i;
        }
    }
    return best;
}

}  // namespace stemship::test
