#include "cliutil.h"
#include "commands.h"

#include "delivery/verifier.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <unistd.h>

namespace stemship::cli {

int runVerify(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Check a delivery zip in place: checksums, formats, lengths, manifest, hostile entries."));
    parser.addHelpOption();
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Write the JSON report to FILE (- = stdout)."), QStringLiteral("FILE"));
    const QCommandLineOption quietOption(QStringLiteral("quiet"), QStringLiteral("Only problems, no verdict line."));
    parser.addOptions({jsonOption, quietOption});
    parser.addPositionalArgument(QStringLiteral("DELIVERY.zip"), QStringLiteral("The delivery to check."));
    if (const auto done = parseCommandLine(parser, QStringLiteral("stemship verify"), args))
        return *done;
    const QStringList paths = parser.positionalArguments();
    if (paths.size() != 1) {
        printError(QStringLiteral("stemship verify: give exactly one DELIVERY.zip"));
        return ExitUsage;
    }
    const QString zipPath = paths.first();
    if (!QFileInfo(zipPath).isFile()) {
        printError(zipPath + QStringLiteral(": no such file"));
        return ExitUsage;
    }
    const QString jsonFile = parser.value(jsonOption);
    if (jsonFile == QLatin1String("-"))
        setHumanToStderr(true);

    // The bar only on a terminal: piped, verify's stderr stays one line per problem, as scripts read it.
    Progress progress(QStringLiteral("verify"), parser.isSet(quietOption) || !::isatty(STDERR_FILENO));
    const delivery::VerifyReport report = delivery::verifyDelivery(
        zipPath, &interruptToken(), true, [&](double fraction, const QString &stage) { progress.update(fraction, stage); });
    progress.finish();
    if (interruptToken().cancelled()) {
        printError(QStringLiteral("stemship verify: cancelled"));
        return interruptExitCode();
    }
    for (const Error &e : report.problems)
        printError(e.line());
    if (!parser.isSet(quietOption))
        printInfo(report.ok ? QStringLiteral("%1: OK, %2 files verified\n").arg(zipPath).arg(report.files.size())
                            : QStringLiteral("%1: FAILED, %2 problem(s)\n").arg(zipPath).arg(report.problems.size()));
    if (!jsonFile.isEmpty()) {
        QJsonArray problems, files;
        for (const Error &e : report.problems) {
            QJsonObject problem{{QStringLiteral("file"), e.file}, {QStringLiteral("message"), e.what}};
            if (!e.is(ErrorCode::None))
                problem.insert(QStringLiteral("code"), e.codeName());
            problems.append(problem);
        }
        for (const auto &f : report.files)
            files.append(QJsonObject{{QStringLiteral("file"), f.file}, {QStringLiteral("sha256"), QString::fromLatin1(f.sha256)},
                                     {QStringLiteral("ok"), f.ok}});
        const QJsonObject root{{QStringLiteral("tool"), QStringLiteral("stemship")},
                               {QStringLiteral("version"), QStringLiteral(STEMSHIP_VERSION)},
                               {QStringLiteral("delivery"), zipPath},
                               {QStringLiteral("ok"), report.ok},
                               {QStringLiteral("problems"), problems},
                               {QStringLiteral("files"), files}};
        if (!writeOutput(jsonFile, QJsonDocument(root).toJson(QJsonDocument::Indented)))
            return ExitUsage;
    }
    return report.ok ? ExitOk : ExitFindings;
}

}  // namespace stemship::cli
