#include "audit/archivechecks.h"

#include "audit/stemchecks.h"
#include "io/ziparchive.h"

#include <QFileInfo>

namespace stemship::audit {

void checkArchives(AuditReport *report, const QList<StemSource> &sources, const AuditSettings &settings)
{
    QStringList zips;
    for (const StemSource &source : sources)
        if (!source.zipEntry.isEmpty() && !zips.contains(source.filePath))
            zips.append(source.filePath);
    for (const QString &zipPath : zips) {
        auto archive = io::ZipArchive::open(zipPath);
        if (!archive.ok())
            continue;  // its stems are unreadable already
        const QList<io::ZipProblem> unsafe = archive->unsafeEntries();
        if (unsafe.isEmpty())
            continue;
        QStringList named;
        for (const io::ZipProblem &p : unsafe)
            named.append(QStringLiteral("'%1' (%2)").arg(oneLine(p.entry), p.what));
        addIssue(&report->issues, settings, QStringLiteral("unsafe_archive"),
                 QStringLiteral("%1 is unsafe to extract with ordinary tools: %2").arg(zipPath, named.join(QStringLiteral(", "))),
                 {zipPath});
    }
}

}  // namespace stemship::audit
