#include "cliutil.h"
#include "clireference.h"
#include "commands.h"

#include "audit/referencecheck.h"
#include "audit/stemauditor.h"
#include "delivery/packager.h"
#include "session/deliverysession.h"
#include "session/tempomapimport.h"
#include "delivery/referencenull.h"
#include "delivery/profilegate.h"
#include "templates/templatestore.h"
#include "util/counted.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QRegularExpression>

#include <cmath>
#include <limits>
#include <optional>

namespace stemship::cli {
namespace {

bool parseNumber(const QString &text, double *value)
{
    bool ok = false;
    *value = text.toDouble(&ok);
    return ok && std::isfinite(*value);
}

// The job's outcome on the terminal: one summary line (and the null verdict), or the one line of its failure.
int reportDelivery(const delivery::DeliverySpec &spec, const Result<delivery::DeliveryResult> &result)
{
    if (!result) {
        const Error &e = result.error();
        printError(e.code == ErrorCode::Cancelled ? QStringLiteral("stemship package: cancelled, nothing written")
                                                        : e.line());
        if (e.code == ErrorCode::Cancelled)
            return interruptExitCode();
        return e.code == ErrorCode::Usage ? ExitUsage : ExitFindings;
    }
    const delivery::DeliveryResult &r = *result;
    int limited = 0, silent = 0;
    for (const auto &s : r.stems) {
        limited += s.limitedByCeiling;
        silent += s.silent;
    }
    QString summary = QStringLiteral("%1: %2, %3, %4 Hz / %5-bit")
                          .arg(spec.outputPath, counted(r.stems.size(), QStringLiteral("stem")), counted(r.timeline.bars, QStringLiteral("bar"))).arg(spec.sampleRateHz).arg(spec.bitDepth);
    if (r.timeline.prerollBars > 0)
        summary += QStringLiteral(", %1 preroll").arg(counted(r.timeline.prerollBars, QStringLiteral("bar")));
    if (limited)
        summary += QStringLiteral(", %1 limited by the ceiling").arg(limited);
    if (silent)
        summary += QStringLiteral(", %1 silent").arg(silent);
    if (!r.skipped.isEmpty())
        summary += QStringLiteral(", %1 skipped").arg(r.skipped.size());
    if (spec.profile)
        summary += QStringLiteral(", profile %1 met").arg(spec.profile->name);
    printInfo(summary + QLatin1Char('\n'));
    if (r.reference && r.reference->null)
        printInfo(delivery::nullNotes(r).join(QLatin1Char('\n')) + QLatin1Char('\n'));
    for (const auto &s : r.skipped)
        printError(s.source + QStringLiteral(": skipped: ") + s.reason);
    return ExitOk;
}

// The command line of `stemship package`: its options, and each group of them read into the spec. A reader
// prints the one line of a usage error and returns false.
class PackageCommandLine {
public:
    PackageCommandLine() { addOptions(); }

