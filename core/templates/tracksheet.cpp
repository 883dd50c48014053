#include "tracksheet.h"

#include "templates/exportfile.h"
#include "util/csv.h"

#include <QStringList>

namespace stemship::templates {
namespace {

QString busName(const SessionTemplate &t, const QString &id)
{
    const Bus *b = t.bus(id);
    return b ? b->name : id;
}

QString groupName(const SessionTemplate &t, const QString &id)
{
    const Group *g = t.group(id);
    return g ? g->name : id;
}

// What the DAW exports show for a group: the folder of its bus (bus name and colour), or none when the group
// feeds the mix bus directly (mixertree.h).
QString groupFolder(const SessionTemplate &t, const Group *g)
{
    const Bus *b = g && !g->bus.isEmpty() && g->bus != t.mixBusId() ? t.bus(g->bus) : nullptr;
    if (!b)
        return QStringLiteral("<span class=\"muted\">no folder: feeds the mix bus directly</span>");
    return QStringLiteral("<span class=\"muted\">in the folder</span> %1%2")
        .arg(b->colour.isEmpty() ? QString() : QStringLiteral("<span class=\"swatch\" style=\"background:%1\"></span>").arg(b->colour.toHtmlEscaped()),
             b->name.toHtmlEscaped());
}

QString db(double v) { return QString::number(v, 'g', 6); }

QString describeSend(const SessionTemplate &t, const Send &s)
{
    return QStringLiteral("%1 %2 dB %3").arg(busName(t, s.bus), db(s.levelDb), s.preFader ? QStringLiteral("pre") : QStringLiteral("post"));
}

QString sendsText(const SessionTemplate &t, const Track &track)
{
    QStringList parts;
    for (const Send &s : track.sends)
        parts.append(describeSend(t, s));
    return parts.join(QStringLiteral("; "));
}

QString esc(const QString &s) { return s.toHtmlEscaped(); }

QString swatch(const QString &colour)
{
    if (colour.isEmpty())
        return QStringLiteral("<span class=\"swatch none\"></span>");
    return QStringLiteral("<span class=\"swatch\" style=\"background:%1\"></span><code>%1</code>").arg(esc(colour));
}

const char *kCss = R"(
body { font: 10.5pt/1.4 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1b1f23; margin: 2em; }
h1 { font-size: 18pt; margin: 0 0 .2em; } h2 { font-size: 12pt; margin: 1.6em 0 .4em; }
.facts { display: flex; flex-wrap: wrap; gap: .4em 2em; margin: .6em 0; padding: 0; list-style: none; }
.facts b { color: #57606a; font-weight: 600; margin-right: .3em; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #d0d7de; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.group td { background: #f6f8fa; font-weight: 600; border-top: 2px solid #8c959f; }
.swatch { display: inline-block; width: 1.1em; height: 1.1em; border: 1px solid rgba(0,0,0,.35); border-radius: 2px;
          vertical-align: -.2em; margin-right: .4em; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.swatch.none { background: repeating-linear-gradient(45deg, #fff, #fff 2px, #ccc 2px, #ccc 4px); }
code { font: 9pt ui-monospace, Menlo, Consolas, monospace; color: #57606a; }
.muted { color: #57606a; }
@page { size: A4 landscape; margin: 12mm; }
@media print { body { margin: 0; font-size: 9pt; } h2 { break-after: avoid; } tr { break-inside: avoid; }
               thead { display: table-header-group; } a { color: inherit; text-decoration: none; } }
)";

}  // namespace

QString describeTarget(const GainTarget &target)
{
    const QString unit = target.measure == TargetMeasure::Lufs ? QStringLiteral("LUFS") : QStringLiteral("dBFS");
    return QStringLiteral("%1 %2 %3").arg(targetMeasureName(target.measure), db(target.valueDb), unit);
}

QByteArray trackSheetCsv(const SessionTemplate &t)
{
    QString out = QStringLiteral("index,name,group,colour,layout,output,sends,target\r\n");
    for (int i = 0; i < t.tracks.size(); ++i) {
        const Track &track = t.tracks[i];
        const QStringList cells{QString::number(i + 1), track.name, groupName(t, track.group), t.trackColour(track),
                                channelLayoutName(track.layout), busName(t, t.trackOutput(track)), sendsText(t, track),
                                describeTarget(t.trackTarget(track))};
        out += csvRow(cells);
    }
    return out.toUtf8();
}

QByteArray trackSheetHtml(const SessionTemplate &t)
{
    const QString title = t.title.isEmpty() ? t.name : t.title;
    QString h;
    h += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h += QStringLiteral("<title>%1 — track sheet</title>\n<style>%2</style>\n</head>\n<body>\n").arg(esc(title), QString::fromUtf8(kCss));
    h += QStringLiteral("<h1>%1</h1>\n").arg(esc(title));
    if (!t.description.isEmpty())
        h += QStringLiteral("<p class=\"muted\">%1</p>\n").arg(esc(t.description));
    h += QStringLiteral("<ul class=\"facts\"><li><b>Template</b>%1</li><li><b>Tempo</b>%2 BPM</li><li><b>Time signature</b>%3/%4</li>"
                        "<li><b>Default target</b>%5</li><li><b>True-peak ceiling</b>%6 dBTP</li><li><b>Tracks</b>%7</li>"
                        "<li><b>Delivery names</b><code>%8</code></li></ul>\n")
             .arg(esc(t.name), db(t.tempoBpm)).arg(t.timeSignature.numerator).arg(t.timeSignature.denominator)
             .arg(esc(describeTarget(t.defaultTarget)), db(t.truePeakCeilingDbtp)).arg(t.tracks.size()).arg(esc(t.deliveryPattern));
    h += QStringLiteral("<h2>Tracks</h2>\n<table>\n<thead><tr><th>#</th><th>Track</th><th>Colour</th><th>Layout</th><th>Output</th>"
                        "<th>Sends</th><th>Target</th></tr></thead>\n<tbody>\n");
    QString currentGroup = QStringLiteral("\x01");
    for (int i = 0; i < t.tracks.size(); ++i) {
        const Track &track = t.tracks[i];
        if (track.group != currentGroup) {
            currentGroup = track.group;
            const Group *g = t.group(track.group);
            h += QStringLiteral("<tr class=\"group\"><td></td><td colspan=\"6\">%1<b>%2</b> %3</td></tr>\n")
                     .arg(g && !g->colour.isEmpty() ? QStringLiteral("<span class=\"swatch\" style=\"background:%1\"></span>").arg(esc(g->colour)) : QString(),
                          esc(g ? g->name : QStringLiteral("No group")), groupFolder(t, g));
        }
        QStringList sends;
        for (const Send &s : track.sends)
            sends.append(esc(describeSend(t, s)));
        h += QStringLiteral("<tr><td class=\"num\">%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td><td>%7</td></tr>\n")
                 .arg(i + 1).arg(esc(track.name), swatch(t.trackColour(track)), esc(channelLayoutName(track.layout)),
                                 esc(busName(t, t.trackOutput(track))), sends.join(QStringLiteral("<br>")),
                                 esc(describeTarget(t.trackTarget(track))));
    }
    h += QStringLiteral("</tbody>\n</table>\n<h2>Buses</h2>\n<table>\n<thead><tr><th>Bus</th><th>Colour</th><th>Kind</th><th>Feeds</th>"
                        "<th>Effect</th></tr></thead>\n<tbody>\n");
    for (const Bus &b : t.buses) {
        h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td></tr>\n")
                 .arg(esc(b.name), swatch(b.colour), esc(busKindName(b.kind)),
                      esc(b.kind == BusKind::Mix ? QStringLiteral("—") : busName(t, t.busOutput(b))), esc(b.effect));
    }
    h += QStringLiteral("</tbody>\n</table>\n<p class=\"muted\">Generated by Stemship %1.</p>\n</body>\n</html>\n")
             .arg(QStringLiteral(STEMSHIP_VERSION));
    return h.toUtf8();
}

Status exportTrackSheetCsv(const SessionTemplate &tmpl, const QString &path) { return writeFileAtomically(path, trackSheetCsv(tmpl)); }
Status exportTrackSheetHtml(const SessionTemplate &tmpl, const QString &path) { return writeFileAtomically(path, trackSheetHtml(tmpl)); }

}  // namespace stemship::templates
