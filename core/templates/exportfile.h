#pragma once

// Atomic writes of exported files: a temporary beside the destination, verified, then renamed over it.

#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace stemship::templates {

Status writeFileAtomically(const QString &path, const QByteArray &data);

}  // namespace stemship::templates
