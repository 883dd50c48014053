#include "sessionwriter.h"

#include "session/midifile.h"
#include "templates/dawprojectexport.h"
#include "templates/rppexport.h"

namespace stemship::session {

Result<QList<SessionFormat>> parseSessionFormats(const QString &text)
{
    QList<SessionFormat> formats;
    const QStringList names = text.trimmed().isEmpty() ? QStringList{QStringLiteral("dawproject"), QStringLiteral("rpp"), QStringLiteral("midi")}
                                                       : text.split(QLatin1Char(','));
    for (const QString &raw : names) {
        const QString name = raw.trimmed().toLower();
        SessionFormat f;
        if (name == QLatin1String("dawproject"))
            f = SessionFormat::DawProject;
        else if (name == QLatin1String("rpp"))
            f = SessionFormat::Rpp;
        else if (name == QLatin1String("midi"))
            f = SessionFormat::Midi;
        else
            return Error{QString(), QStringLiteral("unknown session format '%1' (dawproject, rpp, midi)").arg(raw.trimmed()), ErrorCode::Usage};
        if (!formats.contains(f))
            formats.append(f);
    }
    return formats;
}

QString sessionFileName(const QString &baseName, SessionFormat format)
{
    switch (format) {
    case SessionFormat::DawProject: return baseName + QStringLiteral(".dawproject");
    case SessionFormat::Rpp: return baseName + QStringLiteral(".RPP");
    case SessionFormat::Midi: return baseName + QStringLiteral(" tempo.mid");
    }
    return baseName;
}

Result<QByteArray> sessionFileData(const SessionPlan &plan, SessionFormat format, const QString &fileName)
{
    switch (format) {
    case SessionFormat::DawProject:
        return templates::dawProjectZip(templates::dawProjectXml(plan), templates::dawProjectMetadataXml(plan.layout), fileName);
    case SessionFormat::Rpp:
        return templates::rppProject(plan);
    case SessionFormat::Midi:
        return tempoMidi(plan.map, plan.prerollBars, {MidiMarker{plan.prerollQuarterNotes(), QStringLiteral("Bar 1")}},
                         plan.layout.title.isEmpty() ? QStringLiteral("Tempo") : plan.layout.title);
    }
    return Error{fileName, QStringLiteral("unknown format"), ErrorCode::Usage};
}

}  // namespace stemship::session
