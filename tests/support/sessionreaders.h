#pragma once

// Independent readings of session files: the folder tracks a DAWproject or REAPER session shows, read straight
// from the files (not through Stemship's importers), and a MIDI file's meta events read by python3-mido.

#include <QByteArray>
#include <QStringList>

namespace stemship::test {

// "Name #RRGGBB" per folder track (a Track holding Tracks), sorted.
QStringList dawProjectFolders(const QByteArray &projectXml);

// "Name #RRGGBB" per track that opens a folder (ISBUS 1 1), sorted; PEAKCOL decoded from REAPER's encoding.
QStringList rppFolders(const QByteArray &rpp);

// "meter TICK N D", "tempo TICK BPM" (3 decimals), "marker TICK TEXT" per meta event of the first track, as
// Debian's python3 with mido (python3-mido) reads them; empty when that is not installed.
QStringList midoMetaEvents(const QString &midiPath);

}  // namespace stemship::test
