// The audit report's null-test section: the verdict, a table of per-stem offsets and polarity, and the residual over
// time (after offsets, polarity and gain are fitted) beside the mix's own level.

#include "audit/htmlparts.h"

#include "reference/verdicttext.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace stemship::audit {
namespace {

// At most `points` values, each the largest of its bucket (a short burst of residual is what the eye must find).
std::vector<float> decimated(const std::vector<float> &values, std::size_t points)
{
    if (values.size() <= points)
        return values;
    std::vector<float> out(points, -INFINITY);
    for (std::size_t i = 0; i < values.size(); ++i) {
        float &slot = out[i * points / values.size()];
        slot = std::max(slot, values[i]);
    }
    return out;
}

QString residualSvg(const reference::NullForensics &null)
{
    const std::vector<float> mix = decimated(null.mixOverTimeDbfs, 600), residual = decimated(null.residualOverTimeDbfs, 600);
    const int n = int(mix.size());
    if (n < 2)
        return QString();
    const double h = 120.0, top = 0.0, floor = -120.0;  // dBFS drawn: a residual below -120 dBFS is a null
    auto y = [&](float v) { return (top - std::clamp(double(std::isfinite(v) ? v : floor), floor, top)) / (top - floor) * h; };
    auto line = [&](const std::vector<float> &values) {
        QString pts;
        for (int i = 0; i < n; ++i)
            pts += QStringLiteral("%1,%2 ").arg(600.0 * i / (n - 1), 0, 'f', 1).arg(y(values[std::size_t(i)]), 0, 'f', 1);
        return pts;
    };
    QString grid;
    for (int level = -20; level > floor; level -= 20)
        grid += QStringLiteral("<line x1=\"0\" x2=\"600\" y1=\"%1\" y2=\"%1\" class=\"grid\"/><text x=\"2\" y=\"%2\">%3</text>")
                    .arg(y(float(level)), 0, 'f', 1).arg(y(float(level)) - 2, 0, 'f', 1).arg(level);
    QString worst;
    if (null.worstResidualSeconds && !null.passed) {
        const double length = double(null.frames) / null.rateHz, start = double(null.firstFrame) / null.rateHz;
        const auto b = std::size_t(std::llround((*null.worstResidualSeconds - start) / null.blockSeconds));
        if (length > 0.0 && b < null.residualOverTimeDbfs.size())
            worst = QStringLiteral("<circle class=\"worst\" cx=\"%1\" cy=\"%2\" r=\"5\"/>")
                        .arg((*null.worstResidualSeconds - start) / length * 600.0, 0, 'f', 1).arg(y(null.residualOverTimeDbfs[b]), 0, 'f', 1);
    }
    return QStringLiteral("<svg class=\"plot\" viewBox=\"0 0 600 120\" preserveAspectRatio=\"none\" role=\"img\" "
                          "aria-label=\"residual over time\">%1<polyline class=\"mixl\" points=\"%2\"/>"
                          "<polyline class=\"res\" points=\"%3\"/>%4</svg>%5"
                          "<div class=\"legend\"><span class=\"k mixl\"></span>mix <span class=\"k res\"></span>residual after fitting "
                          "offsets, polarity and gain (dBFS RMS, %6 s per point)</div>")
        .arg(grid, line(mix), line(residual), worst, timeAxis(double(null.firstFrame) / null.rateHz, double(null.frames) / null.rateHz))
        .arg(null.blockSeconds * std::max<double>(1.0, double(null.mixOverTimeDbfs.size()) / 600.0), 0, 'g', 3);
}

QString stemTable(const AuditReport &report)
{
    QString rows;
    for (const StemReport &stem : report.stems) {
        if (!stem.readable)
            continue;
        const QString offset = stem.offsetSamples ? reference::offsetPhrase(*stem.offsetSamples, stem.info.sampleRateHz)
                                                  : QStringLiteral("not measurable");
        const bool off = stem.offsetSamples.value_or(0) != 0, flipped = stem.polarityInverted.value_or(false);
        rows += QStringLiteral("<tr class=\"%1\"><td class=\"l path\" title=\"%2\">%3</td><td data-v=\"%4\">%5</td><td>%6</td><td class=\"l\">%7</td></tr>")
                    .arg(off || flipped ? QStringLiteral("warning") : QStringLiteral("ok"), esc(stem.path), esc(QFileInfo(stem.path).fileName()))
                    .arg(stem.offsetSamples.value_or(0))
                    .arg(stem.offsetSamples ? QString::number(*stem.offsetSamples) : QStringLiteral("–"),
                         stem.polarityInverted ? (flipped ? QStringLiteral("inverted") : QStringLiteral("normal")) : QStringLiteral("–"), esc(offset));
    }
    return QStringLiteral("<table><thead><tr><th class=\"l\">Stem</th><th>Offset (samples, own rate)</th><th>Polarity</th>"
                          "<th class=\"l\">Against the mix</th></tr></thead><tbody>%1</tbody></table>").arg(rows);
}

}  // namespace

QString referenceSectionHtml(const AuditReport &report)
{
    if (!report.reference)
        return QString();
    const ReferenceReport &r = *report.reference;
    std::vector<reference::StemLabel> none;
    const QStringList lines = reference::verdictLines(r.null, r.nullThresholdDb, QFileInfo(r.path).fileName(), none);
    QString findings;
    for (qsizetype i = 1; i < lines.size(); ++i)
        findings += QStringLiteral("<li>") + esc(lines[i].trimmed()) + QStringLiteral("</li>");
    return QStringLiteral("<h2>Null test against the reference mix</h2><section class=\"reference\"><p><span class=\"verdict %1\">%2</span> &nbsp; %3</p>"
                          "%4%5%6</section>")
        .arg(r.null.passed ? QStringLiteral("pass") : QStringLiteral("fail"), r.null.passed ? QStringLiteral("Nulls") : QStringLiteral("Does not null"),
             esc(lines.first().section(QStringLiteral(" — "), 1)),
             findings.isEmpty() ? QString() : QStringLiteral("<ul>") + findings + QStringLiteral("</ul>"),
             residualSvg(r.null), stemTable(report));
}

}  // namespace stemship::audit
