#include "cliutil.h"
#include "commands.h"

#include "session/opensession.h"
#include "templates/templatestore.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <optional>

namespace stemship::cli {
namespace {

int usage(const QString &line)
{
    printError(line);
    return ExitUsage;
}

// Parses and checks every option before anything is written: a bad option is exit 2 with nothing on disk.
std::optional<int> parseOptions(const QStringList &args, session::OpenSessionRequest *r, bool *quietOut)
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
    if (const auto done = parseCommandLine(parser, QStringLiteral("stemship session"), args))
        return done;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(out))
        return usage(QStringLiteral("stemship session: give one DELIVERY.zip and -o DIR"));
    r->zipPath = parser.positionalArguments().first();
    r->dir = parser.value(out);
    *quietOut = parser.isSet(quiet);
    if (!QFileInfo(r->zipPath).isFile())
        return usage(r->zipPath + QStringLiteral(": no such file"));
    Result<QList<session::SessionFormat>> formats = session::parseSessionFormats(parser.value(format));
    if (!formats)
        return usage(QStringLiteral("stemship session: ") + formats.error().what);
    r->formats = *formats;
    if (parser.isSet(tmpl)) {
        Result<templates::SessionTemplate> t = templates::loadTemplate(parser.value(tmpl));
        if (!t)
            return usage(t.error().line());
        r->tmpl = *t;
    }
    if (parser.isSet(tempo)) {
        const QString signature = parser.value(meter).isEmpty() ? QStringLiteral("4/4") : parser.value(meter);
        Result<session::MeterPoint> m = session::parseTimeSignature(signature, QStringLiteral("--time-signature"));
        if (!m)
            return usage(m.error().line());
        bool ok = false;
        const double bpm = parser.value(tempo).toDouble(&ok);
        Result<session::TempoMap> map = session::TempoMap::make({session::TempoPoint{0, ok ? bpm : 0.0}}, {*m}, QStringLiteral("--tempo"));
        if (!map)
            return usage(map.error().line());
        r->fallbackMap = *map;
    }
    return std::nullopt;
}

}  // namespace

int runSession(const QStringList &args)
{
    session::OpenSessionRequest request;
    bool quiet = false;
    if (const std::optional<int> early = parseOptions(args, &request, &quiet))
        return *early;
    Progress progress(QStringLiteral("Extracting"), quiet);
    Result<session::OpenedSession> opened = session::openAsSession(request, &interruptToken(), [&](double f) { progress.update(f); });
    progress.finish();
    if (interruptToken().cancelled()) {
        printError(QStringLiteral("stemship session: cancelled, nothing written"));
        return ExitCancelled;
    }
    if (!opened) {
        printError(opened.error().line());
        return opened.error().code == ErrorCode::Usage ? ExitUsage : ExitFindings;
    }
    if (opened->templateSuggested && !quiet)
        printError(QStringLiteral("%1: laid out with the bundled template %2, whose tracks name its stems").arg(request.zipPath, opened->templateName));
    for (const QString &path : opened->sessionFiles)
        printInfo(path + QLatin1Char('\n'));
    if (!quiet)
        printError(QStringLiteral("%1 tracks, session files built in %2 ms after extraction").arg(opened->tracks).arg(opened->buildMilliseconds));
    return ExitOk;
}

}  // namespace stemship::cli
