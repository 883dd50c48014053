#include "rppexport.h"

#include "templates/exportfile.h"
#include "templates/mixertree.h"

#include <QHash>
#include <QMap>
#include <QUuid>

#include <cmath>

namespace stemship::templates {
namespace {

struct RppTrack {
    QString name;
    QString colour;
    int channels = 2;
    int folderDelta = 0;     // +1 opens a folder, -n closes n
    QString busId;           // the bus this track is, if any
    QList<Send> sends;       // from a template track
    int trackIndex = -1;     // the template track it is, if any
};

void flatten(const SessionTemplate &t, const MixerNode &node, QList<RppTrack> *out)
{
    RppTrack track;
    switch (node.kind) {
    case MixerNode::Kind::Track: {
        const Track &tr = t.tracks[node.index];
        track = {tr.name, t.trackColour(tr), std::max(2, channelCount(tr.layout)), 0, {}, tr.sends, node.index};
        break;
    }
    case MixerNode::Kind::Bus: {
        const Bus &b = t.buses[node.index];
        track = {b.name, b.colour, 2, 0, b.id, {}};
        break;
    }
    }
    if (node.children.isEmpty()) {
        out->append(track);
        return;
    }
    track.folderDelta = 1;
    out->append(track);
    for (const MixerNode &child : node.children)
        flatten(t, child, out);
    out->last().folderDelta -= 1;
}

QByteArray guid(const SessionTemplate &t, int index)
{
    // Stable GUIDs: exporting the same template twice gives the same file.
    static const QUuid ns(QStringLiteral("{6f1c2f0e-9a57-4d36-8f0b-3c5d1b7a2e41}"));
    return QUuid::createUuidV5(ns, t.name + QLatin1Char('/') + QString::number(index)).toString(QUuid::WithBraces).toUpper().toLatin1();
}

QByteArray num(double v) { return QByteArray::number(v, 'g', 10); }

// The audio of one track: an item at 0 spanning the file, its source by relative name (REAPER resolves it
// beside the project).
QByteArray rppItem(const session::SessionClip &clip, const QString &name)
{
    QByteArray out;
    out += "    <ITEM\n";
    out += "      POSITION 0\n";
    out += "      LENGTH " + QByteArray::number(clip.lengthSeconds, 'f', 9) + '\n';
    out += "      LOOP 0\n";
    out += "      NAME " + reaperQuote(name) + '\n';
    out += "      SOFFS 0\n";
    out += "      PLAYRATE 1 1 0 -1 0 0.0025\n";
    out += "      <SOURCE WAVE\n";
    out += "        FILE " + reaperQuote(clip.file) + '\n';
    out += "      >\n";
    out += "    >\n";
    return out;
}

// REAPER packs a time signature into one number: numerator + denominator * 65536.
QByteArray packedMeter(const session::MeterPoint &m) { return QByteArray::number(m.numerator + m.denominator * 65536); }

// Project-level lines of a session: the tempo envelope when the map changes (square shape: tempo holds until the
// next point; a meter rides on the point at its bar) and the Bar 1 marker, all in seconds from sample 0.
QByteArray rppTimeline(const session::SessionPlan &plan)
{
    QByteArray out;
    if (!plan.map.isConstant()) {
        QMap<qint64, std::pair<double, QByteArray>> points;  // microseconds -> tempo, packed meter
        auto at = [&](double qn) { return plan.secondsAtBeats(qn + plan.prerollQuarterNotes()); };
        for (const session::TempoPoint &p : plan.map.tempi())
            points[std::llround((p.quarterNotes == 0 ? 0 : at(p.quarterNotes)) * 1e6)].first = p.tempoBpm;
        for (const session::MeterPoint &m : plan.map.meters()) {
            const qint64 key = std::llround((m.bar == 0 ? 0 : at(plan.map.quarterNotesAtBar(m.bar))) * 1e6);
            points[key].second = packedMeter(m);
        }
        double tempo = plan.map.tempi().first().tempoBpm;
        out += "  <TEMPOENVEX\n    ACT 1 -1\n    VIS 1 0 1\n    LANEHEIGHT 0 0\n    ARM 0\n    DEFSHAPE 1 -1 -1\n";
        for (auto it = points.cbegin(); it != points.cend(); ++it) {
            if (it->first > 0)
                tempo = it->first;
            out += "    PT " + QByteArray::number(double(it.key()) / 1e6, 'f', 6) + ' ' + num(tempo) + " 1";
            if (!it->second.isEmpty())
                out += ' ' + it->second + " 0";
            out += '\n';
        }
        out += "  >\n";
    }
    out += "  MARKER 1 " + QByteArray::number(plan.secondsAtBeats(plan.prerollQuarterNotes()), 'f', 9) + " \"Bar 1\" 0\n";
    return out;
}

}  // namespace

QByteArray rppText(const SessionTemplate &t, const session::SessionPlan *plan);

int reaperColour(const QString &hex)
{
    if (hex.size() != 7 || !hex.startsWith(QLatin1Char('#')))
        return 0;
    bool ok = false;
    const int rgb = hex.mid(1).toInt(&ok, 16);
    if (!ok)
        return 0;
    const int r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
    return 0x01000000 | (b << 16) | (g << 8) | r;
}

QString colourFromReaper(qint64 peakcol)
{
    if (!(peakcol & 0x01000000))
        return {};
    const int r = int(peakcol & 0xFF), g = int((peakcol >> 8) & 0xFF), b = int((peakcol >> 16) & 0xFF);
    return QStringLiteral("#%1%2%3").arg(r, 2, 16, QLatin1Char('0')).arg(g, 2, 16, QLatin1Char('0')).arg(b, 2, 16, QLatin1Char('0')).toUpper();
}

QByteArray reaperQuote(const QString &text)
{
    QString s = text;
    s.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
    const bool dq = s.contains(QLatin1Char('"')), sq = s.contains(QLatin1Char('\'')), bq = s.contains(QLatin1Char('`'));
    if (!dq)
        return '"' + s.toUtf8() + '"';
    if (!sq)
        return '\'' + s.toUtf8() + '\'';
    if (!bq)
        return '`' + s.toUtf8() + '`';
    s.replace(QLatin1Char('`'), QLatin1Char('\''));  // REAPER itself has no escape for all three
    return '`' + s.toUtf8() + '`';
}

QByteArray rppProject(const SessionTemplate &t) { return rppText(t, nullptr); }

QByteArray rppProject(const session::SessionPlan &plan) { return rppText(plan.layout, &plan); }

QByteArray rppText(const SessionTemplate &t, const session::SessionPlan *plan)
{
    QList<RppTrack> tracks;
    for (const MixerNode &node : mixerTree(t))
        flatten(t, node, &tracks);
    QHash<QString, int> busTrack;
    for (int i = 0; i < tracks.size(); ++i) {
        if (!tracks[i].busId.isEmpty())
            busTrack.insert(tracks[i].busId, i);
    }
    // AUXRECV lives on the receiving track: collect each send under its return.
    QHash<int, QList<QByteArray>> receives;
    for (int i = 0; i < tracks.size(); ++i) {
        for (const Send &send : tracks[i].sends) {
            if (!busTrack.contains(send.bus))
                continue;
            // Mode 0 = post-fader (post-pan), 3 = pre-fader (post-FX); then volume, pan, mute, mono, phase,
            // source and destination channels, pan law, MIDI flags, automation mode.
            receives[busTrack.value(send.bus)].append("AUXRECV " + QByteArray::number(i) + (send.preFader ? " 3 " : " 0 ")
                                                      + num(std::pow(10.0, send.levelDb / 20.0)) + " 0 0 0 0 0 0 -1:U 0 -1 ''");
        }
    }
    QByteArray out;
    out += "<REAPER_PROJECT 0.1 \"7.0/stemship-" STEMSHIP_VERSION "\" 0\n";
    out += "  RIPPLE 0\n";
    out += "  TEMPO " + num(t.tempoBpm) + ' ' + QByteArray::number(t.timeSignature.numerator) + ' '
         + QByteArray::number(t.timeSignature.denominator) + '\n';
    out += "  SAMPLERATE 48000 0 0\n";
    out += "  <NOTES 0 2\n";
    for (const QString &line : t.description.split(QLatin1Char('\n')))
        out += "    |" + line.toUtf8() + '\n';
    out += "  >\n";
    if (plan)
        out += rppTimeline(*plan);
    out += "  MASTER_NCH 2 2\n";
    if (const Bus *mix = t.mixBus(); mix && reaperColour(mix->colour))
        out += "  MASTERPEAKCOL " + QByteArray::number(reaperColour(mix->colour)) + '\n';
    for (int i = 0; i < tracks.size(); ++i) {
        const RppTrack &tr = tracks[i];
        const QByteArray id = guid(t, i);
        out += "  <TRACK " + id + '\n';
        out += "    NAME " + reaperQuote(tr.name) + '\n';
        out += "    PEAKCOL " + QByteArray::number(reaperColour(tr.colour) ? reaperColour(tr.colour) : 16576) + '\n';
        out += "    VOLPAN 1 0 -1 -1 1\n";
        const bool muted = plan && tr.trackIndex >= 0 && plan->muted.value(tr.trackIndex);
        out += muted ? "    MUTESOLO 1 0 0\n" : "    MUTESOLO 0 0 0\n";
        if (tr.folderDelta > 0)
            out += "    ISBUS 1 1\n";
        else if (tr.folderDelta < 0)
            out += "    ISBUS 2 " + QByteArray::number(tr.folderDelta) + '\n';
        else
            out += "    ISBUS 0 0\n";
        out += "    NCHAN " + QByteArray::number(tr.channels) + '\n';
        out += "    TRACKID " + id + '\n';
        out += "    MAINSEND 1 0\n";
        for (const QByteArray &line : receives.value(i))
            out += "    " + line + '\n';
        if (plan && tr.trackIndex >= 0 && tr.trackIndex < plan->clips.size())
            out += rppItem(plan->clips[tr.trackIndex], tr.name);
        out += "  >\n";
    }
    out += ">\n";
    return out;
}

Status exportRpp(const SessionTemplate &tmpl, const QString &path) { return writeFileAtomically(path, rppProject(tmpl)); }

}  // namespace stemship::templates
