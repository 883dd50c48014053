#include "delivery/notes.h"

#include "delivery/referencenull.h"
#include "util/counted.h"

#include <cmath>

namespace stemship::delivery {
namespace {
QString db(double value, const char *unit)
{
    const QString number = std::isfinite(value) ? QString::number(value, 'f', 2) : QStringLiteral("-inf");
    return number + QLatin1Char(' ') + QLatin1String(unit);
}
QString signedDb(double value)
{
    const QString sign = value >= 0 ? QStringLiteral("+") : QString();
    return sign + QString::number(value, 'f', 2) + QStringLiteral(" dB");
}
}  // namespace

QString auditFindingsNotes(const std::optional<QStringList> &findings)
{
    if (!findings)
        return {};
    if (findings->isEmpty())
        return QStringLiteral("\nAudit findings: none\n");
    return QStringLiteral("\nAudit findings:\n  ") + findings->join(QStringLiteral("\n  ")) + QLatin1Char('\n');
}

QString notesText(const DeliveryResult &r, const DeliverySpec &spec)
{
    QString t;
    const Timeline &tl = r.timeline;
    t += (r.title.isEmpty() ? QStringLiteral("Untitled") : r.title) + QStringLiteral("\n");
    t += QStringLiteral("Version: %1\n").arg(spec.version);
    t += QStringLiteral("Tempo: %1 BPM\n").arg(spec.tempoBpm, 0, 'g', 6);
    if (spec.tempoMap) {
        t += QStringLiteral("Tempo map (bar one onwards; the pre-roll repeats the first tempo and meter):\n");
        for (const session::TempoChange &c : spec.tempoMap->changes())
            t += QStringLiteral("  bar %1 beat %2 (%3 s): %4 BPM, %5\n").arg(c.bar).arg(c.beat, 0, 'g', 6).arg(spec.barOneSeconds + c.seconds, 0, 'f', 3)
                     .arg(c.tempoBpm, 0, 'g', 6).arg(session::timeSignatureText(c.numerator, c.denominator));
    }
    t += QStringLiteral("Time signature: %1/%2\n").arg(spec.timeSignature.numerator).arg(spec.timeSignature.denominator);
    t += QStringLiteral("Bar one: %1 s on the session timeline\n").arg(spec.barOneSeconds, 0, 'f', 3);
    t += QStringLiteral("Format: WAV, %1 Hz, %2-bit PCM%3\n")
             .arg(spec.sampleRateHz).arg(spec.bitDepth)
             .arg(spec.bitDepth < 32 ? QStringLiteral(", TPDF dither") : QString());
    t += QStringLiteral("Every file starts at sample 0 = %1 and runs %2 (%3 samples, %4 s).\n")
             .arg(tl.prerollBars == 0 ? QStringLiteral("bar one")
                                      : QStringLiteral("%1 before bar one (bar one at sample %2)")
                                            .arg(counted(tl.prerollBars, QStringLiteral("bar"))).arg(tl.barFrame(1)))
             .arg(counted(tl.bars, QStringLiteral("bar"))).arg(tl.lengthFrames).arg(double(tl.lengthFrames) / spec.sampleRateHz, 0, 'f', 3);
    t += QStringLiteral("Start on the session timeline: %1 s (bext TimeReference %2)\n")
             .arg(tl.startSeconds(), 0, 'f', 6).arg(tl.timeReferenceSamples());
    t += QStringLiteral("Gain: %1").arg(QLatin1String(gain::gainModeName(r.gainMode)));
    if (r.gainMode != gain::GainMode::None)
        t += QStringLiteral(", target %1").arg(r.targetDb, 0, 'f', 2)
             + (r.gainMode == gain::GainMode::Balanced ? QStringLiteral(" (%1)").arg(QLatin1String(gain::measureName(spec.measure))) : QString());
    t += QStringLiteral(", true-peak ceiling %1 dBTP\n").arg(r.ceilingDbtp, 0, 'f', 2);
    if (spec.profile && !r.stems.isEmpty() && r.stems.constFirst().profile) {
        QStringList rules;
        for (const profiles::RuleVerdict &rule : r.stems.constFirst().profile->rules)
            rules.append(rule.rule + QLatin1Char(' ') + rule.limitText());
        t += QStringLiteral("Profile: %1 (%2): every delivered file passes (%3)\n")
                 .arg(spec.profile->name, spec.profile->title, rules.join(QStringLiteral("; ")));
    }
    t += QLatin1Char('\n');

    t += QStringLiteral("Stems:\n");
    for (const DeliveredStem &s : r.stems) {
        t += QStringLiteral("  %1  gain %2  peak %3  true peak %4  %5%6\n")
                 .arg(s.file, signedDb(s.gainDb), db(s.samplePeakDbfs, "dBFS"), db(s.truePeakDbtp, "dBTP"),
                      db(s.integratedLufs, "LUFS"),
                      s.silent ? QStringLiteral("  [silent]") : s.limitedByCeiling ? QStringLiteral("  [limited by ceiling]") : QString());
        t += QStringLiteral("      from %1\n").arg(s.source);
    }
    QStringList limited, silent, folded;
    for (const DeliveredStem &s : r.stems) {
        if (s.foldedToMono)
            folded << QStringLiteral("  %1 (from %2): both channels identical, delivered as mono").arg(s.file, s.source);
        if (s.limitedByCeiling)
            limited << QStringLiteral("  %1: %2").arg(s.file, s.note);
        if (s.silent)
            silent << QStringLiteral("  %1 (from %2): silent, delivered as is").arg(s.file, s.source);
    }
    if (!limited.isEmpty())
        t += QStringLiteral("\nLimited by the true-peak ceiling:\n") + limited.join(QLatin1Char('\n')) + QLatin1Char('\n');
    if (!folded.isEmpty())
        t += QStringLiteral("\nFolded to mono (--mono-dual-mono):\n") + folded.join(QLatin1Char('\n')) + QLatin1Char('\n');
    if (!silent.isEmpty())
        t += QStringLiteral("\nSilent stems:\n") + silent.join(QLatin1Char('\n')) + QLatin1Char('\n');
    if (!r.skipped.isEmpty()) {
        t += QStringLiteral("\nSkipped (not delivered):\n");
        for (const SkippedSource &s : r.skipped)
            t += QStringLiteral("  %1: %2\n").arg(s.source, s.reason);
    }
    if (r.reference) {
        t += QStringLiteral("\nReference mix: %1 (from %2), gain %3\n").arg(r.reference->file, r.reference->source, signedDb(r.reference->gainDb));
        if (r.reference->limitedByCeiling)
            t += QStringLiteral("  (its gain lowered to keep its true peak under the %1 dBTP ceiling; never clipped)\n").arg(r.ceilingDbtp, 0, 'f', 1);
        if (r.reference->null)
            t += nullNotes(r).join(QLatin1Char('\n')) + QLatin1Char('\n');
        t += QStringLiteral("  (compared before delivery gain, so the verdict does not depend on the gain mode)\n");
    }
    t += auditFindingsNotes(r.auditFindings);
    t += QStringLiteral("\nChecksums: manifest.json (SHA-256 per file). Check with: stemship verify <zip>\n");
    return t;
}

}  // namespace stemship::delivery
