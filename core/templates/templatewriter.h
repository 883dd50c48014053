#pragma once

// Writes a SessionTemplate as "stemship-template/1" JSON, keys in a reader-friendly order.

#include "templates/sessiontemplate.h"

#include <QByteArray>
#include <QJsonObject>

namespace stemship::templates {

QJsonObject templateToJsonObject(const SessionTemplate &tmpl);

// Indented UTF-8 JSON with a final newline; parseTemplate() reads it back to an equal template.
QByteArray templateToJson(const SessionTemplate &tmpl);

}  // namespace stemship::templates