    // Nothing to go on, or the exit code to stop with (help printed, or a usage error printed).
    std::optional<int> parse(const QStringList &args);
    bool readOutput(delivery::DeliverySpec &spec) const;
    bool readTempo(delivery::DeliverySpec &spec) const;
    bool readNamesAndPlacement(delivery::DeliverySpec &spec) const;
    bool readLevels(delivery::DeliverySpec &spec) const;
    bool readFormat(delivery::DeliverySpec &spec) const;
    bool readReference(delivery::DeliverySpec &spec) const;
    bool readTemplateAndProfile(delivery::DeliverySpec &spec) const;
    bool readSources(delivery::DeliverySpec &spec) const;
    bool readSessionFiles(const delivery::DeliverySpec &spec, delivery::DeliveryHooks &hooks) const;
    bool quiet() const { return parser.isSet(m_quiet); }

private:
    static QCommandLineOption option(const char *name, const char *help, const char *value = nullptr)
    {
        return value ? QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(value))
                     : QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help));
    }
    static bool usage(const QString &line)
    {
        printError(QStringLiteral("stemship package: ") + line);
        return false;
    }
    void addOptions();
    bool number(const QCommandLineOption &o, double *value, const char *what) const;
    bool integer(const QCommandLineOption &o, int *value, const QString &expected, int low, int high) const;

    QCommandLineParser parser;
    const QCommandLineOption m_out{{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("The delivery zip to write."), QStringLiteral("OUT.zip")};
    const QCommandLineOption m_tempo = option("tempo", "Session tempo in BPM (quarter notes).", "BPM");
    const QCommandLineOption m_timeSig = option("time-signature", "Time signature, e.g. 4/4.", "N/D");
    const QCommandLineOption m_version = option("version", "Delivery version, e.g. v3.", "V");
    const QCommandLineOption m_template = option("template", "Session template (bundled name or file).", "NAME|FILE");
    const QCommandLineOption m_title = option("title", "Title (default: the template's).", "TEXT");
    const QCommandLineOption m_barOne = option("bar-one", "Where bar one sits on the session timeline (default 0).", "SECONDS");
    const QCommandLineOption m_gain = option("gain", "none|peak|rms|lufs|balanced (default none).", "MODE");
    const QCommandLineOption m_target = option("target", "Gain target in dB (default from the template).", "DB");
    const QCommandLineOption m_measure = option("measure", "What balanced measures: peak|rms|lufs (default peak).", "WHAT");
    const QCommandLineOption m_ceiling = option("ceiling", "True-peak ceiling in dBTP (default -1.0).", "DBTP");
    const QCommandLineOption m_rate = option("sample-rate", "Delivery sample rate (default 48000).", "HZ");
    const QCommandLineOption m_depth = option("bit-depth", "Delivery bit depth: 16, 24, 32 (default 24).", "BITS");
    const QCommandLineOption m_tail = option("tail", "Extra time after the longest stem (default 0).", "SECONDS");
    const QCommandLineOption m_reference = option("reference", "Reference mix to align and include; null-tested against the stems.", "MIX");
    const QCommandLineOption m_threshold = option("null-threshold", "Residual relative to the mix at or below which the null passes (default -60).", "DB");
    const QCommandLineOption m_align = option("align-to-reference", "Shift each stem by its offset against the mix and correct its polarity.");
    const QCommandLineOption m_requireNull = option("require-null", "A failed null test stops the job: exit 1, nothing written.");
    const QCommandLineOption m_skip = option("skip-unreadable", "Leave unreadable sources out (listed as skipped) instead of failing.");
    const QCommandLineOption m_monoDualMono = option("mono-dual-mono", "Deliver stereo stems whose channels are identical as mono files.");
    const QCommandLineOption m_jobs = option("jobs", "Stems processed in parallel (default: all cores).", "N");
    const QCommandLineOption m_quiet = option("quiet", "No progress output.");
    const QCommandLineOption m_session = option("session", "Session files in the zip: dawproject,rpp,midi (any of them).", "LIST");
    const QCommandLineOption m_tempoMap = option("tempo-map", "Tempo and meter changes from a MIDI file, DAWproject or RPP (replaces --tempo).", "FILE");
    const QCommandLineOption m_profile = option("profile", "Deliver to a profile: its rate, depth and ceiling; lufs targets default "
                                                           "to it; nothing is written unless every file meets it.", "NAME|FILE");
};

void PackageCommandLine::addOptions()
{
    parser.setApplicationDescription(QStringLiteral("Align, normalise and deliver stems as a verified zip."));
    parser.addHelpOption();
    parser.addOptions({m_out, m_tempo, m_timeSig, m_version, m_template, m_title, m_barOne, m_gain, m_target, m_measure,
                       m_ceiling, m_rate, m_depth, m_tail, m_reference, m_threshold, m_align, m_requireNull, m_skip, m_jobs,
                       m_quiet, m_session, m_tempoMap, m_profile, m_monoDualMono});
    parser.addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("Stem files or folders."), QStringLiteral("PATH..."));
}

std::optional<int> PackageCommandLine::parse(const QStringList &args)
{
    return parseCommandLine(parser, QStringLiteral("stemship package"), args);
}

bool PackageCommandLine::number(const QCommandLineOption &o, double *value, const char *what) const
{
    if (parser.isSet(o) && !parseNumber(parser.value(o), value))
        return usage(QStringLiteral("--%1 takes %2, not '%3'").arg(o.names().constFirst(), QLatin1String(what), parser.value(o)));
    return true;
}

// An optional whole number in [low, high]; `expected` completes "--name takes ...".
bool PackageCommandLine::integer(const QCommandLineOption &o, int *value, const QString &expected, int low, int high) const
{
    if (!parser.isSet(o))
        return true;
    bool ok = false;
    *value = parser.value(o).toInt(&ok);
    if (!ok || *value < low || *value > high)
        return usage(QStringLiteral("--%1 takes %2, not '%3'").arg(o.names().constFirst(), expected, parser.value(o)));
    return true;
}

