#pragma once

// A template's routing as the folder tree a DAW shows: a folder is a bus holding what feeds it, so a group's
// folder is its bus (the bus's name and colour) and a group feeding the mix bus directly is a folder nowhere.
// Shared by the DAWproject and REAPER exporters, the session writers and the GUI's routing tree, so every format
// shows one template the same way.

#include "templates/sessiontemplate.h"

#include <QList>

namespace stemship::templates {

struct MixerNode {
    enum class Kind { Track, Bus };
    Kind kind = Kind::Track;
    int index = -1;        // into tracks (Track) or buses (Bus)
    int ownerGroup = -1;   // Bus: the one group whose bus it is, else -1 (the folder keeps the bus's name)
    QList<MixerNode> children;
};

// The mix bus's inputs, each with its subtree. Siblings are ordered by their first track, so the session reads
// in template order; buses nothing feeds (aux returns) come last, in bus order. Every track appears once.
QList<MixerNode> mixerTree(const SessionTemplate &tmpl);

// The group that owns bus index busIndex (exactly one group names it as its bus), else -1.
int owningGroup(const SessionTemplate &tmpl, int busIndex);

}  // namespace stemship::templates
