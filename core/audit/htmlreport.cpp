// The audit as one self-contained HTML page: verdict, sortable stem table, per-stem waveform and loudness SVGs.

#include "audit/reportwriters.h"

#include "audit/htmlparts.h"
#include "audit/htmlprofile.h"

#include <QDateTime>

#include <algorithm>
#include <iterator>
#include <cmath>

namespace stemship::audit {
namespace {

QString num(double v, int decimals, const char *unit = "")
{
    return std::isfinite(v) ? QString::number(v, 'f', decimals) + QString::fromLatin1(unit) : QStringLiteral("&minus;&infin;");
}

// Sort key for the table: -inf sorts lowest.
// "5.1"; an unknown layout says how many channels it has.
QString layoutText(const StemReport &stem)
{
    if (stem.layout == metering::ChannelLayout::Unknown)
        return QStringLiteral("%1 ch, unknown").arg(stem.info.channels);
    return QString::fromLatin1(metering::layoutName(stem.layout));
}

QString sortKey(double v) { return QString::number(std::isfinite(v) ? v : -1e9, 'f', 4); }

// Where a stem sits on the set's timeline, as a fraction of the plot width.
struct Span {
    double x0 = 0.0;  // 0..1
    double x1 = 1.0;
};

QString waveformSvg(const Overview &overview, Span span)
{
    const int n = int(overview.maximum.size());
    if (n == 0)
        return QString();
    const double w = 600.0, h = 80.0, mid = h / 2;
    QString top, bottom;
    auto xAt = [&](int i) { return (span.x0 + (span.x1 - span.x0) * i / n) * w; };
    for (int i = 0; i < n; ++i) {
        const double x = xAt(i);
        top += QStringLiteral("%1,%2 ").arg(x, 0, 'f', 1).arg(mid - std::clamp(double(overview.maximum[std::size_t(i)]), -1.0, 1.0) * mid, 0, 'f', 1);
    }
    for (int i = n - 1; i >= 0; --i) {
        const double x = xAt(i);
        bottom += QStringLiteral("%1,%2 ").arg(x, 0, 'f', 1).arg(mid - std::clamp(double(overview.minimum[std::size_t(i)]), -1.0, 1.0) * mid, 0, 'f', 1);
    }
    return QStringLiteral("<svg class=\"plot\" viewBox=\"0 0 600 80\" preserveAspectRatio=\"none\" role=\"img\" "
                          "aria-label=\"waveform overview\"><line x1=\"0\" y1=\"40\" x2=\"600\" y2=\"40\" class=\"axis\"/>"
                          "<polygon class=\"wave\" points=\"%1%2\"/></svg>").arg(top, bottom);
}

QString loudnessSvg(const LoudnessCurve &curve, Span span, const QString &axis)
{
    const int n = int(curve.momentaryLufs.size());
    if (n < 2)
        return QStringLiteral("<p class=\"muted\">Too short for a loudness curve.</p>");
    const double w = 600.0, h = 120.0, top = 0.0, floor = -60.0;  // LUFS range drawn
    auto y = [&](float v) { return (top - std::clamp(double(std::isfinite(v) ? v : floor), floor, top)) / (top - floor) * h; };
    auto line = [&](const std::vector<float> &values) {
        QString pts;
        for (int i = 0; i < n; ++i)
            pts += QStringLiteral("%1,%2 ").arg((span.x0 + (span.x1 - span.x0) * i / (n - 1)) * w, 0, 'f', 1).arg(y(values[std::size_t(i)]), 0, 'f', 1);
        return pts;
    };
    QString grid;
    for (int lufs = -10; lufs > floor; lufs -= 10)
        grid += QStringLiteral("<line x1=\"0\" x2=\"600\" y1=\"%1\" y2=\"%1\" class=\"grid\"/><text x=\"2\" y=\"%2\">%3</text>")
                    .arg(y(float(lufs)), 0, 'f', 1).arg(y(float(lufs)) - 2, 0, 'f', 1).arg(lufs);
    return QStringLiteral("<svg class=\"plot\" viewBox=\"0 0 600 120\" preserveAspectRatio=\"none\" role=\"img\" "
                          "aria-label=\"loudness over time\">%1<polyline class=\"mom\" points=\"%2\"/>"
                          "<polyline class=\"st\" points=\"%3\"/></svg>%5"
                          "<div class=\"legend\"><span class=\"k mom\"></span>momentary <span class=\"k st\"></span>short-term "
                          "(LUFS, %4 s per point)</div>")
        .arg(grid, line(curve.momentaryLufs), line(curve.shortTermLufs)).arg(curve.stepSeconds, 0, 'g', 3).arg(axis);
}

}  // namespace

// Second marks along the set's timeline, under the plots (htmlparts.h: the reference section uses them too).
QString timeAxis(double setStart, double setLength)
{
    if (setLength <= 0.0)
        return QString();
    static constexpr double kSteps[] = {0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600};
    double step = kSteps[std::size(kSteps) - 1];
    for (double candidate : kSteps)
        if (setLength / candidate <= 12) {
            step = candidate;
            break;
        }
    QString ticks;
    for (double t = std::ceil(setStart / step) * step; t <= setStart + setLength + 1e-9; t += step) {
        const double x = (t - setStart) / setLength * 600.0;
        ticks += QStringLiteral("<line x1=\"%1\" x2=\"%1\" y1=\"0\" y2=\"4\" class=\"axis\"/><text x=\"%2\" y=\"13\">%3 s</text>")
                     .arg(x, 0, 'f', 1).arg(std::min(x + 2, 570.0), 0, 'f', 1).arg(t, 0, 'g', 6);
    }
    return QStringLiteral("<svg class=\"plot axisplot\" viewBox=\"0 0 600 16\" preserveAspectRatio=\"none\" aria-hidden=\"true\">%1</svg>").arg(ticks);
}

namespace {

QString issueList(const QList<Issue> &issues)
{
    if (issues.isEmpty())
        return QStringLiteral("<p class=\"muted\">No issues.</p>");
    QString out = QStringLiteral("<ul class=\"issues\">");
    for (const Issue &issue : issues)
        out += QStringLiteral("<li class=\"%1\"><b>%2</b> <code>%3</code> %4</li>")
                   .arg(severityName(issue.severity), severityName(issue.severity), esc(issue.code), esc(issue.message));
    return out + QStringLiteral("</ul>");
}

const char *kStyle = R"CSS(
:root{--bg:#f7f7f8;--fg:#1d1f23;--card:#fff;--muted:#6b7280;--line:#e5e7eb;--ok:#15803d;--warn:#b45309;--err:#b91c1c;--accent:#2563eb}
@media (prefers-color-scheme:dark){:root{--bg:#15171b;--fg:#e6e7ea;--card:#1e2127;--muted:#9aa1ad;--line:#30343c;--ok:#4ade80;--warn:#fbbf24;--err:#f87171;--accent:#60a5fa}}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{padding:24px 32px;border-bottom:1px solid var(--line);background:var(--card)}h1{margin:0 0 4px;font-size:22px}
.verdict{display:inline-block;padding:4px 12px;border-radius:999px;font-weight:600;color:#fff}
.verdict.pass{background:var(--ok)}.verdict.fail{background:var(--err)}
main{padding:24px 32px;max-width:1400px}.muted{color:var(--muted)}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);font-variant-numeric:tabular-nums}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th{cursor:pointer;user-select:none;background:var(--bg);position:sticky;top:0}th:hover{color:var(--accent)}
td.l,th.l{text-align:left}td.path{max-width:260px;overflow:hidden;text-overflow:ellipsis}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;vertical-align:middle}
.dot.ok{background:var(--ok)}.dot.warning{background:var(--warn)}.dot.error{background:var(--err)}
tr.ok td.status{color:var(--ok)}tr.warning td.status{color:var(--warn)}tr.error td.status{color:var(--err)}
section.stem{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:18px 0;padding:14px 18px;display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:18px}
section.stem h3{grid-column:1/-1;margin:0;font-size:15px}.plot{width:100%;height:auto;display:block;background:var(--bg);border-radius:4px;margin:6px 0}.axisplot{background:none;margin:0}
.wave{fill:var(--accent);opacity:.8}.axis,.grid{stroke:var(--line);stroke-width:1}svg text{font-size:9px;fill:var(--muted)}
polyline{fill:none;stroke-width:1.4}polyline.mom{stroke:var(--accent);opacity:.55}polyline.st{stroke:var(--warn)}
polyline.mixl{stroke:var(--muted);opacity:.7}polyline.res{stroke:var(--err)}.k.mixl{background:var(--muted)}.k.res{background:var(--err)}circle.worst{fill:none;stroke:var(--err);stroke-width:1.5}
section.reference{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:18px 0;padding:14px 18px}
.legend{font-size:12px;color:var(--muted)}.k{display:inline-block;width:14px;height:3px;vertical-align:middle;margin:0 4px 0 10px}.k.mom{background:var(--accent)}.k.st{background:var(--warn)}
ul.issues{margin:0;padding-left:18px}ul.issues li.error b{color:var(--err)}ul.issues li.warning b{color:var(--warn)}ul.issues li.info b{color:var(--muted)}
dl{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:8px 0 0;font-variant-numeric:tabular-nums}dt{color:var(--muted)}
@media print{th{position:static}section.stem{break-inside:avoid}}
)CSS";

// Click a header to sort by it; numbers sort by data-v.
const char *kScript = R"JS(
document.querySelectorAll('th').forEach((th,i)=>th.addEventListener('click',()=>{
 const tb=th.closest('table').tBodies[0],rows=[...tb.rows],asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
 rows.sort((a,b)=>{const x=a.cells[i].dataset.v??a.cells[i].textContent,y=b.cells[i].dataset.v??b.cells[i].textContent;
  const nx=parseFloat(x),ny=parseFloat(y);const c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});
 rows.forEach(r=>tb.appendChild(r));}));
)JS";

}  // namespace

