#pragma once

// Which template track a stem file is, from its messy name ("kick_in_01.wav", "OH L.wav", "Lead Vox (2).wav").

#include "templates/deliveryname.h"
#include "templates/sessiontemplate.h"

#include <QHash>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <optional>

namespace stemship::templates {

// NFKC, case-folded, every run of non-letters/digits (_ - . space brackets...) one space, trimmed.
QString normaliseName(const QString &name);

// The file's base name (directory and audio extension removed) normalised, then peeled one step at a time of
// trailing numbering, take/version numbers, DAW export suffixes and L/R side markers, and of leading
// numbering: the most specific form first. side is "L"/"R" once a side marker has been peeled.
struct NameCandidate {
    QString key;
    QString side;
};
QList<NameCandidate> nameCandidates(const QString &fileName);

enum class MatchKind { Name, Alias, Pattern, Contained };

struct TrackMatch {
    int index = -1;          // into SessionTemplate::tracks
    MatchKind kind = MatchKind::Name;
    QString side;            // "L"/"R" when the file is one side of a stereo pair ("OH L" -> "OH"), else empty
};

// Built once per template, then matches many files. Rules, in order (first hit wins):
//  1. a candidate (most specific first) equals a track name or alias, normalised;
//  2. the same with spaces removed ("KickIn" = "Kick In");
//  3. a track pattern matches a candidate: the longest match wins, ties go to the earlier track;
//  4. a track name or alias appears as whole words inside the name: the longest wins, ties the earlier track.
class TrackMatcher {
public:
    explicit TrackMatcher(const SessionTemplate &tmpl);
    std::optional<TrackMatch> match(const QString &fileName) const;

private:
    struct Key {
        int track;
        MatchKind kind;
    };
    QHash<QString, Key> m_keys;         // normalised name/alias -> track
    QHash<QString, Key> m_compactKeys;  // the same without spaces
    QList<QPair<QString, Key>> m_keyList;  // for whole-word containment, in track order
    QList<QPair<int, QRegularExpression>> m_patterns;
};

// Index into tmpl.tracks of the track fileName belongs to, or nothing.
std::optional<int> matchTrack(const SessionTemplate &tmpl, const QString &fileName);

}  // namespace stemship::templates
