#pragma once

// Export of a template as an empty DAWproject 1.0 session (bitwig/dawproject: project.xml + metadata.xml).

#include "templates/sessiontemplate.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace stemship::templates {

// project.xml: Transport (tempo, time signature), Structure (group buses as folder tracks holding what feeds
// them, aux returns with role "effect", tracks with destinations and sends, the master), and an Arrangement with
// one empty lane per track.
QByteArray dawProjectXml(const SessionTemplate &tmpl);

// metadata.xml: Title and Comment (the description).
QByteArray dawProjectMetadataXml(const SessionTemplate &tmpl);

// Writes the .dawproject zip to a temporary file beside path, then renames it over path.
Status exportDawProject(const SessionTemplate &tmpl, const QString &path);

}  // namespace stemship::templates
