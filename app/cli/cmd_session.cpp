#include "cliutil.h"
#include "commands.h"

#include "io/ziparchive.h"
#include "session/deliveryreader.h"
#include "session/extraction.h"
#include "session/sessionwriter.h"
#include "templates/exportfile.h"
#include "templates/templatestore.h"
#include "templates/templatesuggest.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <memory>
#include <optional>

namespace stemship::cli {
namespace {

struct SessionOptions {
    QString zipPath;
    QString dir;
    QList<session::SessionFormat> formats;
    std::optional<templates::SessionTemplate> tmpl;
    std::optional<session::TempoMap> fallbackMap;  // --tempo / --time-signature, for zips without a manifest
    bool quiet = false;
};

int usage(const QString &line)
{
    printError(line);
    return ExitUsage;
}

// Parses and checks everything before anything is written: a bad option is exit 2 with nothing on disk.
std::optional<int> parseOptions(const QStringList &args, SessionOptions *o)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Extract a delivery and write DAW sessions beside its WAVs."));
    parser.addHelpOption();
    const QCommandLineOption out(QStringLiteral("o"), QStringLiteral("Folder to extract into (created when missing)."), QStringLiteral("DIR"));
    const QCommandLineOption tmpl(QStringLiteral("template"), QStringLiteral("Session template (bundled name or file)."), QStringLiteral("NAME|FILE"));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("dawproject,rpp,midi (default: all)."), QStringLiteral("LIST"));
    const QCommandLineOption tempo(QStringLiteral("tempo"), QStringLiteral("Tempo for a zip without a manifest."), QStringLiteral("BPM"));
    const QCommandLineOption meter(QStringLiteral("time-signature"), QStringLiteral("Time signature for a zip without a manifest."), QStringLiteral("N/D"));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("No progress."));
    parser.addOptions({out, tmpl, format, tempo, meter, quiet});
    parser.addPositionalArgument(QStringLiteral("DELIVERY.zip"), QStringLiteral("The received delivery."));
    if (!parser.parse(QStringList{QStringLiteral("stemship session")} + args))
        return usage(QStringLiteral("stemship session: ") + parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(parser.helpText());
        return ExitOk;
    }
    if (parser.positionalArguments().size() != 1 || !parser.isSet(out))
        return usage(QStringLiteral("stemship session: give one DELIVERY.zip and -o DIR"));
    o->zipPath = parser.positionalArguments().first();
    o->dir = parser.value(out);
    o->quiet = parser.isSet(quiet);
    if (!QFileInfo(o->zipPath).isFile())
        return usage(o->zipPath + QStringLiteral(": no such file"));
    Result<QList<session::SessionFormat>> formats = session::parseSessionFormats(parser.value(format));
    if (!formats)
        return usage(QStringLiteral("stemship session: ") + formats.error().what);
    o->formats = *formats;
    if (parser.isSet(tmpl)) {
        Result<templates::SessionTemplate> t = templates::loadTemplate(parser.value(tmpl));
        if (!t)
            return usage(t.error().line());
        o->tmpl = *t;
    }
    if (parser.isSet(tempo)) {
        Result<session::MeterPoint> m = session::parseTimeSignature(parser.value(meter).isEmpty() ? QStringLiteral("4/4") : parser.value(meter),
                                                                    QStringLiteral("--time-signature"));
        if (!m)
            return usage(m.error().line());
        bool ok = false;
        const double bpm = parser.value(tempo).toDouble(&ok);
        Result<session::TempoMap> map = session::TempoMap::make({session::TempoPoint{0, ok ? bpm : 0.0}}, {*m}, QStringLiteral("--tempo"));
        if (!map)
            return usage(map.error().line());
        o->fallbackMap = *map;
    }
    return std::nullopt;
}

// The template to lay the session out with: the one given, else the bundled one the stems' names suggest.
std::optional<templates::SessionTemplate> layoutTemplate(const SessionOptions &o, const session::DeliveryDescription &d)
{
    if (o.tmpl)
        return o.tmpl;
    QStringList names;
    for (const session::DeliveredFile &f : d.stems)
        names.append(f.source.isEmpty() ? f.file : QFileInfo(f.source.section(QLatin1Char('!'), -1)).fileName());
    const std::optional<templates::TemplateSuggestion> s = templates::suggestTemplate(names);
    if (!s)
        return std::nullopt;
    Result<templates::SessionTemplate> t = templates::loadTemplate(s->name);
    if (t && !o.quiet)
        printError(QStringLiteral("%1: laid out with the bundled template %2 (%3 of %4 stems named)").arg(o.zipPath, s->name).arg(s->matched).arg(s->files));
    return t ? std::optional(*t) : std::nullopt;
}

