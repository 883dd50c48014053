#include "sessiontemplate.h"

#include <initializer_list>

namespace stemship::templates {
namespace {

// The value among `all` whose name is `name`, if any.
template <typename Enum>
std::optional<Enum> parseByName(const QString &name, std::initializer_list<Enum> all, QString (*nameOf)(Enum))
{
    for (const Enum value : all)
        if (nameOf(value) == name)
            return value;
    return std::nullopt;
}

}  // namespace

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

// Parsing is the inverse of naming: each enum's spellings are written once, in its name function.
std::optional<TargetMeasure> parseTargetMeasure(const QString &name)
{
    return parseByName(name, {TargetMeasure::Peak, TargetMeasure::Rms, TargetMeasure::Lufs}, targetMeasureName);
}

std::optional<ChannelLayout> parseChannelLayout(const QString &name)
{
    return parseByName(name, {ChannelLayout::Mono, ChannelLayout::Stereo, ChannelLayout::Surround51, ChannelLayout::Surround71},
                       channelLayoutName);
}

std::optional<BusKind> parseBusKind(const QString &name)
{
    return parseByName(name, {BusKind::Group, BusKind::Aux, BusKind::Mix}, busKindName);
}

}  // namespace stemship::templates