namespace {

// The page head and the verdict line.
QString headerHtml(const AuditReport &report)
{
    const bool passed = !report.hasErrors();
    QString html = QStringLiteral("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                                  "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                                  "<title>Stemship audit</title><style>")
                   + QString::fromLatin1(kStyle) + QString::fromLatin1(profileStyle()) + QStringLiteral("</style></head><body><header>");
    html += QStringLiteral("<h1>Stem audit</h1><p><span class=\"verdict %1\">%2</span> &nbsp; %3 stems · %4 errors · %5 warnings%6%9</p>"
                           "<p class=\"muted\">Stemship %7 · %8</p></header><main>")
                .arg(passed ? QStringLiteral("pass") : QStringLiteral("fail"),
                     passed ? QStringLiteral("Passed") : QStringLiteral("Failed"))
                .arg(stemCount(report)).arg(report.count(Severity::Error)).arg(report.count(Severity::Warning))
                .arg(report.templateName.isEmpty() ? QString() : QStringLiteral(" · template <b>") + esc(report.templateName) + QStringLiteral("</b>"))
                .arg(QStringLiteral(STEMSHIP_VERSION), QDateTime::currentDateTime().toString(Qt::ISODate),
                     report.profileName.isEmpty() ? QString() : QStringLiteral(" · profile <b>") + esc(report.profileName) + QStringLiteral("</b>"));
    return html;
}

// Issues about the set as a whole, with the stems each one names.
QString setIssuesHtml(const AuditReport &report)
{
    if (report.issues.isEmpty())
        return QString();
    QString html = QStringLiteral("<h2>The set</h2><ul class=\"issues\">");
    for (const Issue &issue : report.issues)
        html += QStringLiteral("<li class=\"%1\"><b>%1</b> <code>%2</code> %3%4</li>")
                    .arg(severityName(issue.severity), esc(issue.code), esc(issue.message),
                         issue.paths.isEmpty() ? QString() : QStringLiteral("<br><span class=\"muted\">") + esc(issue.paths.join(QStringLiteral(", "))) + QStringLiteral("</span>"));
    return html + QStringLiteral("</ul>");
}

// One row of the stem table; numeric cells carry their sort key in data-v.
QString stemRowHtml(const AuditReport &report, int i)
{
    const StemReport &s = report.stems.at(i);
    const QString st = report.statusOf(s);
    const auto &m = s.levels;
    QString html = QStringLiteral("<tr class=\"%1\"><td class=\"l status\" data-v=\"%2\"><span class=\"dot %1\"></span>%1</td>"
                                  "<td class=\"l path\" title=\"%3\"><a href=\"#stem%4\">%5</a></td><td class=\"l\">%6</td>")
                       .arg(st).arg(st == QLatin1String("error") ? 2 : st == QLatin1String("warning") ? 1 : 0)
                       .arg(esc(s.path)).arg(i).arg(esc(s.path.section(QLatin1Char('/'), -1)), esc(s.role.value_or(QString())));
    if (s.readable) {
        const QString format = s.info.format + QLatin1Char(' ') + s.info.sampleFormat;
        html += QStringLiteral("<td class=\"l\">%1</td><td>%2</td><td class=\"l\">%3</td><td>%4</td><td>%5</td>")
                    .arg(esc(format)).arg(s.info.sampleRateHz).arg(layoutText(s))
                    .arg(s.info.durationSeconds(), 0, 'f', 2).arg(s.startSeconds, 0, 'f', 3);
        for (double v : {m.samplePeakDbfs, m.truePeakDbtp, m.rmsDbfs, m.integratedLufs})
            html += QStringLiteral("<td data-v=\"%1\">%2</td>").arg(sortKey(v), num(v, 1));
        html += QStringLiteral("<td>%1</td><td>%2</td><td>%3</td>")
                    .arg(m.loudnessRangeLu, 0, 'f', 1).arg(m.maxAbsDcOffset, 0, 'f', 4)
                    .arg(m.correlation ? QString::number(*m.correlation, 'f', 2) : QStringLiteral("–"));
    } else {
        html += QStringLiteral("<td class=\"l\" colspan=\"12\">unreadable</td>");
    }
    if (!report.profileName.isEmpty())
        html += !s.profile ? QStringLiteral("<td class=\"l\">–</td>")
              : s.profile->passed ? QStringLiteral("<td class=\"l pass\">pass</td>") : QStringLiteral("<td class=\"l fail\">fail</td>");
    return html + QStringLiteral("<td>%1</td></tr>").arg(report.issuesFor(s).size());
}

QString stemTableHtml(const AuditReport &report)
{
    QString html = QStringLiteral("<h2>Stems</h2><table><thead><tr><th class=\"l\">Status</th><th class=\"l\">Stem</th><th class=\"l\">Role</th>"
                                  "<th class=\"l\">Format</th><th>Rate</th><th class=\"l\">Layout</th><th>Length s</th><th>Start s</th><th>Peak dBFS</th>"
                                  "<th>TP dBTP</th><th>RMS dBFS</th><th>LUFS</th><th>LRA LU</th><th>DC</th><th>Corr</th>%1<th>Issues</th></tr></thead><tbody>")
                       .arg(report.profileName.isEmpty() ? QString() : QStringLiteral("<th class=\"l\">Profile</th>"));
    for (int i = 0; i < report.stems.size(); ++i)
        html += stemRowHtml(report, i);
    return html + QStringLiteral("</tbody></table>");
}

// The set's timeline: from the earliest readable stem's start to the latest one's end.
struct SetTimeline {
    double startSeconds = 0.0;
    double lengthSeconds = 0.0;  // 0 when no stem is readable

