#pragma once

// What a session file holds, whatever the DAW: the delivered stems as tracks laid out by a template (names,
// colours, bus folders, aux returns, sends), one clip per track at sample 0, the tempo map and the Bar 1 marker.

#include "session/tempomap.h"
#include "templates/sessiontemplate.h"

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace stemship::session {

// One delivered WAV as the session sees it.
struct DeliveredFile {
    QString file;             // relative name in the delivery ("01 Kick In.wav")
    QString source;           // what it was made from, for template matching (may be empty)
    std::int64_t frames = 0;
    int sampleRateHz = 48000;
    int channels = 2;
    bool muted = false;       // the reference mix: on its own muted track
};

struct DeliveryDescription {
    QString title;
    QString version;          // as given ("3" or "v3")
    TempoMap map = TempoMap::constant(120, 4, 4);
    int prerollBars = 0;
    QList<DeliveredFile> stems;
    std::optional<DeliveredFile> reference;
};

struct SessionClip {
    QString file;
    double lengthSeconds = 0;
    int sampleRateHz = 48000;
    int channels = 2;
};

// layout.tracks[i] plays clips[i]; muted[i] says whether it starts muted. The layout's tempo and meter are the
// map's first; the writers read positions from map (quarter note 0 = bar one) shifted by prerollBars.
struct SessionPlan {
    templates::SessionTemplate layout;
    QList<SessionClip> clips;
    QList<bool> muted;
    TempoMap map = TempoMap::constant(120, 4, 4);
    int prerollBars = 0;

    double prerollQuarterNotes() const { return prerollBars * map.quarterNotesPerBar(0); }
    // Session time (0 = sample 0 of every file) to session beats and back, with the pre-roll in front.
    double beatsAt(double sessionSeconds) const;
    double secondsAtBeats(double sessionBeats) const;
};

// Tracks in delivery order. With a template: each stem matched to its track (by source, else by file name) takes
// its name, colour, group, output and sends; stems it does not name and the reference sit on the mix bus,
// named after their files. Without: one track per stem named after its file, on the mix bus.
SessionPlan planSession(const DeliveryDescription &delivery, const templates::SessionTemplate *tmpl);

// "<title> v<version>" with one v ("3" and "v3" both give "v3"); characters no file system takes replaced.
QString sessionBaseName(const QString &title, const QString &version);

}  // namespace stemship::session
