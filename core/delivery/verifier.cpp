#include "delivery/verifier.h"

#include "io/filedigest.h"
#include "delivery/manifest.h"
#include "delivery/metadatacheck.h"
#include "io/audioreader.h"
#include "io/ziparchive.h"
#include "util/parallel.h"

#include <QIODevice>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <atomic>

#include <vector>

namespace stemship::delivery {
namespace {

constexpr std::uint64_t kMaxManifestBytes = 16u << 20;

struct FileCheck {
    VerifiedFile result;
    QList<Error> problems;
};

FileCheck checkFile(const io::ZipArchive &zip, const io::ZipEntry &entry, const ManifestFile &listed,
                    const Manifest &manifest, const CancelToken *cancel, bool checksums)
{
    FileCheck check;
    check.result.file = entry.name;
    const QString where = zip.path() + QLatin1Char('!') + entry.name;
    auto problem = [&](const QString &what) { check.problems.append(Error{where, what, {}}); };

    QString why;
    auto device = zip.openEntry(entry.name, &why);
    if (!device) {
        problem(QStringLiteral("cannot read: ") + why);
        return check;
    }
    io::Sha256 hash;
    std::uint32_t crc = 0;
    std::vector<char> buffer(std::size_t(1) << 20);
    std::uint64_t bytes = 0;
    for (;;) {
        if (cancel && cancel->cancelled())
            return check;
        const qint64 got = device->read(buffer.data(), qint64(buffer.size()));
        if (got < 0) {
            problem(QStringLiteral("read error at byte %1").arg(bytes));
            return check;
        }
        if (got == 0)
            break;
        if (checksums)
            hash.add(buffer.data(), std::size_t(got));
        crc = io::crc32Update(crc, buffer.data(), std::size_t(got));
        bytes += std::uint64_t(got);
    }
    check.result.sha256 = checksums ? hash.hex() : listed.sha256;
    if (bytes != entry.size)
        problem(QStringLiteral("entry holds %1 bytes, the zip says %2").arg(bytes).arg(entry.size));
    if (crc != entry.crc32)
        problem(QStringLiteral("CRC-32 mismatch (damaged in the zip)"));
    if (check.result.sha256 != listed.sha256)
        problem(QStringLiteral("SHA-256 mismatch: manifest says %1, file is %2")
                    .arg(QString::fromLatin1(listed.sha256), QString::fromLatin1(check.result.sha256)));
    if (!listed.isAudio) {
        check.result.ok = check.problems.isEmpty();
        return check;
    }

    auto reader = io::AudioReader::openDevice(zip.openEntry(entry.name), where);
    if (!reader) {
        problem(QStringLiteral("not readable as audio: ") + reader.error().what);
        return check;
    }
    const io::AudioInfo &info = reader->info();
    if (info.format != QLatin1String("WAV") && info.format != QLatin1String("RF64"))
        problem(QStringLiteral("format %1, expected WAV").arg(info.format));
    if (info.sampleRateHz != manifest.sampleRateHz)
        problem(QStringLiteral("sample rate %1 Hz, manifest says %2 Hz").arg(info.sampleRateHz).arg(manifest.sampleRateHz));
    if (info.isFloat || info.bitDepth.value_or(0) != manifest.bitDepth)
        problem(QStringLiteral("%1, manifest says %2-bit PCM").arg(info.sampleFormat).arg(manifest.bitDepth));
    if (info.truncated)
        problem(QStringLiteral("truncated: ") + info.truncationDetail);
    if (listed.frames && info.frames != *listed.frames)
        problem(QStringLiteral("%1 frames, manifest says %2").arg(info.frames).arg(*listed.frames));
    if (info.frames != manifest.lengthFrames)
        problem(QStringLiteral("%1 frames, the delivery is %2 frames long").arg(info.frames).arg(manifest.lengthFrames));
    for (const QString &line : info.metadataProblems)
        problem(line);
    if (info.bext)
        check.result.umid = io::umidToHex(info.bext->umid);
    if (checksums) {
        if (check.result.umid.isEmpty())
            problem(QStringLiteral("no UMID in the bext chunk"));
        for (const QString &line : checkLoudnessFields(*reader, cancel))
            problem(line);
    }
    check.result.ok = check.problems.isEmpty();
    return check;
}

QString entryPath(const QString &zipPath, const QString &name) { return zipPath + QLatin1Char('!') + name; }

// Entries unsafe to extract with ordinary tools first (`unsafe_archive`), then the other hostile ones. True when
// there are any: nothing more is read from such an archive.
bool reportHostileEntries(const io::ZipArchive &zip, VerifyReport &report)
{
    const QString &zipPath = report.zipPath;
    const QList<io::ZipProblem> unsafe = zip.unsafeEntries();
    QSet<QString> named;
    for (const io::ZipProblem &p : unsafe) {
        report.problems.append(Error{entryPath(zipPath, p.entry), QStringLiteral("unsafe to extract: ") + p.what, ErrorCode::UnsafeArchive});
        named.insert(p.entry);
    }
    const QList<io::ZipProblem> hostile = zip.hostileEntries();
    for (const io::ZipProblem &p : hostile)
        if (p.entry.isEmpty() || !named.contains(p.entry))
            report.problems.append(Error{p.entry.isEmpty() ? zipPath : entryPath(zipPath, p.entry), p.what, ErrorCode::Hostile});
    return !hostile.isEmpty() || !unsafe.isEmpty();
}

// manifest.json parsed, NOTES.txt present; nullopt (with the problems reported) when there is no manifest to go by.
std::optional<Manifest> readManifest(const io::ZipArchive &zip, VerifyReport &report)
{
    const QString manifestPath = entryPath(report.zipPath, QStringLiteral("manifest.json"));
    if (!zip.entry(QStringLiteral("manifest.json"))) {
        report.problems.append(Error{manifestPath, QStringLiteral("missing"), {}});
        return std::nullopt;
    }
    if (!zip.entry(QStringLiteral("NOTES.txt")))
        report.problems.append(Error{entryPath(report.zipPath, QStringLiteral("NOTES.txt")), QStringLiteral("missing"), {}});
    QString why;
    auto manifestDevice = zip.openEntry(QStringLiteral("manifest.json"), &why, kMaxManifestBytes);
    if (!manifestDevice) {
        report.problems.append(Error{manifestPath, QStringLiteral("cannot read: ") + why, {}});
        return std::nullopt;
    }
    QStringList manifestProblems;
    std::optional<Manifest> manifest = parseManifest(manifestDevice->readAll(), &manifestProblems);
    for (const QString &line : manifestProblems)
        report.problems.append(Error{manifestPath, line.section(QStringLiteral(": "), 1), {}});
    return manifest;
}

}  // namespace

VerifyReport verifyDelivery(const QString &zipPath, const CancelToken *cancel, bool checksums, const ProgressFn &progress)
{
    VerifyReport report;
    report.zipPath = zipPath;
    auto archive = io::ZipArchive::open(zipPath);
    if (!archive) {
        report.problems.append(archive.error());
        return report;
    }
    const io::ZipArchive &zip = *archive;
    if (reportHostileEntries(zip, report))
        return report;  // read nothing more from a hostile archive
    const std::optional<Manifest> manifest = readManifest(zip, report);
    if (!manifest)
        return report;

    QSet<QString> listed;
    QList<std::pair<const io::ZipEntry *, ManifestFile>> toCheck;
    for (const ManifestFile &f : manifest->files) {
        if (listed.contains(f.file))
            report.problems.append(Error{entryPath(zipPath, f.file), QStringLiteral("listed twice in manifest.json"), {}});
        listed.insert(f.file);
        const io::ZipEntry *e = zip.entry(f.file);
        if (!e)
            report.problems.append(Error{entryPath(zipPath, f.file), QStringLiteral("listed in manifest.json but missing from the zip"), {}});
        else
            toCheck.append({e, f});
    }
    for (const io::ZipEntry &e : zip.entries()) {
        if (e.isDirectory || e.name == QLatin1String("manifest.json") || e.name == QLatin1String("NOTES.txt"))
            continue;
        if (!listed.contains(e.name))
            report.problems.append(Error{entryPath(zipPath, e.name), QStringLiteral("in the zip but not listed in manifest.json"), {}});
    }

    // Files are independent: check them in parallel (each device has its own file handle).
    std::vector<FileCheck> checks(std::size_t(toCheck.size()));
    std::atomic<int> filesDone{0};
    const auto reportProgress = [&] {
        if (progress)
            progress(double(filesDone.load()) / std::max<qsizetype>(1, toCheck.size()),
                     QStringLiteral("%1/%2 files").arg(filesDone.load()).arg(toCheck.size()));
    };
    const Status checked = parallelFor(int(toCheck.size()), 0, [&](int i) {
        const auto &p = toCheck.at(i);
        checks[std::size_t(i)] = checkFile(zip, *p.first, p.second, *manifest, cancel, checksums);
        filesDone.fetch_add(1);
    }, reportProgress);
    reportProgress();
    if (!checked)
        report.problems.append(Error{zipPath, QStringLiteral("could not check every file: ") + checked.error().what, {}});
    QHash<QString, QString> umidOwner;
    for (const FileCheck &c : checks) {
        report.files.append(c.result);
        report.problems.append(c.problems);
        if (c.result.umid.isEmpty())
            continue;
        // SMPTE ST 330: a UMID names one file; Pro Tools warns on importing two files that share one.
        if (const auto it = umidOwner.constFind(c.result.umid); it != umidOwner.constEnd())
            report.problems.append(Error{entryPath(zipPath, c.result.file), QStringLiteral("UMID %1 is also the UMID of %2").arg(c.result.umid, *it), {}});
        else
            umidOwner.insert(c.result.umid, c.result.file);
    }
    report.ok = report.problems.isEmpty() && !(cancel && cancel->cancelled());
    return report;
}

}  // namespace stemship::delivery
