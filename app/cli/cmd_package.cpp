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

#include <QCommandLineParser>
#include <QFileInfo>
#include <QRegularExpression>

#include <cmath>

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
    QString summary = QStringLiteral("%1: %2 stems, %3 bars, %4 Hz / %5-bit")
                          .arg(spec.outputPath).arg(r.stems.size()).arg(r.timeline.bars).arg(spec.sampleRateHz).arg(spec.bitDepth);
    if (r.timeline.prerollBars > 0)
        summary += QStringLiteral(", %1 bar(s) preroll").arg(r.timeline.prerollBars);
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

}  // namespace

int runPackage(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Align, normalise and deliver stems as a verified zip."));
    parser.addHelpOption();
    auto option = [](const char *name, const char *help, const char *value = nullptr) {
        return value ? QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(value))
                     : QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help));
    };
    const QCommandLineOption out({QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("The delivery zip to write."), QStringLiteral("OUT.zip"));
    const auto tempo = option("tempo", "Session tempo in BPM (quarter notes).", "BPM");
    const auto timeSig = option("time-signature", "Time signature, e.g. 4/4.", "N/D");
    const auto version = option("version", "Delivery version, e.g. v3.", "V");
    const auto tmplOpt = option("template", "Session template (bundled name or file).", "NAME|FILE");
    const auto title = option("title", "Title (default: the template's).", "TEXT");
    const auto barOne = option("bar-one", "Where bar one sits on the session timeline (default 0).", "SECONDS");
    const auto gainOpt = option("gain", "none|peak|rms|lufs|balanced (default none).", "MODE");
    const auto target = option("target", "Gain target in dB (default from the template).", "DB");
    const auto measure = option("measure", "What balanced measures: peak|rms|lufs (default peak).", "WHAT");
    const auto ceiling = option("ceiling", "True-peak ceiling in dBTP (default -1.0).", "DBTP");
    const auto rate = option("sample-rate", "Delivery sample rate (default 48000).", "HZ");
    const auto depth = option("bit-depth", "Delivery bit depth: 16, 24, 32 (default 24).", "BITS");
    const auto tail = option("tail", "Extra time after the longest stem (default 0).", "SECONDS");
    const auto reference = option("reference", "Reference mix to align and include; null-tested against the stems.", "MIX");
    const auto threshold = option("null-threshold", "Residual relative to the mix at or below which the null passes (default -60).", "DB");
    const auto align = option("align-to-reference", "Shift each stem by its offset against the mix and correct its polarity.");
    const auto requireNull = option("require-null", "A failed null test stops the job: exit 1, nothing written.");
    const auto skip = option("skip-unreadable", "Leave unreadable sources out (listed as skipped) instead of failing.");
    const auto monoDualMono = option("mono-dual-mono", "Deliver stereo stems whose channels are identical as mono files.");
    const auto jobs = option("jobs", "Stems processed in parallel (default: all cores).", "N");
    const auto quiet = option("quiet", "No progress output.");
    const auto sessionOpt = option("session", "Session files in the zip: dawproject,rpp,midi (any of them).", "LIST");
    const auto tempoMap = option("tempo-map", "Tempo and meter changes from a MIDI file, DAWproject or RPP (replaces --tempo).", "FILE");
    const auto profileOpt = option("profile", "Deliver to a profile: its rate, depth and ceiling; lufs targets default "
                                              "to it; nothing is written unless every file meets it.", "NAME|FILE");
    parser.addOptions({out, tempo, timeSig, version, tmplOpt, title, barOne, gainOpt, target, measure, ceiling, rate,
                       depth, tail, reference, threshold, align, requireNull, skip, jobs, quiet, sessionOpt, tempoMap, profileOpt, monoDualMono});
    parser.addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("Stem files or folders."), QStringLiteral("PATH..."));
    auto usage = [](const QString &line) {
        printError(QStringLiteral("stemship package: ") + line);
        return int(ExitUsage);
    };
    if (!parser.parse(QStringList{QStringLiteral("stemship package")} + args))
        return usage(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(parser.helpText());
        return ExitOk;
    }

    delivery::DeliverySpec spec;
    spec.outputPath = parser.value(out);
    if (spec.outputPath.isEmpty())
        return usage(QStringLiteral("-o OUT.zip is required"));
    const QFileInfo outInfo(spec.outputPath);
    if (outInfo.isDir())
        return usage(spec.outputPath + QStringLiteral(": output is a folder"));
    const QFileInfo outDir(outInfo.absolutePath());
    if (!outDir.isDir() || !outDir.isWritable())
        return usage(spec.outputPath + QStringLiteral(": output not writable (") +
                     (outDir.isDir() ? QStringLiteral("folder is read-only") : QStringLiteral("no such folder")) + QLatin1Char(')'));
    if (parser.isSet(tempoMap)) {
        if (parser.isSet(tempo) || parser.isSet(timeSig))
            return usage(QStringLiteral("--tempo-map replaces --tempo and --time-signature: give one or the other"));
        Result<session::TempoMap> map = session::readTempoMapFile(parser.value(tempoMap));
        if (!map) {
            printError(map.error().line());
            return ExitUsage;
        }
        spec.tempoMap = *map;
        spec.tempoBpm = map->tempi().first().tempoBpm;
        spec.beatsPerBar = map->meters().first().numerator;
        spec.beatUnit = map->meters().first().denominator;
    } else {
        if (!parser.isSet(tempo) || !parseNumber(parser.value(tempo), &spec.tempoBpm) || spec.tempoBpm <= 0 || spec.tempoBpm >= 1000)
            return usage(QStringLiteral("--tempo BPM (or --tempo-map FILE) is required (a number above 0)"));
        const auto sig = QRegularExpression(QStringLiteral("^(\\d{1,2})/(1|2|4|8|16|32)$")).match(parser.value(timeSig));
        if (!sig.hasMatch() || sig.captured(1).toInt() < 1)
            return usage(QStringLiteral("--time-signature N/D is required (e.g. 4/4, 6/8)"));
        spec.beatsPerBar = sig.captured(1).toInt();
        spec.beatUnit = sig.captured(2).toInt();
    }
    spec.version = parser.value(version);
    if (spec.version.isEmpty())
        return usage(QStringLiteral("--version V is required"));
    spec.title = parser.value(title);

    auto number = [&](const QCommandLineOption &o, double *value, const char *what) {
        if (parser.isSet(o) && !parseNumber(parser.value(o), value)) {
            usage(QStringLiteral("--%1 takes %2, not '%3'").arg(o.names().constFirst(), QLatin1String(what), parser.value(o)));
            return false;
        }
        return true;
    };
    if (!number(barOne, &spec.barOneSeconds, "seconds") || !number(tail, &spec.tailSeconds, "seconds"))
        return ExitUsage;
    if (spec.tailSeconds < 0)
        return usage(QStringLiteral("--tail must not be negative"));
    double value = 0.0;
    if (parser.isSet(target)) {
        if (!number(target, &value, "a level in dB"))
            return ExitUsage;
        spec.targetDb = value;
    }
    if (parser.isSet(ceiling)) {
        if (!number(ceiling, &value, "a level in dBTP"))
            return ExitUsage;
        spec.ceilingDbtp = value;
    }
    const auto mode = gain::parseGainMode(parser.value(gainOpt).toStdString());
    if (parser.isSet(gainOpt) && !mode)
        return usage(QStringLiteral("--gain takes none, peak, rms, lufs or balanced, not '%1'").arg(parser.value(gainOpt)));
    spec.gainMode = mode.value_or(gain::GainMode::None);
    const auto what = gain::parseMeasure(parser.value(measure).toStdString());
    if (parser.isSet(measure) && !what)
        return usage(QStringLiteral("--measure takes peak, rms or lufs, not '%1'").arg(parser.value(measure)));
    spec.measure = what.value_or(gain::Measure::Peak);
    if (parser.isSet(rate)) {
        bool ok = false;
        spec.sampleRateHz = parser.value(rate).toInt(&ok);
        if (!ok || spec.sampleRateHz < 8000 || spec.sampleRateHz > 384000)
            return usage(QStringLiteral("--sample-rate takes a rate in Hz (8000 to 384000), not '%1'").arg(parser.value(rate)));
    }
    if (parser.isSet(depth)) {
        spec.bitDepth = parser.value(depth).toInt();
        if (spec.bitDepth != 16 && spec.bitDepth != 24 && spec.bitDepth != 32)
            return usage(QStringLiteral("--bit-depth takes 16, 24 or 32, not '%1'").arg(parser.value(depth)));
    }
    spec.jobs = defaultJobs();
    if (parser.isSet(jobs)) {
        bool ok = false;
        spec.jobs = parser.value(jobs).toInt(&ok);
        if (!ok || spec.jobs < 1)
            return usage(QStringLiteral("--jobs takes a whole number of at least 1, not '%1'").arg(parser.value(jobs)));
    }
    spec.skipUnreadable = parser.isSet(skip);
    spec.monoDualMono = parser.isSet(monoDualMono);
    if (parser.isSet(reference)) {
        auto options = referenceOptionsFrom(parser.value(reference), parser.value(threshold), parser.isSet(requireNull), QStringLiteral("package"));
        if (!options)
            return ExitUsage;
        spec.referencePath = options->mix.filePath;
        spec.nullThresholdDb = options->nullThresholdDb;
        spec.requireNull = options->requireNull;
        spec.alignToReference = parser.isSet(align);
    } else if (parser.isSet(threshold) || parser.isSet(align) || parser.isSet(requireNull)) {
        return usage(QStringLiteral("--null-threshold, --align-to-reference and --require-null need --reference MIX"));
    }
    if (parser.isSet(tmplOpt)) {
        auto tmpl = templates::loadTemplate(parser.value(tmplOpt));
        if (!tmpl.ok()) {
            printError(tmpl.error().line());
            return ExitUsage;
        }
        spec.sessionTemplate = *tmpl;
    }

    if (parser.isSet(profileOpt)) {
        const auto profile = loadProfileOrExplain(parser.value(profileOpt));
        if (!profile)
            return ExitUsage;
        if (Status applied = delivery::applyProfile(&spec, *profile, {parser.isSet(rate), parser.isSet(depth), parser.isSet(ceiling)}); !applied) {
            printError(applied.error().line());
            return ExitUsage;
        }
    }

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
        return ExitUsage;
    if (spec.sources.isEmpty())
        return usage(QStringLiteral("no audio files found in the given paths"));
    const QString outAbsolute = outInfo.absoluteFilePath();
    for (const io::StemSource &s : spec.sources)
        if (QFileInfo(s.filePath).absoluteFilePath() == outAbsolute)
            return usage(s.filePath + QStringLiteral(": is the output zip itself"));

    delivery::DeliveryHooks hooks;
    if (parser.isSet(sessionOpt)) {
        if (parser.value(sessionOpt).trimmed().isEmpty())
            return usage(QStringLiteral("--session needs dawproject, rpp and/or midi"));
        Result<QList<session::SessionFormat>> formats = session::parseSessionFormats(parser.value(sessionOpt));
        if (!formats)
            return usage(formats.error().what);
        hooks.beforeAssembly = [&spec, formats = *formats](delivery::DeliveryResult &r) { return session::addSessionFiles(spec, r, formats); };
    }

    Progress progress(QStringLiteral("package"), parser.isSet(quiet));
    auto result = delivery::packageStems(spec, [&](double f, const QString &stage) { progress.update(f, stage); },
                                         interruptToken(), hooks);
    progress.finish();
    return reportDelivery(spec, result);
}

}  // namespace stemship::cli
