#include "cliutil.h"
#include "clireference.h"
#include "commands.h"

#include "audit/reportwriters.h"
#include "audit/referencecheck.h"
#include "audit/stemauditor.h"
#include "profiles/profilestore.h"
#include "templates/templatestore.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <optional>

namespace stemship::cli {
namespace {

bool outputWritable(const QString &file)
{
    if (file.isEmpty() || file == QLatin1String("-"))
        return true;
    const QFileInfo fi(file);
    const QFileInfo dir(fi.absolutePath());
    if (!dir.isDir() || !dir.isWritable() || fi.isDir()) {
        printError(file + QStringLiteral(": output not writable (") +
                   (fi.isDir() ? QStringLiteral("is a folder") : !dir.isDir() ? QStringLiteral("no such folder") : QStringLiteral("folder is read-only")) +
                   QLatin1Char(')'));
        return false;
    }
    return true;
}

std::optional<QString> optionValue(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    return parser.isSet(option) ? std::optional<QString>(parser.value(option)) : std::nullopt;
}

// Where the reports go (empty: not asked for; "-": stdout).
struct AuditOutputs {
    QString json;
    std::optional<QString> csv, html;  // set when asked for, whatever the value
    bool quiet = false;
};

// The audit's outcome: its failure, or each bad input's line on stderr, the reports written, the summary.
int finishAudit(const audit::AuditReport &report, const AuditOutputs &out)
{
    if (report.cancelled) {
        printError(QStringLiteral("stemship audit: cancelled; no report written"));
        return interruptExitCode();
    }
    if (report.failure) {
        printError(QStringLiteral("stemship audit: ") + report.failure->line() + QStringLiteral("; no report written"));
        return ExitFindings;
    }
    if (report.referenceError) {
        printError(report.referenceError->line() + QStringLiteral(" (no report written)"));
        return ExitFindings;
    }

    // Bad input files also get their one line on stderr (CLI-CONTRACT common rules), whatever the report format.
    static const QStringList kInputProblems = {QStringLiteral("unreadable"), QStringLiteral("unsupported_format"),
                                               QStringLiteral("truncated"), QStringLiteral("non_finite"),
                                               QStringLiteral("corrupt_samples")};
    for (const audit::StemReport &stem : report.stems)
        for (const audit::Issue &issue : stem.issues)
            if (kInputProblems.contains(issue.code))
                printError(stem.path + QStringLiteral(": ") + issue.message);
    if (!out.json.isEmpty() && !writeOutput(out.json, audit::reportToJsonBytes(report)))
        return ExitUsage;
    if (out.csv && !writeOutput(*out.csv, audit::reportToCsv(report)))
        return ExitUsage;
    if (out.html && !writeOutput(*out.html, audit::reportToHtml(report)))
        return ExitUsage;
    if (out.json != QLatin1String("-") || !out.quiet)
        printInfo(audit::reportToText(report));
    return report.hasErrors() ? ExitFindings : ExitOk;
}

// The options that judge the stems: template, profile, the stem sum and the reference mix.
struct JudgingOptions {
    const QCommandLineOption &tmpl, &profile, &sum, &reference, &threshold, &requireNull;
};

// Reads them into options; the exit code when one is wrong (its line printed).
std::optional<int> readJudging(const QCommandLineParser &parser, const JudgingOptions &o, audit::AuditOptions *options)
{
    if (parser.isSet(o.tmpl)) {
        auto tmpl = templates::loadTemplate(parser.value(o.tmpl));
        if (!tmpl.ok()) {
            printError(tmpl.error().line());
            return tmpl.error().code == ErrorCode::InvalidTemplate ? ExitFindings : ExitUsage;
        }
        options->sessionTemplate = *tmpl;
    }
    if (parser.isSet(o.profile)) {
        options->profile = loadProfileOrExplain(parser.value(o.profile));
        if (!options->profile)
            return ExitUsage;
    }
    options->sum = parser.isSet(o.sum);

    if (parser.isSet(o.reference)) {
        auto reference = referenceOptionsFrom(parser.value(o.reference), parser.value(o.threshold), parser.isSet(o.requireNull),
                                              QStringLiteral("audit"));
        if (!reference)
            return ExitUsage;
        options->reference = *reference;
    } else if (parser.isSet(o.threshold) || parser.isSet(o.requireNull)) {
        printError(QStringLiteral("stemship audit: --null-threshold and --require-null need --reference MIX"));
        return ExitUsage;
    }
    return std::nullopt;
}

}  // namespace

int runAudit(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Measure and check stems: files, folders (recursive) and delivery zips."));
    parser.addHelpOption();
    const QCommandLineOption templateOption(QStringLiteral("template"), QStringLiteral("Match stems to a template (bundled name or file)."), QStringLiteral("NAME|FILE"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Write the JSON report to FILE (- = stdout)."), QStringLiteral("FILE"));
    const QCommandLineOption csvOption(QStringLiteral("csv"), QStringLiteral("Write a CSV report, one row per stem."), QStringLiteral("FILE"));
    const QCommandLineOption htmlOption(QStringLiteral("html"), QStringLiteral("Write a self-contained HTML report."), QStringLiteral("FILE"));
    const QCommandLineOption jobsOption(QStringLiteral("jobs"), QStringLiteral("Stems measured in parallel (default: all cores)."), QStringLiteral("N"));
    const QCommandLineOption quietOption(QStringLiteral("quiet"), QStringLiteral("No progress output."));
    const QCommandLineOption referenceOption(QStringLiteral("reference"), QStringLiteral("Null-test the stems against the mix they came from."), QStringLiteral("MIX"));
    const QCommandLineOption thresholdOption(QStringLiteral("null-threshold"), QStringLiteral("Residual relative to the mix at or below which the null passes (default -60)."), QStringLiteral("DB"));
    const QCommandLineOption requireNullOption(QStringLiteral("require-null"), QStringLiteral("A failed null is an error (exit 1)."));
    const QCommandLineOption profileOption(QStringLiteral("profile"), QStringLiteral("Judge every file against a delivery profile (bundled name or file)."), QStringLiteral("NAME|FILE"));
    const QCommandLineOption sumOption(QStringLiteral("sum"), QStringLiteral("Also measure the stems summed on their timeline as one programme."));
    parser.addOptions({templateOption, jsonOption, csvOption, htmlOption, jobsOption, quietOption, profileOption, sumOption, referenceOption, thresholdOption, requireNullOption});
    parser.addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("Audio files, folders or delivery zips."), QStringLiteral("PATH..."));
    if (const auto done = parseCommandLine(parser, QStringLiteral("stemship audit"), args))
        return *done;
    const QStringList paths = parser.positionalArguments();
    if (paths.isEmpty()) {
        printError(QStringLiteral("stemship audit: no PATH given (try 'stemship audit --help')"));
        return ExitUsage;
    }
    int jobs = defaultJobs();
    if (parser.isSet(jobsOption)) {
        bool ok = false;
        jobs = parser.value(jobsOption).toInt(&ok);
        if (!ok || jobs < 1) {
            printError(QStringLiteral("stemship audit: --jobs takes a whole number of at least 1, not '%1'").arg(parser.value(jobsOption)));
            return ExitUsage;
        }
    }
    const QString jsonFile = parser.value(jsonOption);
    for (const QString &file : {jsonFile, parser.value(csvOption), parser.value(htmlOption)})
        if (!outputWritable(file))
            return ExitUsage;
    if (jsonFile == QLatin1String("-"))
        setHumanToStderr(true);

    audit::AuditOptions options;
    options.jobs = jobs;
    if (const std::optional<int> stop = readJudging(parser, {templateOption, profileOption, sumOption, referenceOption, thresholdOption,
                                                             requireNullOption}, &options))
        return *stop;

    QList<Error> errors;
    QList<io::StemSource> sources = io::collectSources(paths, &errors);
    if (options.reference)
        sources = audit::withoutReference(sources, options.reference->mix);
    for (const Error &error : errors)
        printError(error.line());
    if (!errors.isEmpty())
        return ExitUsage;
    if (sources.isEmpty()) {
        printError(QStringLiteral("stemship audit: no audio files found in %1").arg(paths.join(QStringLiteral(", "))));
        return ExitUsage;
    }

    Progress progress(QStringLiteral("audit"), parser.isSet(quietOption));
    const audit::AuditReport report = audit::runAudit(
        sources, options, [&](double fraction, const QString &stage) { progress.update(fraction, stage); }, interruptToken());
    progress.finish();
    return finishAudit(report, AuditOutputs{jsonFile, optionValue(parser, csvOption), optionValue(parser, htmlOption), parser.isSet(quietOption)});
}

}  // namespace stemship::cli