// The delivery's description from the zip's manifest, or from its WAVs and the given tempo.
Result<session::DeliveryDescription> describe(const SessionOptions &o, const session::ExtractionPlan &plan)
{
    if (!plan.entries.contains(QStringLiteral("manifest.json"))) {
        if (!o.fallbackMap)
            return Error{o.zipPath, QStringLiteral("no manifest.json (not a Stemship delivery): give --tempo and --time-signature"), QStringLiteral("usage")};
        return session::describeLooseFiles(plan.entries, o.zipPath, *o.fallbackMap);
    }
    Result<io::ZipArchive> zip = io::ZipArchive::open(o.zipPath);
    if (!zip)
        return zip.error();
    QString why;
    std::unique_ptr<QIODevice> manifest = zip->openEntry(QStringLiteral("manifest.json"), &why, 64 << 20);
    if (!manifest)
        return Error{o.zipPath + QStringLiteral("!manifest.json"), why, QStringLiteral("usage")};
    return session::readManifest(manifest->readAll(), o.zipPath + QStringLiteral("!manifest.json"));
}

}  // namespace

int runSession(const QStringList &args)
{
    SessionOptions o;
    if (const std::optional<int> early = parseOptions(args, &o))
        return *early;
    if (!QDir().mkpath(o.dir))
        return usage(o.dir + QStringLiteral(": cannot create the folder"));
    Result<session::ExtractionPlan> plan = session::planExtraction(o.zipPath, o.dir);
    if (!plan) {
        printError(plan.error().line());
        return plan.error().code == QLatin1String("unsafe_archive") ? ExitFindings : ExitUsage;
    }
    Result<session::DeliveryDescription> delivery = describe(o, *plan);
    if (!delivery)
        return usage(delivery.error().line());
    const QString base = session::sessionBaseName(delivery->title, delivery->version);
    // Session files the delivery already carries (package --session) are written afresh, not extracted.
    for (const session::SessionFormat f : o.formats) {
        const qsizetype i = plan->entries.indexOf(session::sessionFileName(base, f));
        if (i >= 0) {
            plan->entries.removeAt(i);
            plan->destinations.removeAt(i);
        }
    }
    QStringList outputs = plan->destinations;
    for (const session::SessionFormat f : o.formats)
        outputs.append(QDir(o.dir).filePath(session::sessionFileName(base, f)));
    if (const QString existing = session::firstExisting(outputs); !existing.isEmpty())
        return usage(existing + QStringLiteral(": already exists; nothing is overwritten"));

    Progress progress(QStringLiteral("Extracting"), o.quiet);
    const Status extracted = session::extractEntries(o.zipPath, *plan, &interruptToken(), [&](qint64 done, qint64 total) {
        progress.update(total > 0 ? double(done) / double(total) : 1.0);
    });
    progress.finish();
    if (interruptToken().cancelled()) {
        printError(QStringLiteral("stemship session: cancelled"));
        return ExitCancelled;
    }
    if (!extracted) {
        printError(extracted.error().line());
        return extracted.error().code == QLatin1String("usage") ? ExitUsage : ExitFindings;
    }
    QElapsedTimer timer;
    timer.start();
    if (Status probed = session::probeFiles(&*delivery, o.dir); !probed) {
        printError(probed.error().line());
        return ExitFindings;
    }
    const std::optional<templates::SessionTemplate> tmpl = layoutTemplate(o, *delivery);
    const session::SessionPlan sessionPlan = session::planSession(*delivery, tmpl ? &*tmpl : nullptr);
    for (const session::SessionFormat f : o.formats) {
        const QString path = QDir(o.dir).filePath(session::sessionFileName(base, f));
        Result<QByteArray> data = session::sessionFileData(sessionPlan, f, path);
        const Status written = data ? templates::writeFileAtomically(path, *data) : Status(data.error());
        if (!written) {
            printError(written.error().line());
            return ExitFindings;
        }
        printInfo(path + QLatin1Char('\n'));
    }
    session::syncFolder(o.dir);
    if (!o.quiet)
        printError(QStringLiteral("%1 tracks, session files built in %2 ms after extraction").arg(sessionPlan.layout.tracks.size()).arg(timer.elapsed()));
    return ExitOk;
}

}  // namespace stemship::cli
