#include "sessionreaders.h"

#include <QFileInfo>
#include <QList>
#include <QProcess>
#include <QStandardPaths>
#include <QXmlStreamReader>

namespace stemship::test {

QStringList dawProjectFolders(const QByteArray &projectXml)
{
    struct Open {
        QString label;
        bool holdsTracks = false;
    };
    QList<Open> open;
    QStringList folders;
    QXmlStreamReader xml(projectXml);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("Track")) {
            if (!open.isEmpty())
                open.last().holdsTracks = true;
            const QXmlStreamAttributes a = xml.attributes();
            open.append({a.value(QLatin1String("name")).toString() + QLatin1Char(' ') + a.value(QLatin1String("color")).toString()});
        } else if (xml.isEndElement() && xml.name() == QLatin1String("Track")) {
            if (open.last().holdsTracks)
                folders.append(open.last().label);
            open.removeLast();
        }
    }
    folders.sort();
    return folders;
}

QStringList rppFolders(const QByteArray &rpp)
{
    QStringList folders;
    QString name, colour;
    for (const QByteArray &raw : rpp.split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.startsWith("NAME "))
            name = QString::fromUtf8(line.mid(6, line.size() - 7));  // quoted with one character each side
        if (line.startsWith("PEAKCOL ")) {
            const qint64 v = line.mid(8).toLongLong();
            colour = (v & 0x01000000) ? QStringLiteral("#%1%2%3").arg(v & 0xFF, 2, 16, QLatin1Char('0')).arg((v >> 8) & 0xFF, 2, 16, QLatin1Char('0'))
                                             .arg((v >> 16) & 0xFF, 2, 16, QLatin1Char('0')).toUpper()
                                       : QString();
        }
        if (line == "ISBUS 1 1")
            folders.append(name + QLatin1Char(' ') + colour);
    }
    folders.sort();
    return folders;
}

QStringList midoMetaEvents(const QString &midiPath)
{
    // Debian's interpreter first: python3-mido installs there, and a python3 earlier on PATH (pyenv) lacks it.
    const QString python = QFileInfo::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3")
                                                                                 : QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        return {};
    QProcess p;
    p.start(python, {QStringLiteral("-c"), QStringLiteral(
        "import sys, mido\nnow = 0\n"
        "for m in mido.MidiFile(sys.argv[1]).tracks[0]:\n"
        "  now += m.time\n"
        "  if m.type == 'set_tempo': print('tempo', now, round(mido.tempo2bpm(m.tempo), 3))\n"
        "  if m.type == 'time_signature': print('meter', now, m.numerator, m.denominator)\n"
        "  if m.type == 'marker': print('marker', now, m.text)\n"), midiPath});
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

}  // namespace stemship::test