bool PackageCommandLine::readOutput(delivery::DeliverySpec &spec) const
{
    spec.outputPath = parser.value(m_out);
    if (spec.outputPath.isEmpty())
        return usage(QStringLiteral("-o OUT.zip is required"));
    const QFileInfo outInfo(spec.outputPath);
    if (outInfo.isDir())
        return usage(spec.outputPath + QStringLiteral(": output is a folder"));
    const QFileInfo outDir(outInfo.absolutePath());
    if (!outDir.isDir() || !outDir.isWritable())
        return usage(spec.outputPath + QStringLiteral(": output not writable (") +
                     (outDir.isDir() ? QStringLiteral("folder is read-only") : QStringLiteral("no such folder")) + QLatin1Char(')'));
    return true;
}

// Tempo and meter: a map, or --tempo and --time-signature.
bool PackageCommandLine::readTempo(delivery::DeliverySpec &spec) const
{
    if (parser.isSet(m_tempoMap)) {
        if (parser.isSet(m_tempo) || parser.isSet(m_timeSig))
            return usage(QStringLiteral("--tempo-map replaces --tempo and --time-signature: give one or the other"));
        Result<session::TempoMap> map = session::readTempoMapFile(parser.value(m_tempoMap));
        if (!map) {
            printError(map.error().line());
            return false;
        }
        spec.tempoMap = *map;
        spec.tempoBpm = map->tempi().first().tempoBpm;
        spec.timeSignature.numerator = map->meters().first().numerator;
        spec.timeSignature.denominator = map->meters().first().denominator;
    } else {
        if (!parser.isSet(m_tempo) || !parseNumber(parser.value(m_tempo), &spec.tempoBpm) || spec.tempoBpm <= 0 || spec.tempoBpm >= 1000)
            return usage(QStringLiteral("--tempo BPM (or --tempo-map FILE) is required (a number above 0)"));
        const auto sig = QRegularExpression(QStringLiteral("^(\\d{1,2})/(1|2|4|8|16|32)$")).match(parser.value(m_timeSig));
        if (!sig.hasMatch() || sig.captured(1).toInt() < 1)
            return usage(QStringLiteral("--time-signature N/D is required (e.g. 4/4, 6/8)"));
        spec.timeSignature.numerator = sig.captured(1).toInt();
        spec.timeSignature.denominator = sig.captured(2).toInt();
    }
    return true;
}

// Version and title; where bar one sits and the tail after the longest stem.
bool PackageCommandLine::readNamesAndPlacement(delivery::DeliverySpec &spec) const
{
    spec.version = parser.value(m_version);
    if (spec.version.isEmpty())
        return usage(QStringLiteral("--version V is required"));
    spec.title = parser.value(m_title);
    if (!number(m_barOne, &spec.barOneSeconds, "seconds") || !number(m_tail, &spec.tailSeconds, "seconds"))
        return false;
    if (spec.tailSeconds < 0)
        return usage(QStringLiteral("--tail must not be negative"));
    return true;
}

// Gain mode, what balanced measures, target and ceiling.
bool PackageCommandLine::readLevels(delivery::DeliverySpec &spec) const
{
    double value = 0.0;
    if (parser.isSet(m_target)) {
        if (!number(m_target, &value, "a level in dB"))
            return false;
        spec.targetDb = value;
    }
    if (parser.isSet(m_ceiling)) {
        if (!number(m_ceiling, &value, "a level in dBTP"))
            return false;
        spec.ceilingDbtp = value;
    }
    const auto mode = gain::parseGainMode(parser.value(m_gain).toStdString());
    if (parser.isSet(m_gain) && !mode)
        return usage(QStringLiteral("--gain takes none, peak, rms, lufs or balanced, not '%1'").arg(parser.value(m_gain)));
    spec.gainMode = mode.value_or(gain::GainMode::None);
    const auto what = gain::parseMeasure(parser.value(m_measure).toStdString());
    if (parser.isSet(m_measure) && !what)
        return usage(QStringLiteral("--measure takes peak, rms or lufs, not '%1'").arg(parser.value(m_measure)));
    spec.measure = what.value_or(gain::Measure::Peak);
    return true;
}

// Rate, depth, jobs and the per-stem switches.
bool PackageCommandLine::readFormat(delivery::DeliverySpec &spec) const
{
    if (!integer(m_rate, &spec.sampleRateHz, QStringLiteral("a rate in Hz (8000 to 384000)"), 8000, 384000))
        return false;
    if (parser.isSet(m_depth)) {
        spec.bitDepth = parser.value(m_depth).toInt();
        if (spec.bitDepth != 16 && spec.bitDepth != 24 && spec.bitDepth != 32)
            return usage(QStringLiteral("--bit-depth takes 16, 24 or 32, not '%1'").arg(parser.value(m_depth)));
    }
    spec.jobs = defaultJobs();
    if (!integer(m_jobs, &spec.jobs, QStringLiteral("a whole number of at least 1"), 1, std::numeric_limits<int>::max()))
        return false;
    spec.skipUnreadable = parser.isSet(m_skip);
    spec.monoDualMono = parser.isSet(m_monoDualMono);
    return true;
}

