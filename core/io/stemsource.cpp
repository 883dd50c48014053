#include "io/stemsource.h"

#include "io/ziparchive.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QHash>
#include <QIODevice>

#include <algorithm>

namespace stemship::io {

namespace {

// relative: the zip's path relative to the argument it was found under.
void collectZip(const QString &path, const QString &relative, QList<StemSource> *sources)
{
    auto archive = ZipArchive::open(path);
    if (!archive.ok()) {
        // An existing zip that cannot be read is a finding on that file, reported as a stem.
        sources->append(StemSource{path, path, QString(), relative});
        return;
    }
    for (const ZipEntry &entry : archive->entries())
        if (!entry.isDirectory && hasAudioExtension(entry.name))
            sources->append(StemSource{path + QLatin1Char('!') + entry.name, path, entry.name, relative + QLatin1Char('!') + entry.name});
}

}  // namespace

const QStringList &audioExtensions()
{
    static const QStringList kExtensions = {
        QStringLiteral("wav"), QStringLiteral("wave"), QStringLiteral("bwf"), QStringLiteral("rf64"),
        QStringLiteral("w64"), QStringLiteral("aif"), QStringLiteral("aiff"), QStringLiteral("aifc"),
        QStringLiteral("flac"), QStringLiteral("caf"), QStringLiteral("ogg"), QStringLiteral("oga"),
        QStringLiteral("opus"), QStringLiteral("au"), QStringLiteral("snd"), QStringLiteral("mp3"),
        QStringLiteral("m4a"), QStringLiteral("wv"), QStringLiteral("sd2"), QStringLiteral("alac"),
    };
    return kExtensions;
}

bool extensionFitsFormat(const QString &fileName, const QString &format)
{
    static const QHash<QString, QStringList> kExtensionsOf = {
        {QStringLiteral("WAV"), {QStringLiteral("wav"), QStringLiteral("wave"), QStringLiteral("bwf")}},
        {QStringLiteral("RF64"), {QStringLiteral("rf64"), QStringLiteral("wav"), QStringLiteral("wave"), QStringLiteral("bwf")}},
        {QStringLiteral("W64"), {QStringLiteral("w64")}},
        {QStringLiteral("AIFF"), {QStringLiteral("aif"), QStringLiteral("aiff")}},
        {QStringLiteral("AIFC"), {QStringLiteral("aifc"), QStringLiteral("aif"), QStringLiteral("aiff")}},
        {QStringLiteral("FLAC"), {QStringLiteral("flac")}},
        {QStringLiteral("CAF"), {QStringLiteral("caf"), QStringLiteral("alac")}},
        {QStringLiteral("OGG"), {QStringLiteral("ogg"), QStringLiteral("oga"), QStringLiteral("opus")}},
        {QStringLiteral("AU"), {QStringLiteral("au"), QStringLiteral("snd")}},
        {QStringLiteral("MPEG"), {QStringLiteral("mp3")}},
    };
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    const auto fits = kExtensionsOf.constFind(format);
    return !audioExtensions().contains(suffix) || fits == kExtensionsOf.cend() || fits->contains(suffix);
}

bool isZipPath(const QString &path) { return QFileInfo(path).suffix().compare(QLatin1String("zip"), Qt::CaseInsensitive) == 0; }

bool hasAudioExtension(const QString &fileName) { return audioExtensions().contains(QFileInfo(fileName).suffix().toLower()); }

QList<StemSource> collectSources(const QStringList &paths, QList<Error> *errors)
{
    QList<StemSource> sources;
    for (const QString &path : paths) {
        const QFileInfo fi(path);
        if (!fi.exists() && !fi.isSymLink()) {
            errors->append(Error{path, QStringLiteral("no such file or folder"), ErrorCode::NotFound});
            continue;
        }
        if (fi.isDir()) {
            QStringList files;
            // QDir::System too: a FIFO or device named like audio is reported as unreadable, never skipped.
            // A folder named like audio ("Kick.wav/") is reported too (its contents are still searched).
            QDirIterator it(path, QDir::Files | QDir::Dirs | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString file = it.next();
                if (hasAudioExtension(file) || (isZipPath(file) && !it.fileInfo().isDir()))
                    files.append(file);
            }
            std::sort(files.begin(), files.end(), [](const QString &a, const QString &b) {
                return QString::localeAwareCompare(a, b) < 0;
            });
            const QDir argument(path);
            for (const QString &file : files) {
                const QString relative = argument.relativeFilePath(file);
                if (isZipPath(file))
                    collectZip(file, relative, &sources);
                else
                    sources.append(StemSource{file, file, QString(), relative});
            }
        } else if (isZipPath(path)) {
            collectZip(path, fi.fileName(), &sources);
        } else {
            sources.append(StemSource{path, path, QString(), fi.fileName()});
        }
    }
    return sources;
}

QString deliveredSourceName(const StemSource &source)
{
    if (!source.relativePath.isEmpty())
        return source.relativePath;
    const QString file = QFileInfo(source.filePath).fileName();
    return source.zipEntry.isEmpty() ? file : file + QLatin1Char('!') + source.zipEntry;
}

Result<AudioReader> openStemSource(const StemSource &source)
{
    if (source.zipEntry.isEmpty()) {
        // A zip given where a stem was expected: say what is wrong with the archive, not "not audio".
        if (isZipPath(source.filePath))
            if (auto archive = ZipArchive::open(source.filePath); !archive.ok())
                return Error{source.displayPath, archive.error().what, ErrorCode::Unreadable};
        return AudioReader::open(source.filePath);
    }
    auto archive = ZipArchive::open(source.filePath);
    if (!archive.ok())
        return Error{source.displayPath, archive.error().what, ErrorCode::Unreadable};
    for (const ZipProblem &problem : archive->hostileEntries())
        if (problem.entry == source.zipEntry || problem.entry.isEmpty())
            return Error{source.displayPath, QStringLiteral("rejected zip entry: ") + problem.what, ErrorCode::Unreadable};
    QString why;
    std::unique_ptr<QIODevice> device = archive->openEntry(source.zipEntry, &why);
    if (!device)
        return Error{source.displayPath, QStringLiteral("cannot read zip entry: ") + why, ErrorCode::Unreadable};
    return AudioReader::openDevice(std::move(device), source.displayPath);
}

}  // namespace stemship::io
