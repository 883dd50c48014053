#include "cliutil.h"
#include "commands.h"

#include "audit/reportwriters.h"
#include "audit/stemauditor.h"
#include "demo/demosession.h"
#include "templates/templatestore.h"

#include <QCommandLineParser>
#include <QDir>

namespace stemship::cli {

int runDemo(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Generate the built-in demo session, audit it, normalise and package it."));
    parser.addHelpOption();
    const QCommandLineOption outOption({QStringLiteral("o"), QStringLiteral("output")},
                                       QStringLiteral("Folder for the session and the results (default: ./stemship-demo)."), QStringLiteral("DIR"));
    const QCommandLineOption quietOption(QStringLiteral("quiet"), QStringLiteral("No progress output."));
    parser.addOptions({outOption, quietOption});
    if (!parser.parse(QStringList{QStringLiteral("stemship demo")} + args)) {
        printError(QStringLiteral("stemship demo: ") + parser.errorText());
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(parser.helpText());
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        printError(QStringLiteral("stemship demo: unexpected argument '%1'").arg(parser.positionalArguments().first()));
        return ExitUsage;
    }
    const QString out = QDir(parser.isSet(outOption) ? parser.value(outOption) : QStringLiteral("stemship-demo")).absolutePath();
    const bool quiet = parser.isSet(quietOption);

    // 1. The session, as a DAW would export it.
    auto session = demo::writeDemoSession(QDir(out).filePath(QStringLiteral("session")));
    if (!session.ok()) {
        printError(session.error().line());
        return ExitUsage;
    }
    printInfo(QStringLiteral("Demo session: %1 stems in %2\n").arg(session->files.size()).arg(session->folder));

    // 2. The audit, against the demo's template.
    audit::AuditOptions options;
    if (auto tmpl = templates::loadTemplate(session->templateName); tmpl.ok())
        options.sessionTemplate = *tmpl;
    else
        printError(QStringLiteral("stemship demo: template not used: ") + tmpl.error().line());
    QList<Error> errors;
    const auto sources = audit::collectSources({session->folder}, &errors);
    Progress progress(QStringLiteral("audit"), quiet);
    const audit::AuditReport report = audit::runAudit(sources, options, [&](int, int, double f) { progress.update(f); },
                                                      interruptToken());
    progress.finish();
    if (report.cancelled) {
        printError(QStringLiteral("stemship demo: cancelled"));
        return 130;
    }
    const QString html = QDir(out).filePath(QStringLiteral("audit.html"));
    const QString json = QDir(out).filePath(QStringLiteral("audit.json"));
    if (!writeOutput(html, audit::reportToHtml(report)) || !writeOutput(json, audit::reportToJsonBytes(report)))
        return ExitUsage;
    printInfo(audit::reportToText(report));
    printInfo(QStringLiteral("Audit report: %1\n").arg(html));
    return report.hasErrors() ? ExitFindings : ExitOk;
}

}  // namespace stemship::cli
