#include "rppexport.h"

#include "templates/exportfile.h"
#include "templates/mixertree.h"

#include <QHash>
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
};

void flatten(const SessionTemplate &t, const MixerNode &node, QList<RppTrack> *out)
{
    RppTrack track;
    switch (node.kind) {
    case MixerNode::Kind::Track: {
        const Track &tr = t.tracks[node.index];
        track = {tr.name, t.trackColour(tr), std::max(2, channelCount(tr.layout)), 0, {}, tr.sends};
        break;
    }
    case MixerNode::Kind::Bus: {
        const Bus &b = t.buses[node.index];
        track = {b.name, b.colour, 2, 0, b.id, {}};
        break;
    }
    case MixerNode::Kind::Folder: {
        const Group &g = t.groups[node.index];
        track = {g.name, g.colour, 2, 0, {}, {}};
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

}  // namespace

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

QByteArray rppProject(const SessionTemplate &t)
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
    out += "  TEMPO " + num(t.tempoBpm) + ' ' + QByteArray::number(t.timeSignatureNumerator) + ' '
         + QByteArray::number(t.timeSignatureDenominator) + '\n';
    out += "  SAMPLERATE 48000 0 0\n";
    out += "  <NOTES 0 2\n";
    for (const QString &line : t.description.split(QLatin1Char('\n')))
        out += "    |" + line.toUtf8() + '\n';
    out += "  >\n";
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
        out += "    MUTESOLO 0 0 0\n";
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
        out += "  >\n";
    }
    out += ">\n";
    return out;
}

Status exportRpp(const SessionTemplate &tmpl, const QString &path) { return writeFileAtomically(path, rppProject(tmpl)); }

}  // namespace stemship::templates
