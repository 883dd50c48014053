#include "audit/stemsource.h"

#include "io/ziparchive.h"

#include <QFileInfo>
#include <QIODevice>

namespace stemship::audit {

Result<io::AudioReader> openStemSource(const StemSource &source)
{
    if (source.zipEntry.isEmpty()) {
        // A zip given where a stem was expected: say what is wrong with the archive, not "not audio".
        if (QFileInfo(source.filePath).suffix().compare(QLatin1String("zip"), Qt::CaseInsensitive) == 0)
            if (auto archive = io::ZipArchive::open(source.filePath); !archive.ok())
                return Error{source.displayPath, archive.error().what, QStringLiteral("unreadable")};
        return io::AudioReader::open(source.filePath);
    }
    auto archive = io::ZipArchive::open(source.filePath);
    if (!archive.ok())
        return Error{source.displayPath, archive.error().what, QStringLiteral("unreadable")};
    for (const io::ZipProblem &problem : archive->hostileEntries())
        if (problem.entry == source.zipEntry || problem.entry.isEmpty())
            return Error{source.displayPath, QStringLiteral("rejected zip entry: ") + problem.what, QStringLiteral("unreadable")};
    QString why;
    std::unique_ptr<QIODevice> device = archive->openEntry(source.zipEntry, &why);
    if (!device)
        return Error{source.displayPath, QStringLiteral("cannot read zip entry: ") + why, QStringLiteral("unreadable")};
    return io::AudioReader::openDevice(std::move(device), source.displayPath);
}

}  // namespace stemship::audit
