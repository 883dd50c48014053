#include "cliutil.h"
#include "commands.h"

#include "audit/reportwriters.h"
#include "audit/stemauditor.h"
#include "delivery/packager.h"
#include "delivery/verifier.h"
#include "demo/demosession.h"
#include "templates/templatestore.h"
#include "util/counted.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

namespace stemship::cli {
namespace {

struct DemoOptions {
    QString out;  // absolute folder for the session and the results
    bool quiet = false;
};

std::optional<int> parseDemoOptions(const QStringList &args, DemoOptions *options)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Generate the built-in demo session, audit it, normalise and package it."));
    parser.addHelpOption();
    const QCommandLineOption outOption({QStringLiteral("o"), QStringLiteral("output")},
                                       QStringLiteral("Folder for the session and the results (default: ./stemship-demo)."), QStringLiteral("DIR"));
    const QCommandLineOption quietOption(QStringLiteral("quiet"), QStringLiteral("No progress output."));
    parser.addOptions({outOption, quietOption});
    if (const auto done = parseCommandLine(parser, QStringLiteral("stemship demo"), args))
        return done;
    if (!parser.positionalArguments().isEmpty()) {
        printError(QStringLiteral("stemship demo: unexpected argument '%1'").arg(parser.positionalArguments().first()));
        return ExitUsage;
    }
    options->out = QDir(parser.isSet(outOption) ? parser.value(outOption) : QStringLiteral("stemship-demo")).absolutePath();
    options->quiet = parser.isSet(quietOption);
    return std::nullopt;
}

// The audit against the demo's template, its reports written beside the session. The exit code when the demo
// stops here (cancelled, a report not written, errors found).
std::optional<int> auditDemo(const DemoOptions &o, const QList<io::StemSource> &sources, const audit::AuditOptions &options,
                             audit::AuditReport *report)
{
    Progress progress(QStringLiteral("audit"), o.quiet);
    *report = audit::runAudit(sources, options, [&](double f, const QString &) { progress.update(f); }, interruptToken());
    progress.finish();
    if (report->cancelled) {
        printError(QStringLiteral("stemship demo: cancelled"));
        return interruptExitCode();
    }
    const QString html = QDir(o.out).filePath(QStringLiteral("audit.html"));
    const QString json = QDir(o.out).filePath(QStringLiteral("audit.json"));
    if (!writeOutput(html, audit::reportToHtml(*report)) || !writeOutput(json, audit::reportToJsonBytes(*report)))
        return ExitUsage;
    printInfo(audit::reportToText(*report));
    printInfo(QStringLiteral("Audit report: %1\n\n").arg(html));
    if (report->hasErrors()) {
        printError(QStringLiteral("stemship demo: the audit found errors; not packaging"));
        return ExitFindings;
    }
    return std::nullopt;
}

// Gain staging to the template's targets (peaks near -18 dBFS, drums -12) and one bar of count-in.
delivery::DeliverySpec demoSpec(const demo::DemoSession &session, const QString &out)
{
    delivery::DeliverySpec spec;
    spec.outputPath = QDir(out).filePath(QStringLiteral("Stemship Demo v1 stems.zip"));
    spec.title = session.title;
    spec.version = QStringLiteral("1");
    spec.tempoBpm = session.tempoBpm;
    spec.timeSignature.numerator = session.timeSignature.numerator;
    spec.timeSignature.denominator = session.timeSignature.denominator;
    spec.barOneSeconds = session.barOneSeconds;
    spec.gainMode = gain::GainMode::Peak;
    spec.tailSeconds = 1.0;
    return spec;
}

void printDeliveredStems(const delivery::DeliveryResult &delivered)
{
    for (const delivery::DeliveredStem &stem : delivered.stems)
        printInfo(QStringLiteral("  %1  gain %2 dB  peak %3 dBFS%4\n")
                      .arg(stem.file, -28)
                      .arg(stem.gainDb, 6, 'f', 2)
                      .arg(stem.samplePeakDbfs, 6, 'f', 1)
                      .arg(stem.limitedByCeiling ? QStringLiteral("  (limited by the ceiling)") : QString()));
}

// The engineer's side: verify what was delivered.
int verifyDemo(const delivery::DeliveryResult &delivered)
{
    const delivery::VerifyReport verified = delivery::verifyDelivery(delivered.outputPath);
    for (const Error &problem : verified.problems)
        printError(problem.line());
    printInfo(QStringLiteral("\nDelivery: %1 (%2, preroll %3) — verify: %4\n")
                  .arg(delivered.outputPath, counted(delivered.stems.size(), QStringLiteral("stem")),
                       counted(delivered.timeline.prerollBars, QStringLiteral("bar")),
                       verified.ok ? QStringLiteral("OK") : QStringLiteral("FAILED")));
    return verified.ok ? ExitOk : ExitFindings;
}

}  // namespace

int runDemo(const QStringList &args)
{
    DemoOptions o;
    if (const auto done = parseDemoOptions(args, &o))
        return *done;

    // 1. The session, as a DAW would export it.
    auto session = demo::writeDemoSession(QDir(o.out).filePath(QStringLiteral("session")));
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
    audit::AuditReport report;
    if (const auto stop = auditDemo(o, sources, options, &report))
        return *stop;

    // 3. The delivery.
    delivery::DeliverySpec spec = demoSpec(*session, o.out);
    spec.sources = sources;
    spec.sessionTemplate = options.sessionTemplate;
    spec.auditFindings = report.findingLines();
    Progress packaging(QStringLiteral("package"), o.quiet);
    auto delivered = delivery::packageStems(spec, [&](double f, const QString &stage) { packaging.update(f, stage); },
                                            interruptToken());
    packaging.finish();
    if (!delivered.ok()) {
        printError(delivered.error().line());
        return interruptToken().cancelled() ? interruptExitCode() : ExitFindings;
    }
    printDeliveredStems(*delivered);
    return verifyDemo(*delivered);
}

}  // namespace stemship::cli
