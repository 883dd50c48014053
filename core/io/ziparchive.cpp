#include "io/ziparchive.h"

#include "io/zipentrydevices.h"

#include <QFile>
#include <QHash>
#include <QIODevice>

#include <algorithm>
#include <cstring>

namespace stemship::io {
namespace {

// PKWARE APPNOTE 6.3.10 §4.3: record signatures.
constexpr std::uint32_t kLocalHeaderSig = 0x04034b50;
constexpr std::uint32_t kCentralHeaderSig = 0x02014b50;
constexpr std::uint32_t kEndOfCentralDirSig = 0x06054b50;
constexpr std::uint32_t kZip64EndSig = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSig = 0x07064b50;
constexpr int kEndOfCentralDirSize = 22;
constexpr int kMaxCommentSize = 0xffff;

std::uint64_t le(const uchar *p, int bytes)
{
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

// Reads exactly n bytes at offset; false on a short read.
bool readAt(QFile &file, std::uint64_t offset, QByteArray &out, qint64 n)
{
    if (!file.seek(qint64(offset)))
        return false;
    out = file.read(n);
    return out.size() == n;
}

Error unreadable(const QString &path, const QString &what) { return Error{path, what, ErrorCode::Unreadable}; }

// Where the central directory is and how many entries it declares.
struct CentralDirectory {
    std::uint64_t entryCount = 0;
    std::uint64_t size = 0;
    std::uint64_t offset = 0;
};

// APPNOTE §4.3.16: the end record sits in the last 22 + 65535 bytes; searched backwards for its signature, and
// accepted only where its comment fits in what follows. -1 if there is none.
qint64 endRecordIn(const QByteArray &tail)
{
    for (qint64 i = tail.size() - kEndOfCentralDirSize; i >= 0; --i) {
        const auto *p = reinterpret_cast<const uchar *>(tail.constData()) + i;
        if (le(p, 4) == kEndOfCentralDirSig && i + kEndOfCentralDirSize + qint64(le(p + 20, 2)) <= tail.size())
            return i;
    }
    return -1;
}

// APPNOTE §4.3.14-15: a zip64 end record, found through the locator just before the classic end record,
// replaces the classic counts. False when a locator points at no zip64 end record.
bool readZip64End(QFile &file, std::uint64_t eocdOffset, CentralDirectory &cd)
{
    QByteArray loc;
    if (eocdOffset < 20 || !readAt(file, eocdOffset - 20, loc, 20)
        || le(reinterpret_cast<const uchar *>(loc.constData()), 4) != kZip64LocatorSig)
        return true;
    const std::uint64_t z64Offset = le(reinterpret_cast<const uchar *>(loc.constData()) + 8, 8);
    QByteArray z64;
    if (z64Offset > std::uint64_t(file.size()) || !readAt(file, z64Offset, z64, 56)
        || le(reinterpret_cast<const uchar *>(z64.constData()), 4) != kZip64EndSig)
        return false;
    const auto *z = reinterpret_cast<const uchar *>(z64.constData());
    cd.entryCount = le(z + 32, 8);
    cd.size = le(z + 40, 8);
    cd.offset = le(z + 48, 8);
    return true;
}

Result<CentralDirectory> findCentralDirectory(QFile &file, const QString &path)
{
    const std::uint64_t fileSize = std::uint64_t(file.size());
    if (fileSize < std::uint64_t(kEndOfCentralDirSize))
        return unreadable(path, QStringLiteral("not a zip archive (too short)"));
    const std::uint64_t tailSize = std::min<std::uint64_t>(fileSize, kEndOfCentralDirSize + kMaxCommentSize);
    QByteArray tail;
    if (!readAt(file, fileSize - tailSize, tail, qint64(tailSize)))
        return unreadable(path, QStringLiteral("cannot read the end of the archive"));
    const qint64 eocd = endRecordIn(tail);
    if (eocd < 0)
        return unreadable(path, QStringLiteral("not a zip archive (no end of central directory)"));
    const auto *e = reinterpret_cast<const uchar *>(tail.constData()) + eocd;
    CentralDirectory cd{le(e + 10, 2), le(e + 12, 4), le(e + 16, 4)};
    if (le(e + 4, 2) != 0 || le(e + 6, 2) != 0)
        return unreadable(path, QStringLiteral("multi-disk archives are not supported"));
    if (!readZip64End(file, fileSize - tailSize + std::uint64_t(eocd), cd))
        return unreadable(path, QStringLiteral("damaged zip64 end of central directory"));
    if (cd.offset > fileSize || cd.size > fileSize - cd.offset)
        return unreadable(path, QStringLiteral("central directory lies outside the file"));
    if (cd.entryCount > cd.size / 46 + 1)
        return unreadable(path, QStringLiteral("central directory declares more entries than it can hold"));
    return cd;
}

// The size of the central record at pos (APPNOTE §4.3.12: 46 bytes, then name, extra field and comment);
// 0 when it is not one or does not fit in the directory.
std::uint64_t centralRecordSize(const uchar *base, std::uint64_t pos, std::uint64_t cdSize)
{
    if (pos + 46 > cdSize || le(base + pos, 4) != kCentralHeaderSig)
        return 0;
    const uchar *h = base + pos;
    const std::uint64_t size = 46 + le(h + 28, 2) + le(h + 30, 2) + le(h + 32, 2);
    return pos + size > cdSize ? 0 : size;
}

// APPNOTE §4.5.3: the zip64 extra field holds, in order, the fields whose 32-bit value is 0xFFFFFFFF.
void readZip64Extra(const uchar *x, std::uint64_t extraLen, ZipEntry &entry)
{
    for (std::uint64_t xp = 0; xp + 4 <= extraLen;) {
        const std::uint64_t id = le(x + xp, 2), len = le(x + xp + 2, 2);
        if (xp + 4 + len > extraLen)
            break;
        if (id == 0x0001) {
            const uchar *f = x + xp + 4;
            std::uint64_t used = 0;
            auto take = [&](std::uint64_t &field) {
                if (field == 0xffffffffu && used + 8 <= len) {
                    field = le(f + used, 8);
                    used += 8;
                }
            };
            take(entry.size);
            take(entry.compressedSize);
            take(entry.localHeaderOffset);
        }
        xp += 4 + len;
    }
}

// One central directory record (its size already checked by centralRecordSize).
ZipEntry entryFromCentralRecord(const uchar *h)
{
    const int versionMadeBy = int(le(h + 4, 2));
    const int flags = int(le(h + 8, 2));
    const std::uint64_t nameLen = le(h + 28, 2);
    ZipEntry entry;
    const auto *rawName = reinterpret_cast<const char *>(h + 46);
    // APPNOTE §4.4.4 bit 11: the name is UTF-8.
    entry.name = (flags & 0x800) ? QString::fromUtf8(rawName, qsizetype(nameLen))
                                 : QString::fromLatin1(rawName, qsizetype(nameLen));
    entry.method = int(le(h + 10, 2));
    entry.crc32 = std::uint32_t(le(h + 16, 4));
    entry.compressedSize = le(h + 20, 4);
    entry.size = le(h + 24, 4);
    entry.externalAttributes = std::uint32_t(le(h + 38, 4));
    entry.localHeaderOffset = le(h + 42, 4);
    entry.isEncrypted = (flags & 0x1) != 0;
    entry.isDirectory = entry.name.endsWith(QLatin1Char('/'));
    // Unix "version made by" (3) keeps st_mode in the high 16 bits; S_IFLNK = 0120000.
    const bool unixMode = (versionMadeBy >> 8) == 3;
    const std::uint32_t type = (entry.externalAttributes >> 16) & 0170000;
    entry.isSymlink = unixMode && type == 0120000;
    // S_IFCHR 020000, S_IFBLK 060000, S_IFIFO 010000, S_IFSOCK 0140000: Info-ZIP's unzip -X recreates them.
    entry.isSpecial = unixMode && (type == 020000 || type == 060000 || type == 010000 || type == 0140000);
    readZip64Extra(h + 46 + nameLen, le(h + 30, 2), entry);
    return entry;
}

// Sets the entry's dataOffset from its local header (APPNOTE §4.3.7: 30 bytes, then name and extra field).
// Returns the structural problem, if any: the entry stays listed so the checks can name it.
QString locateData(QFile &file, std::uint64_t cdOffset, ZipEntry &entry)
{
    QByteArray local;
    if (entry.localHeaderOffset + 30 > cdOffset || !readAt(file, entry.localHeaderOffset, local, 30)
        || le(reinterpret_cast<const uchar *>(local.constData()), 4) != kLocalHeaderSig)
        return QStringLiteral("local header missing or damaged");
    const auto *l = reinterpret_cast<const uchar *>(local.constData());
    entry.dataOffset = entry.localHeaderOffset + 30 + le(l + 26, 2) + le(l + 28, 2);
    if (entry.dataOffset > cdOffset || entry.compressedSize > cdOffset - entry.dataOffset)
        return QStringLiteral("entry data runs past the central directory");
    return {};
}

QString throughLinkProblem() { return QStringLiteral("entry path passes through a symbolic link entry"); }

QString nameProblem(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("empty entry name");
    if (name.contains(QChar(0)))
        return QStringLiteral("entry name contains a NUL character");
    if (name.contains(QLatin1Char('\\')))
        return QStringLiteral("entry name contains a backslash");
    if (name.startsWith(QLatin1Char('/')))
        return QStringLiteral("absolute entry path");
    if (name.size() >= 2 && name.at(1) == QLatin1Char(':') && name.at(0).isLetter())
        return QStringLiteral("entry path starts with a drive letter");
    const QStringList parts = name.split(QLatin1Char('/'));
    for (const QString &part : parts)
        if (part == QLatin1String(".."))
            return QStringLiteral("entry path climbs out of the archive (..)");
    return {};
}

}  // namespace

Result<ZipArchive> ZipArchive::open(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return unreadable(path, QStringLiteral("cannot open: ") + file.errorString());
    const Result<CentralDirectory> cd = findCentralDirectory(file, path);
    if (!cd)
        return cd.error();
    QByteArray records;
    if (!readAt(file, cd->offset, records, qint64(cd->size)))
        return unreadable(path, QStringLiteral("cannot read the central directory"));

    ZipArchive archive;
    archive.m_path = path;
    archive.m_archiveSize = std::uint64_t(file.size());
    archive.m_centralDirectoryOffset = cd->offset;
    const auto *base = reinterpret_cast<const uchar *>(records.constData());
    std::uint64_t pos = 0;
    for (std::uint64_t i = 0; i < cd->entryCount; ++i) {
        const std::uint64_t recordSize = centralRecordSize(base, pos, cd->size);
        if (recordSize == 0)
            return unreadable(path, QStringLiteral("damaged central directory at entry %1").arg(i + 1));
        ZipEntry entry = entryFromCentralRecord(base + pos);
        pos += recordSize;
        if (const QString problem = locateData(file, cd->offset, entry); !problem.isEmpty())
            archive.m_structuralProblems.append({entry.name, problem});
        archive.m_entries.append(entry);
    }
    return archive;
}

const ZipEntry *ZipArchive::entry(const QString &name) const
{
    for (const ZipEntry &e : m_entries)
        if (e.name == name)
            return &e;
    return nullptr;
}

QList<ZipProblem> ZipArchive::hostileEntries(const ZipLimits &limits) const
{
    QList<ZipProblem> problems = m_structuralProblems;
    if (m_entries.size() > limits.maxEntries)
        problems.append({{}, QStringLiteral("%1 entries (limit %2)").arg(m_entries.size()).arg(limits.maxEntries)});
    QHash<QString, int> seen;  // case-folded: two names that collide on macOS or Windows are duplicates too
    std::uint64_t total = 0;
    for (const ZipEntry &e : m_entries) {
        if (const QString why = nameProblem(e.name); !why.isEmpty())
            problems.append({e.name, why});
        if (seen[e.name.toCaseFolded()]++ == 1)
            problems.append({e.name, QStringLiteral("duplicate entry name")});
        if (e.isSymlink)
            problems.append({e.name, QStringLiteral("symbolic link entry")});
        if (e.isSpecial)
            problems.append({e.name, QStringLiteral("device, FIFO or socket entry")});
        if (e.isEncrypted)
            problems.append({e.name, QStringLiteral("encrypted entry")});
        if (e.method != 0 && e.method != 8)
            problems.append({e.name, QStringLiteral("unsupported compression method %1").arg(e.method)});
        if (e.method == 0 && e.size != e.compressedSize)
            problems.append({e.name, QStringLiteral("stored entry with differing sizes (%1 vs %2 bytes)").arg(e.size).arg(e.compressedSize)});
        if (e.size > limits.maxEntrySize)
            problems.append({e.name, QStringLiteral("oversized entry: %1 bytes uncompressed").arg(e.size)});
        if (e.method == 8 && e.size > 0
            && (e.compressedSize == 0 || double(e.size) / double(e.compressedSize) > limits.maxCompressionRatio))
            problems.append({e.name, QStringLiteral("compression ratio above %1:1 (compression bomb)").arg(limits.maxCompressionRatio)});
        total += e.size;
    }
    // An entry under a symlink entry's path would be written wherever the link points when extracted.
    for (const ZipProblem &p : unsafeEntries())
        if (p.what == throughLinkProblem())
            problems.append(p);
    if (total > limits.maxTotalSize)
        problems.append({{}, QStringLiteral("archive expands to %1 bytes (limit %2)").arg(total).arg(limits.maxTotalSize)});

    // Overlapping entries (several names sharing one compressed stream) are the other classic bomb.
    QList<const ZipEntry *> byOffset;
    for (const ZipEntry &e : m_entries)
        if (e.dataOffset > 0)
            byOffset.append(&e);
    std::sort(byOffset.begin(), byOffset.end(),
              [](const ZipEntry *a, const ZipEntry *b) { return a->localHeaderOffset < b->localHeaderOffset; });
    for (qsizetype i = 1; i < byOffset.size(); ++i) {
        const ZipEntry *prev = byOffset[i - 1];
        if (prev->dataOffset + prev->compressedSize > byOffset[i]->localHeaderOffset)
            problems.append({byOffset[i]->name, QStringLiteral("entry data overlaps entry %1").arg(prev->name)});
    }
    return problems;
}

QList<ZipProblem> ZipArchive::unsafeEntries() const
{
    QList<ZipProblem> problems;
    QStringList linkPrefixes;
    for (const ZipEntry &e : m_entries)
        if (e.isSymlink)
            linkPrefixes.append(e.name.endsWith(QLatin1Char('/')) ? e.name : e.name + QLatin1Char('/'));
    for (const ZipEntry &e : m_entries) {
        if (const QString why = nameProblem(e.name); !why.isEmpty())
            problems.append({e.name, why});
        else if (e.isSymlink)
            problems.append({e.name, QStringLiteral("symbolic link entry")});
        else if (e.isSpecial)
            problems.append({e.name, QStringLiteral("device, FIFO or socket entry")});
        else if (std::any_of(linkPrefixes.cbegin(), linkPrefixes.cend(), [&](const QString &p) { return e.name.startsWith(p); }))
            problems.append({e.name, throughLinkProblem()});
    }
    return problems;
}

std::unique_ptr<QIODevice> ZipArchive::openEntry(const QString &name, QString *error, std::uint64_t maxSize) const
{
    auto fail = [&](const QString &why) -> std::unique_ptr<QIODevice> {
        if (error)
            *error = why;
        return nullptr;
    };
    const ZipEntry *found = nullptr;
    for (const ZipEntry &e : m_entries) {
        if (e.name != name)
            continue;
        if (found)
            return fail(QStringLiteral("duplicate entry name"));
        found = &e;
    }
    if (!found)
        return fail(QStringLiteral("no such entry"));
    if (found->isSymlink || found->isSpecial || found->isDirectory)
        return fail(QStringLiteral("not a regular file entry"));
    if (found->isEncrypted)
        return fail(QStringLiteral("encrypted entry"));
    // Written as a subtraction: with zip64 sizes near 2^64, dataOffset + compressedSize would wrap around.
    if (found->dataOffset == 0 || found->dataOffset > m_centralDirectoryOffset
        || found->compressedSize > m_centralDirectoryOffset - found->dataOffset)
        return fail(QStringLiteral("entry data missing or out of range"));
    if (found->size > maxSize)
        return fail(QStringLiteral("entry larger than %1 bytes").arg(maxSize));
    if (found->method == 0) {
        if (found->size != found->compressedSize)
            return fail(QStringLiteral("stored entry with differing sizes"));
        if (auto device = openStoredEntry(m_path, found->dataOffset, found->size))
            return device;
        return fail(QStringLiteral("cannot open the archive"));
    }
    if (found->method == 8) {
        if (auto device = openDeflatedEntry(m_path, found->dataOffset, found->compressedSize, found->size))
            return device;
        return fail(QStringLiteral("cannot open the archive"));
    }
    return fail(QStringLiteral("unsupported compression method %1").arg(found->method));
}

}  // namespace stemship::io