    explicit SetTimeline(const AuditReport &report)
    {
        double setStart = INFINITY, setEnd = -INFINITY;
        for (const StemReport &s : report.stems)
            if (s.readable) {
                setStart = std::min(setStart, s.startSeconds);
                setEnd = std::max(setEnd, s.startSeconds + s.info.durationSeconds());
            }
        startSeconds = setStart;
        lengthSeconds = setEnd > setStart ? setEnd - setStart : 0.0;
    }

    Span spanOf(const StemReport &s) const
    {
        Span span;
        if (lengthSeconds > 0.0) {
            span.x0 = (s.startSeconds - startSeconds) / lengthSeconds;
            span.x1 = (s.startSeconds + s.info.durationSeconds() - startSeconds) / lengthSeconds;
        }
        return span;
    }
};

QString levelsHtml(const StemReport &s)
{
    return QStringLiteral("<dl><dt>Sample peak</dt><dd>%1 dBFS</dd><dt>True peak</dt><dd>%2 dBTP</dd>"
                          "<dt>Integrated</dt><dd>%3 LUFS</dd><dt>Max momentary</dt><dd>%4 LUFS</dd>"
                          "<dt>Max short-term</dt><dd>%5 LUFS</dd><dt>Leading silence</dt><dd>%6 s</dd>"
                          "<dt>Clipped samples</dt><dd>%7</dd></dl>")
        .arg(num(s.levels.samplePeakDbfs, 2), num(s.levels.truePeakDbtp, 2), num(s.levels.integratedLufs, 1),
             num(s.levels.maxMomentaryLufs, 1), num(s.levels.maxShortTermLufs, 1))
        .arg(s.leadingSilenceSeconds, 0, 'f', 3).arg(s.levels.clippedSamples);
}

// One stem's section: its plots on the set's timeline (so a late or short stem shows where it really sits),
// its issues, profile rules and levels.
QString stemSectionHtml(const AuditReport &report, int i, const SetTimeline &timeline)
{
    const StemReport &s = report.stems.at(i);
    QString html = QStringLiteral("<section class=\"stem\" id=\"stem%1\"><h3><span class=\"dot %2\"></span>%3</h3><div>")
                       .arg(i).arg(report.statusOf(s), esc(s.path));
    if (s.readable) {
        const Span span = timeline.spanOf(s);
        html += waveformSvg(s.overview, span) + loudnessSvg(s.loudness, span, timeAxis(timeline.startSeconds, timeline.lengthSeconds));
    }
    html += QStringLiteral("</div><div>") + issueList(report.issuesFor(s));
    if (s.profile)
        html += profileRulesHtml(*s.profile);
    if (s.readable)
        html += levelsHtml(s);
    return html + QStringLiteral("</div></section>");
}

}  // namespace

QByteArray reportToHtml(const AuditReport &report)
{
    QString html = headerHtml(report) + setIssuesHtml(report) + referenceSectionHtml(report);
    html += stemTableHtml(report) + profileSectionHtml(report);
    const SetTimeline timeline(report);
    for (int i = 0; i < report.stems.size(); ++i)
        html += stemSectionHtml(report, i, timeline);
    html += QStringLiteral("</main><script>") + QString::fromLatin1(kScript) + QStringLiteral("</script></body></html>\n");
    return html.toUtf8();
}

}  // namespace stemship::audit
