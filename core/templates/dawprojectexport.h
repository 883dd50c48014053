#pragma once

// Export of a template as an empty DAWproject 1.0 session (bitwig/dawproject: project.xml + metadata.xml).

#include "templates/sessiontemplate.h"
#include "session/sessionplan.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace stemship::templates {

// project.xml: Transport (tempo, time signature), Structure (group buses as folder tracks holding what feeds
// them, aux returns with role "effect", tracks with destinations and sends, the master), and an Arrangement with
// one empty lane per track.
QByteArray dawProjectXml(const SessionTemplate &tmpl);
// The same for a session (the plan's layout): each track's lane holds its clip at beat 0 (time in beats, the
// audio's duration in seconds, no warps), muted tracks muted, a Bar 1 marker, tempo and meter automation.
QByteArray dawProjectXml(const session::SessionPlan &plan);

// metadata.xml: Title and Comment (the description).
QByteArray dawProjectMetadataXml(const SessionTemplate &tmpl);

// Writes the .dawproject zip to a temporary file beside path, then renames it over path.
Status exportDawProject(const SessionTemplate &tmpl, const QString &path);
// The zip itself (project.xml, metadata.xml): stored with the CRC and sizes in the local headers, no data
// descriptors (some importers mis-read them), written beside path and renamed over it.
Status writeDawProjectZip(const QString &path, const QByteArray &projectXml, const QByteArray &metadataXml);
// The zip's bytes (errors name path).
Result<QByteArray> dawProjectZip(const QByteArray &projectXml, const QByteArray &metadataXml, const QString &path);

}  // namespace stemship::templates
