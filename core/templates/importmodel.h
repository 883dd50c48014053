#pragma once

// What the DAWproject and REAPER importers read, before it becomes a SessionTemplate: a folder tree of tracks.

#include "templates/sessiontemplate.h"
#include "util/error.h"

#include <QList>
#include <QString>

namespace stemship::templates {

struct ImportedSend {
    int target = -1;       // node index of the receiving bus
    double levelDb = 0;
    bool preFader = false;
};

struct ImportedNode {
    enum class Role { Track, GroupBus, AuxBus, Folder };  // Folder: a group with no bus of its own
    Role role = Role::Track;
    int parent = -1;       // enclosing folder/bus node, -1 = top level
    int output = -1;       // explicit destination bus node; -1 = the enclosing bus, else the mix
    QString name;          // the track (or folder) name; for a bus folder, the group's name
    QString colour;        // "#RRGGBB" or empty
    QString busName;       // buses: the bus's own name (DAWproject Channel name), empty = name
    QString busColour;
    QString effect;
    int channels = 1;
    QList<ImportedSend> sends;
};

struct ImportedSession {
    QString title;
    QString description;
    double tempoBpm = 120;
    int numerator = 4;
    int denominator = 4;
    QString mixName = QStringLiteral("Mix Bus");
    QString mixColour;
    QList<ImportedNode> nodes;
};

// Limits shared by the importers: hostile files get an Error, never a crash or unbounded memory.
struct ImportLimits {
    static constexpr qint64 maxProjectBytes = 64 << 20;  // project.xml / .RPP text
    static constexpr int maxDepth = 64;                   // XML elements / RPP blocks
    static constexpr int maxTracks = 1000;
    static constexpr int maxSendsPerTrack = 64;
};

// Buses from bus folders, groups from folders that hold tracks, tracks with their group, output and sends;
// track names made unique, colours normalised to upper case. name becomes the template's name.
Result<SessionTemplate> buildImportedTemplate(const ImportedSession &session, const QString &name, const QString &fileName);

// "My Song.dawproject" -> "my-song".
QString templateNameFromFile(const QString &fileName);

}  // namespace stemship::templates
