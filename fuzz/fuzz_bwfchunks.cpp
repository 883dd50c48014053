// Bytes -> the BWF metadata walk (bext v2, iXML) of a received WAV, and the two chunk parsers on the raw
// bytes, as a hostile file or zip entry would give them.

#include "io/bwfchunks.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto readAt = [&bytes](std::int64_t offset, char *out, std::int64_t n) -> std::int64_t {
        if (offset < 0 || offset > bytes.size() || n < 0)
            return -1;
        const std::int64_t got = std::min<std::int64_t>(n, bytes.size() - offset);
        std::memcpy(out, bytes.constData() + offset, std::size_t(got));
        return got;
    };
    const stemship::io::BwfMetadata meta = stemship::io::readBwfMetadata(readAt, bytes.size());
    if (meta.bext)
        (void)stemship::io::umidToHex(meta.bext->umid);
    QStringList problems;
    (void)stemship::io::parseBextBody(bytes, &problems);
    (void)stemship::io::parseIxmlBody(bytes, &problems);
    return 0;
}