bool PackageCommandLine::readReference(delivery::DeliverySpec &spec) const
{
    if (!parser.isSet(m_reference)) {
        if (parser.isSet(m_threshold) || parser.isSet(m_align) || parser.isSet(m_requireNull))
            return usage(QStringLiteral("--null-threshold, --align-to-reference and --require-null need --reference MIX"));
        return true;
    }
    auto options = referenceOptionsFrom(parser.value(m_reference), parser.value(m_threshold), parser.isSet(m_requireNull),
                                        QStringLiteral("package"));
    if (!options)
        return false;
    spec.referencePath = options->mix.filePath;
    spec.nullThresholdDb = options->nullThresholdDb;
    spec.requireNull = options->requireNull;
    spec.alignToReference = parser.isSet(m_align);
    return true;
}

// The template, then the profile (whose rate, depth and ceiling win over the defaults, not over options given).
bool PackageCommandLine::readTemplateAndProfile(delivery::DeliverySpec &spec) const
{
    if (parser.isSet(m_template)) {
        auto tmpl = templates::loadTemplate(parser.value(m_template));
        if (!tmpl.ok()) {
            printError(tmpl.error().line());
            return false;
        }
        spec.sessionTemplate = *tmpl;
    }
    if (!parser.isSet(m_profile))
        return true;
    const auto profile = loadProfileOrExplain(parser.value(m_profile));
    if (!profile)
        return false;
    if (Status applied = delivery::applyProfile(&spec, *profile, {parser.isSet(m_rate), parser.isSet(m_depth), parser.isSet(m_ceiling)});
        !applied) {
        printError(applied.error().line());
        return false;
    }
    return true;
}

bool PackageCommandLine::readSources(delivery::DeliverySpec &spec) const
{
    const QStringList paths = parser.positionalArguments();
    if (paths.isEmpty())
        return usage(QStringLiteral("no PATH given (try 'stemship package --help')"));
    QList<Error> errors;
    spec.sources = io::collectSources(paths, &errors);
    if (!spec.referencePath.isEmpty())
        spec.sources = audit::withoutReference(spec.sources, io::StemSource{spec.referencePath, spec.referencePath, {}});
    for (const Error &e : errors)
        printError(e.line());
    if (!errors.isEmpty())
        return false;
    if (spec.sources.isEmpty())
        return usage(QStringLiteral("no audio files found in the given paths"));
    const QString outAbsolute = QFileInfo(spec.outputPath).absoluteFilePath();
    for (const io::StemSource &s : spec.sources)
        if (QFileInfo(s.filePath).absoluteFilePath() == outAbsolute)
            return usage(s.filePath + QStringLiteral(": is the output zip itself"));
    return true;
}

bool PackageCommandLine::readSessionFiles(const delivery::DeliverySpec &spec, delivery::DeliveryHooks &hooks) const
{
    if (!parser.isSet(m_session))
        return true;
    if (parser.value(m_session).trimmed().isEmpty())
        return usage(QStringLiteral("--session needs dawproject, rpp and/or midi"));
    Result<QList<session::SessionFormat>> formats = session::parseSessionFormats(parser.value(m_session));
    if (!formats)
        return usage(formats.error().what);
    hooks.beforeAssembly = [&spec, formats = *formats](delivery::DeliveryResult &r) { return session::addSessionFiles(spec, r, formats); };
    return true;
}

}  // namespace

int runPackage(const QStringList &args)
{
    PackageCommandLine line;
    if (const std::optional<int> done = line.parse(args))
        return *done;
    delivery::DeliverySpec spec;
    spec.auditSources = true;  // NOTES lists the audit's findings, measured while pass 1 reads the stems
    delivery::DeliveryHooks hooks;
    // In this order: the template's and profile's defaults need the options read before them.
    if (!line.readOutput(spec) || !line.readTempo(spec) || !line.readNamesAndPlacement(spec) || !line.readLevels(spec) || !line.readFormat(spec)
        || !line.readReference(spec) || !line.readTemplateAndProfile(spec) || !line.readSources(spec)
        || !line.readSessionFiles(spec, hooks))
        return ExitUsage;

    Progress progress(QStringLiteral("package"), line.quiet());
    auto result = delivery::packageStems(spec, [&](double f, const QString &stage) { progress.update(f, stage); },
                                         interruptToken(), hooks);
    progress.finish();
    return reportDelivery(spec, result);
}

}  // namespace stemship::cli
