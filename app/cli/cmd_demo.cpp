#include "cliutil.h"
#include "commands.h"

#include "audit/reportwriters.h"
#include "audit/stemauditor.h"
#include "delivery/packager.h"
#include "delivery/verifier.h"
#include "demo/demosession.h"
#include "templates/templatestore.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

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
    const auto sources = io::collectSources({session->folder}, &errors);
    Progress progress(QStringLiteral("audit"), quiet);
    const audit::AuditReport report = audit::runAudit(sources, options, [&](double f, const QString &) { progress.update(f); },
                                                      interruptToken());
    progress.finish();
    if (report.cancelled) {
        printError(QStringLiteral("stemship demo: cancelled"));
        return interruptExitCode();
    }
    const QString html = QDir(out).filePath(QStringLiteral("audit.html"));
    const QString json = QDir(out).filePath(QStringLiteral("audit.json"));
    if (!writeOutput(html, audit::reportToHtml(report)) || !writeOutput(json, audit::reportToJsonBytes(report)))
        return ExitUsage;
    printInfo(audit::reportToText(report));
    printInfo(QStringLiteral("Audit report: %1\n\n").arg(html));
    if (report.hasErrors()) {
        printError(QStringLiteral("stemship demo: the audit found errors; not packaging"));
        return ExitFindings;
    }

    // 3. Gain staging to the template's targets (peaks near -18 dBFS, drums -12) and the delivery.
    delivery::DeliverySpec spec;
    spec.sources = sources;
    spec.outputPath = QDir(out).filePath(QStringLiteral("Stemship Demo v1 stems.zip"));
    spec.sessionTemplate = options.sessionTemplate;
    spec.title = session->title;
    spec.version = QStringLiteral("1");
    spec.tempoBpm = session->tempoBpm;
    spec.timeSignature.numerator = session->timeSignature.numerator;
    spec.timeSignature.denominator = session->timeSignature.denominator;
    spec.barOneSeconds = session->barOneSeconds;
    spec.gainMode = gain::GainMode::Peak;
    spec.tailSeconds = 1.0;
    spec.auditFindings = report.findingLines();
    Progress packaging(QStringLiteral("package"), quiet);
    auto delivered = delivery::packageStems(spec, [&](double f, const QString &stage) { packaging.update(f, stage); },
                                            interruptToken());
    packaging.finish();
    if (!delivered.ok()) {
        printError(delivered.error().line());
        return interruptToken().cancelled() ? interruptExitCode() : ExitFindings;
    }
    for (const delivery::DeliveredStem &stem : delivered->stems)
        printInfo(QStringLiteral("  %1  gain %2 dB  peak %3 dBFS%4\n")
                      .arg(stem.file, -28)
                      .arg(stem.gainDb, 6, 'f', 2)
                      .arg(stem.samplePeakDbfs, 6, 'f', 1)
                      .arg(stem.limitedByCeiling ? QStringLiteral("  (limited by the ceiling)") : QString()));

    // 4. The engineer's side: verify what was delivered.
    const delivery::VerifyReport verified = delivery::verifyDelivery(delivered->outputPath);
    for (const Error &problem : verified.problems)
        printError(problem.line());
    printInfo(QStringLiteral("\nDelivery: %1 (%2 stems, preroll %3 bar%4) — verify: %5\n")
                  .arg(delivered->outputPath).arg(delivered->stems.size()).arg(delivered->timeline.prerollBars)
                  .arg(delivered->timeline.prerollBars == 1 ? QString() : QStringLiteral("s"))
                  .arg(verified.ok ? QStringLiteral("OK") : QStringLiteral("FAILED")));
    return verified.ok ? ExitOk : ExitFindings;
}

}  // namespace stemship::cli
