#include "sessionplan.h"

#include "templates/trackmatcher.h"

#include <QFileInfo>
#include <QSet>

namespace stemship::session {
namespace {

templates::ChannelLayout layoutFor(int channels)
{
    switch (channels) {
    case 1: return templates::ChannelLayout::Mono;
    case 6: return templates::ChannelLayout::Surround51;
    case 8: return templates::ChannelLayout::Surround71;
    default: return templates::ChannelLayout::Stereo;
    }
}

SessionClip clipOf(const DeliveredFile &f)
{
    return SessionClip{f.file, f.sampleRateHz > 0 ? double(f.frames) / f.sampleRateHz : 0.0, f.sampleRateHz, f.channels};
}

// A file's own track: named after the file, on the mix bus.
templates::Track looseTrack(const DeliveredFile &f, const QString &mixBus)
{
    templates::Track track;
    track.name = QFileInfo(f.file).completeBaseName();
    track.output = mixBus;
    track.layout = layoutFor(f.channels);
    return track;
}

templates::SessionTemplate emptyLayout(const templates::SessionTemplate *tmpl)
{
    templates::SessionTemplate layout;
    if (tmpl) {
        layout = *tmpl;
        layout.tracks.clear();
    } else {
        layout.name = QStringLiteral("session");
        layout.buses = {templates::Bus{QStringLiteral("mix"), QStringLiteral("Mix Bus"), templates::BusKind::Mix, {}, {}, {}}};
    }
    return layout;
}

}  // namespace

double SessionPlan::beatsAt(double sessionSeconds) const
{
    return map.quarterNotesAt(sessionSeconds + map.secondsAt(-prerollQuarterNotes())) + prerollQuarterNotes();
}

double SessionPlan::secondsAtBeats(double sessionBeats) const
{
    return map.secondsAt(sessionBeats - prerollQuarterNotes()) - map.secondsAt(-prerollQuarterNotes());
}

SessionPlan planSession(const DeliveryDescription &delivery, const templates::SessionTemplate *tmpl)
{
    SessionPlan plan;
    plan.map = delivery.map;
    plan.prerollBars = delivery.prerollBars;
    plan.layout = emptyLayout(tmpl);
    plan.layout.title = delivery.title;
    plan.layout.tempoBpm = delivery.map.tempi().first().tempoBpm;
    plan.layout.timeSignature.numerator = delivery.map.meters().first().numerator;
    plan.layout.timeSignature.denominator = delivery.map.meters().first().denominator;
    const QString mix = plan.layout.mixBusId();
    std::optional<templates::TrackMatcher> matcher;
    if (tmpl)
        matcher.emplace(*tmpl);
    QSet<int> taken;  // a template track names one stem; a second one keeps its file name
    QSet<QString> names;
    for (const DeliveredFile &f : delivery.stems) {
        templates::Track track = looseTrack(f, mix);
        if (matcher) {
            std::optional<templates::TrackMatch> m = f.source.isEmpty() ? std::nullopt : matcher->match(QFileInfo(f.source).fileName());
            if (!m)
                m = matcher->match(f.file);
            if (m && !taken.contains(m->index)) {
                taken.insert(m->index);
                track = tmpl->tracks[m->index];
                track.layout = layoutFor(f.channels);
            }
        }
        for (int n = 2; names.contains(track.name); ++n)
            track.name = QFileInfo(f.file).completeBaseName() + (n > 2 ? QStringLiteral(" (%1)").arg(n) : QString());
        names.insert(track.name);
        plan.layout.tracks.append(track);
        plan.clips.append(clipOf(f));
        plan.muted.append(f.muted);
    }
    if (delivery.reference) {
        templates::Track track = looseTrack(*delivery.reference, mix);
        track.name = QStringLiteral("Reference mix");
        plan.layout.tracks.append(track);
        plan.clips.append(clipOf(*delivery.reference));
        plan.muted.append(true);
    }
    return plan;
}

QString sessionBaseName(const QString &title, const QString &version)
{
    QString v = version.trimmed();
    if (v.startsWith(QLatin1Char('v')) || v.startsWith(QLatin1Char('V')))
        v.remove(0, 1);
    QString name = (title.trimmed().isEmpty() ? QStringLiteral("Session") : title.trimmed()) + QStringLiteral(" v") + v;
    for (QChar &c : name) {
        // Windows and macOS refuse these in file names; control characters break terminals.
        if (c.unicode() < 0x20 || QStringLiteral("/\\:*?\"<>|").contains(c))
            c = QLatin1Char('_');
    }
    return name;
}

}  // namespace stemship::session
