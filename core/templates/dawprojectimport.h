#pragma once

// Learning a template from a DAWproject file: track names, colours, group/bus folders, sends, tempo.

#include "templates/sessiontemplate.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace stemship::templates {

// Reads project.xml (and metadata.xml when present) from the .dawproject zip, each entry read at most
// ImportLimits::maxProjectBytes however large its header claims it is.
Result<SessionTemplate> importDawProject(const QString &path);

// One entry of a .dawproject (or any zip), at most maxBytes inflated; Error when absent or larger.
Result<QByteArray> readDawProjectEntry(const QString &path, const QString &entryName, qint64 maxBytes);

// The same from the two XML documents; streaming (QXmlStreamReader), DTDs refused, depth and counts bounded.
Result<SessionTemplate> importDawProjectXml(const QByteArray &projectXml, const QByteArray &metadataXml, const QString &fileName);

}  // namespace stemship::templates
