#include "io/containerprobe.h"

#include <array>
#include <cstring>

namespace stemship::io {
namespace {

std::uint32_t le32(const unsigned char *p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (std::uint32_t(p[3]) << 24); }
std::uint16_t le16(const unsigned char *p) { return std::uint16_t(p[0] | (p[1] << 8)); }
std::uint64_t le64(const unsigned char *p) { return le32(p) | (std::uint64_t(le32(p + 4)) << 32); }
std::uint32_t be32(const unsigned char *p) { return (std::uint32_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3]; }

bool readExact(const ReadAtFn &readAt, std::int64_t offset, void *out, std::int64_t size)
{
    return readAt(offset, static_cast<char *>(out), size) == size;
}

void readWaveFmt(const ReadAtFn &readAt, std::int64_t offset, std::uint32_t size, ContainerFacts *facts)
{
    std::array<unsigned char, 40> fmt{};
    const auto n = std::min<std::uint32_t>(size, fmt.size());
    if (!readExact(readAt, offset, fmt.data(), n) || n < 16)
        return;
    facts->blockAlign = le16(fmt.data() + 12);
    facts->waveFormatTag = le16(fmt.data());
    // WAVE_FORMAT_EXTENSIBLE: cbSize(2) validBits(2) dwChannelMask(4) after the 16-byte core.
    if (le16(fmt.data()) == 0xFFFE && n >= 24)
        facts->channelMask = le32(fmt.data() + 20);
}

void probeRiff(const ReadAtFn &readAt, std::int64_t fileSize, bool rf64, ContainerFacts *facts)
{
    std::uint64_t ds64DataBytes = 0;
    std::int64_t offset = 12;
    for (int i = 0; i < kMaxRiffChunks && offset + 8 <= fileSize; ++i) {
        unsigned char header[8];
        if (!readExact(readAt, offset, header, 8))
            return;
        const std::uint32_t size = le32(header + 4);
        const std::int64_t body = offset + 8;
        if (std::memcmp(header, "ds64", 4) == 0 && size >= 24) {
            unsigned char ds64[24];
            if (readExact(readAt, body, ds64, 24))
                ds64DataBytes = le64(ds64 + 8);
        } else if (std::memcmp(header, "fmt ", 4) == 0) {
            readWaveFmt(readAt, body, size, facts);
        } else if (std::memcmp(header, "data", 4) == 0) {
            facts->dataChunkFound = true;
            facts->dataOffset = body;
            if (rf64 && size == 0xFFFFFFFFu)
                facts->declaredDataBytes = std::int64_t(ds64DataBytes);
            else if (size != 0xFFFFFFFFu && size != 0)  // 0 / ~0: streaming writers that never patched the size
                facts->declaredDataBytes = size;
            return;
        }
        offset = body + std::int64_t(size) + (size & 1);
    }
}

void probeAiff(const ReadAtFn &readAt, std::int64_t fileSize, ContainerFacts *facts)
{
    std::int64_t offset = 12;
    for (int i = 0; i < kMaxRiffChunks && offset + 8 <= fileSize; ++i) {
        unsigned char header[8];
        if (!readExact(readAt, offset, header, 8))
            return;
        const std::uint32_t size = be32(header + 4);
        const std::int64_t body = offset + 8;
        if (std::memcmp(header, "SSND", 4) == 0) {
            unsigned char ssnd[8];
            facts->dataChunkFound = true;
            if (size >= 8 && readExact(readAt, body, ssnd, 8)) {
                facts->dataOffset = body + 8 + be32(ssnd);
                facts->declaredDataBytes = std::int64_t(size) - 8 - be32(ssnd);
            }
            return;
        }
        offset = body + std::int64_t(size) + (size & 1);
    }
}

void probeW64(const ReadAtFn &readAt, std::int64_t fileSize, ContainerFacts *facts)
{
    // Sony Wave64: 16-byte GUID chunk ids (first four bytes spell the FourCC), 64-bit sizes that include the
    // 24-byte header, bodies aligned to 8 bytes.
    std::int64_t offset = 40;
    for (int i = 0; i < kMaxRiffChunks && offset + 24 <= fileSize; ++i) {
        unsigned char header[24];
        if (!readExact(readAt, offset, header, 24))
            return;
        const std::uint64_t size = le64(header + 16);
        if (size < 24)
            return;
        if (std::memcmp(header, "fmt ", 4) == 0) {
            readWaveFmt(readAt, offset + 24, std::uint32_t(std::min<std::uint64_t>(size - 24, 40)), facts);
        } else if (std::memcmp(header, "data", 4) == 0) {
            facts->dataChunkFound = true;
            facts->dataOffset = offset + 24;
            facts->declaredDataBytes = std::int64_t(size - 24);
            return;
        }
        // A chunk that claims to reach past the file ends the walk (and cannot overflow the offset).
        if (size > std::uint64_t(fileSize - offset))
            return;
        offset += std::int64_t((size + 7) & ~std::uint64_t(7));
    }
}

}  // namespace

ContainerFacts probeContainer(const ReadAtFn &readAt, std::int64_t fileSize)
{
    ContainerFacts facts;
    unsigned char magic[12];
    if (fileSize < 12 || !readExact(readAt, 0, magic, 12))
        return facts;
    if (std::memcmp(magic, "RIFF", 4) == 0 && std::memcmp(magic + 8, "WAVE", 4) == 0) {
        facts.container = QStringLiteral("RIFF");
        probeRiff(readAt, fileSize, false, &facts);
    } else if ((std::memcmp(magic, "RF64", 4) == 0 || std::memcmp(magic, "BW64", 4) == 0)
               && std::memcmp(magic + 8, "WAVE", 4) == 0) {
        facts.container = QStringLiteral("RF64");
        probeRiff(readAt, fileSize, true, &facts);
    } else if (std::memcmp(magic, "FORM", 4) == 0
               && (std::memcmp(magic + 8, "AIFF", 4) == 0 || std::memcmp(magic + 8, "AIFC", 4) == 0)) {
        facts.container = std::memcmp(magic + 8, "AIFC", 4) == 0 ? QStringLiteral("AIFC") : QStringLiteral("AIFF");
        probeAiff(readAt, fileSize, &facts);
    } else if (std::memcmp(magic, "riff", 4) == 0) {
        facts.container = QStringLiteral("W64");
        probeW64(readAt, fileSize, &facts);
    }
    return facts;
}

}  // namespace stemship::io
