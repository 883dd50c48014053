#include "sessiontemplate.h"

namespace stemship::templates {

const Group *SessionTemplate::group(const QString &id) const
{
    for (const Group &g : groups) {
        if (g.id == id)
            return &g;
    }
    return nullptr;
}

const Bus *SessionTemplate::bus(const QString &id) const
{
    for (const Bus &b : buses) {
        if (b.id == id)
            return &b;
    }
    return nullptr;
}

const Bus *SessionTemplate::mixBus() const
{
    for (const Bus &b : buses) {
        if (b.kind == BusKind::Mix)
            return &b;
    }
    return nullptr;
}

QString SessionTemplate::mixBusId() const
{
    const Bus *mix = mixBus();
    return mix ? mix->id : QString();
}

QString SessionTemplate::trackColour(const Track &track) const
{
    if (!track.colour.isEmpty())
        return track.colour;
    if (const Group *g = group(track.group))
        return g->colour;
    return {};
}

QString SessionTemplate::trackOutput(const Track &track) const
{
    if (!track.output.isEmpty())
        return track.output;
    if (const Group *g = group(track.group); g && !g->bus.isEmpty())
        return g->bus;
    return mixBusId();
}

GainTarget SessionTemplate::trackTarget(const Track &track) const
{
    if (track.target)
        return *track.target;
    if (const Group *g = group(track.group); g && g->target)
        return *g->target;
    return defaultTarget;
}

QString SessionTemplate::busOutput(const Bus &b) const
{
    if (b.kind == BusKind::Mix)
        return {};
    return b.output.isEmpty() ? mixBusId() : b.output;
}

QString targetMeasureName(TargetMeasure measure)
{
    switch (measure) {
    case TargetMeasure::Peak: return QStringLiteral("peak");
    case TargetMeasure::Rms: return QStringLiteral("rms");
    case TargetMeasure::Lufs: return QStringLiteral("lufs");
    }
    return {};
}

std::optional<TargetMeasure> parseTargetMeasure(const QString &name)
{
    if (name == QLatin1String("peak"))
        return TargetMeasure::Peak;
    if (name == QLatin1String("rms"))
        return TargetMeasure::Rms;
    if (name == QLatin1String("lufs"))
        return TargetMeasure::Lufs;
    return std::nullopt;
}

QString channelLayoutName(ChannelLayout layout)
{
    switch (layout) {
    case ChannelLayout::Mono: return QStringLiteral("mono");
    case ChannelLayout::Stereo: return QStringLiteral("stereo");
    case ChannelLayout::Surround51: return QStringLiteral("5.1");
    case ChannelLayout::Surround71: return QStringLiteral("7.1");
    }
    return {};
}

std::optional<ChannelLayout> parseChannelLayout(const QString &name)
{
    if (name == QLatin1String("mono"))
        return ChannelLayout::Mono;
    if (name == QLatin1String("stereo"))
        return ChannelLayout::Stereo;
    if (name == QLatin1String("5.1"))
        return ChannelLayout::Surround51;
    if (name == QLatin1String("7.1"))
        return ChannelLayout::Surround71;
    return std::nullopt;
}

int channelCount(ChannelLayout layout)
{
    switch (layout) {
    case ChannelLayout::Mono: return 1;
    case ChannelLayout::Stereo: return 2;
    case ChannelLayout::Surround51: return 6;
    case ChannelLayout::Surround71: return 8;
    }
    return 1;
}

QString busKindName(BusKind kind)
{
    switch (kind) {
    case BusKind::Group: return QStringLiteral("group");
    case BusKind::Aux: return QStringLiteral("aux");
    case BusKind::Mix: return QStringLiteral("mix");
    }
    return {};
}

std::optional<BusKind> parseBusKind(const QString &name)
{
    if (name == QLatin1String("group"))
        return BusKind::Group;
    if (name == QLatin1String("aux"))
        return BusKind::Aux;
    if (name == QLatin1String("mix"))
        return BusKind::Mix;
    return std::nullopt;
}

}  // namespace stemship::templates
