#pragma once

// A template's routing as the folder tree a DAW shows: buses hold what feeds them, groups without a bus of
// their own become plain folders. Shared by the DAWproject and REAPER exporters.

#include "templates/sessiontemplate.h"

#include <QList>

namespace stemship::templates {

struct MixerNode {
    enum class Kind { Track, Bus, Folder };
    Kind kind = Kind::Track;
    int index = -1;        // into tracks (Track), buses (Bus) or groups (Folder)
    int ownerGroup = -1;   // Bus: the one group whose bus it is (it names the folder), else -1
    QList<MixerNode> children;
};

// The mix bus's inputs, each with its subtree. Siblings are ordered by their first track, so the session reads
// in template order; buses nothing feeds (aux returns) come last, in bus order. Every track appears once.
QList<MixerNode> mixerTree(const SessionTemplate &tmpl);

// The group that owns bus index busIndex (exactly one group names it as its bus), else -1.
int owningGroup(const SessionTemplate &tmpl, int busIndex);

}  // namespace stemship::templates
