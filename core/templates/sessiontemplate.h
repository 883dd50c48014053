#pragma once

// A DAW-agnostic session template ("format": "stemship-template/1"): tracks, groups, buses, targets, naming.

#include "templates/auditsettings.h"
#include "util/timesignature.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace stemship::templates {

enum class TargetMeasure { Peak, Rms, Lufs };

// Gain-staging target: e.g. peaks near -18 dBFS (the default), or -23 LUFS for dialogue.
struct GainTarget {
    TargetMeasure measure = TargetMeasure::Peak;
    double valueDb = -18.0;
};

struct Group {
    QString id;       // "drums"
    QString name;     // "Drums"
    QString colour;   // "#RRGGBB"
    QString bus;      // id of the group bus its tracks route to by default (may be empty: mix bus)
    std::optional<GainTarget> target;
};

struct Send {
    QString bus;          // aux bus id
    double levelDb = 0.0;
    bool preFader = false;
};

enum class ChannelLayout { Mono, Stereo, Surround51, Surround71 };

struct Track {
    QString name;          // "Kick In"
    QStringList aliases;   // "Kick Inside", "BD In"
    QStringList patterns;  // extra regular expressions matched against the normalised file name
    QString group;         // group id
    QString colour;        // "#RRGGBB"; empty = the group's colour
    ChannelLayout layout = ChannelLayout::Mono;
    QString output;        // bus id; empty = the group's bus, else the mix bus
    QList<Send> sends;
    std::optional<GainTarget> target;  // empty = the group's, else the template's default
    bool required = true;  // false ("optional": true): no missing_stem when a session lacks it
};

enum class BusKind { Group, Aux, Mix };

struct Bus {
    QString id;        // "drum_bus"
    QString name;      // "Drum Bus"
    BusKind kind = BusKind::Group;
    QString colour;
    QString output;    // bus id it feeds; empty = the mix bus (the mix bus itself feeds nothing)
    QString effect;    // aux returns: "reverb", "delay", ... (descriptive)
};

struct SessionTemplate {
    QString name;          // identifier, e.g. "band-tracking"
    QString title;         // "Band Tracking"
    QString description;
    double tempoBpm = 120.0;
    TimeSignature timeSignature;
    QList<Group> groups;
    QList<Track> tracks;
    QList<Bus> buses;      // includes exactly one Mix bus
    GainTarget defaultTarget;          // peaks near -18 dBFS
    double truePeakCeilingDbtp = -1.0;
    QString deliveryPattern = QStringLiteral("{index:02} {name}");
    audit::AuditSettings audit;        // thresholds and severity overrides

    const Group *group(const QString &id) const;
    const Bus *bus(const QString &id) const;
    QString trackColour(const Track &track) const;      // own colour, else the group's
    QString trackOutput(const Track &track) const;      // own output, else the group's bus, else mix bus id
    GainTarget trackTarget(const Track &track) const;   // own, else group's, else default
    const Bus *mixBus() const;                           // the one bus of kind Mix, or null
    QString mixBusId() const;
    QString busOutput(const Bus &bus) const;            // own output, else the mix bus id; empty for the mix bus
};

// Names used in the JSON format (docs/template-format.md) for the enums above.
QString targetMeasureName(TargetMeasure measure);            // "peak" | "rms" | "lufs"
std::optional<TargetMeasure> parseTargetMeasure(const QString &name);
QString channelLayoutName(ChannelLayout layout);             // "mono" | "stereo" | "5.1" | "7.1"
std::optional<ChannelLayout> parseChannelLayout(const QString &name);
int channelCount(ChannelLayout layout);                      // 1, 2, 6, 8
QString busKindName(BusKind kind);                           // "group" | "aux" | "mix"
std::optional<BusKind> parseBusKind(const QString &name);

}  // namespace stemship::templates
