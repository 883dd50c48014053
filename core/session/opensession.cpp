#include "opensession.h"

#include "io/ziparchive.h"
#include "session/deliveryreader.h"
#include "session/extraction.h"
#include "templates/exportfile.h"
#include "templates/templatestore.h"
#include "templates/templatesuggest.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QIODevice>

#include <memory>

namespace stemship::session {
namespace {

// The delivery's description from the zip's manifest, or from its WAVs and the given tempo.
Result<DeliveryDescription> describe(const OpenSessionRequest &r, const ExtractionPlan &plan)
{
    if (!plan.entries.contains(QStringLiteral("manifest.json"))) {
        if (!r.fallbackMap)
            return Error{r.zipPath, QStringLiteral("no manifest.json (not a Stemship delivery): give --tempo and --time-signature"), ErrorCode::Usage};
        return describeLooseFiles(plan.entries, r.zipPath, *r.fallbackMap);
    }
    Result<io::ZipArchive> zip = io::ZipArchive::open(r.zipPath);
    if (!zip)
        return Error{r.zipPath, zip.error().what, ErrorCode::Usage};
    QString why;
    std::unique_ptr<QIODevice> manifest = zip->openEntry(QStringLiteral("manifest.json"), &why, 64 << 20);
    if (!manifest)
        return Error{r.zipPath + QStringLiteral("!manifest.json"), why, ErrorCode::Usage};
    return readManifest(manifest->readAll(), r.zipPath + QStringLiteral("!manifest.json"));
}

// The template to lay the session out with: the one given, else the bundled one the stems' names suggest.
std::optional<templates::SessionTemplate> layoutTemplate(const OpenSessionRequest &r, const DeliveryDescription &d, OpenedSession *opened)
{
    if (r.tmpl) {
        opened->templateName = r.tmpl->name;
        return r.tmpl;
    }
    QStringList names;
    for (const DeliveredFile &f : d.stems)
        names.append(f.source.isEmpty() ? f.file : QFileInfo(f.source.section(QLatin1Char('!'), -1)).fileName());
    const std::optional<templates::TemplateSuggestion> s = templates::suggestTemplate(names);
    Result<templates::SessionTemplate> t = s ? templates::loadTemplate(s->name) : Result<templates::SessionTemplate>(Error{});
    if (!t)
        return std::nullopt;
    opened->templateName = s->name;
    opened->templateSuggested = true;
    return *t;
}

// Session files the delivery already carries (package --session) are written afresh, not extracted.
void dropCarriedSessionFiles(ExtractionPlan *plan, const QString &base, const QList<SessionFormat> &formats)
{
    for (const SessionFormat f : formats) {
        const qsizetype i = plan->entries.indexOf(sessionFileName(base, f));
        if (i >= 0) {
            plan->entries.removeAt(i);
            plan->destinations.removeAt(i);
        }
    }
}

Status writeSessionFiles(const SessionPlan &plan, const OpenSessionRequest &r, const QString &base, OpenedSession *opened)
{
    for (const SessionFormat f : r.formats) {
        const QString path = QDir(r.dir).filePath(sessionFileName(base, f));
        Result<QByteArray> data = sessionFileData(plan, f, path);
        if (!data)
            return data.error();
        if (Status written = templates::writeFileAtomically(path, *data); !written)
            return written;
        opened->sessionFiles.append(path);
    }
    return syncFolder(r.dir) ? Status() : Status(Error{r.dir, QStringLiteral("cannot flush the folder to disk"), ErrorCode::Unwritable});
}

}  // namespace

Result<OpenedSession> openAsSession(const OpenSessionRequest &request, const CancelToken *cancel, const std::function<void(double)> &progress)
{
    OpenSessionRequest r = request;
    if (r.formats.isEmpty())
        r.formats = *parseSessionFormats(QString());
    if (!QFileInfo(r.zipPath).isFile())
        return Error{r.zipPath, QStringLiteral("no such file"), ErrorCode::Usage};
    if (!QDir().mkpath(r.dir))
        return Error{r.dir, QStringLiteral("cannot create the folder"), ErrorCode::Usage};
    Result<ExtractionPlan> plan = planExtraction(r.zipPath, r.dir);
    if (!plan)
        return plan.error();
    Result<DeliveryDescription> delivery = describe(r, *plan);
    if (!delivery)
        return delivery.error();
    const QString base = sessionBaseName(delivery->title, delivery->version);
    dropCarriedSessionFiles(&*plan, base, r.formats);
    QStringList outputs = plan->destinations;
    for (const SessionFormat f : r.formats)
        outputs.append(QDir(r.dir).filePath(sessionFileName(base, f)));
    if (const QString existing = firstExisting(outputs); !existing.isEmpty())
        return Error{existing, QStringLiteral("already exists; nothing is overwritten"), ErrorCode::Usage};
    if (Status extracted = extractEntries(r.zipPath, *plan, cancel, [&](qint64 done, qint64 total) {
            if (progress)
                progress(total > 0 ? double(done) / double(total) : 1.0);
        }); !extracted)
        return extracted.error();
    OpenedSession opened;
    QElapsedTimer timer;
    timer.start();
    const auto undo = [&](const Error &e) {
        for (const QString &path : plan->destinations + opened.sessionFiles)
            QFile::remove(path);
        return e;
    };
    if (Status probed = probeFiles(&*delivery, r.dir); !probed)
        return undo(probed.error());
    const std::optional<templates::SessionTemplate> tmpl = layoutTemplate(r, *delivery, &opened);
    const SessionPlan sessionPlan = planSession(*delivery, tmpl ? &*tmpl : nullptr);
    if (Status written = writeSessionFiles(sessionPlan, r, base, &opened); !written)
        return undo(written.error());
    opened.tracks = int(sessionPlan.layout.tracks.size());
    opened.buildMilliseconds = timer.elapsed();
    return opened;
}

}  // namespace stemship::session
