#pragma once

// Delivered stem file names from a template's delivery_pattern, portable to every file system.

#include "templates/sessiontemplate.h"

#include <QString>

namespace stemship::templates {

// Values of the pattern tokens {index} {index:02} {group} {name} {version} {title} {tempo}.
struct DeliveryTokens {
    int index = 1;       // 1-based stem number
    QString group;       // group name
    QString name;        // track name
    QString version;     // "v3", "2024-05-01", ...
    QString title;       // empty = the template's title
    double tempoBpm = 0; // 0 = the template's tempo
};

// Tokens for tmpl.tracks[trackIndex]: index trackIndex+1, its name and group name.
DeliveryTokens deliveryTokensForTrack(const SessionTemplate &tmpl, int trackIndex, const QString &version = {});

// The pattern (empty = tmpl.deliveryPattern) with tokens filled, made portable; no extension is added.
QString deliveryFileName(const SessionTemplate &tmpl, const QString &pattern, const DeliveryTokens &tokens);

// NFC; <>:"/\|?* and control characters become "_"; no leading spaces, no trailing dots or spaces; Windows
// device names (CON, NUL, COM1, ...) get a "_" prefix; at most 200 UTF-8 bytes; never empty.
QString portableFileName(const QString &name);

// Empty when pattern is usable, else what is wrong (unknown token, unclosed brace, no {name} or {index}).
QString checkDeliveryPattern(const QString &pattern);

}  // namespace stemship::templates
