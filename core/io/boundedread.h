#pragma once

// Reading a small file (a template, a profile, a DAW project) whole, refusing what is too large before reading it.

#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace stemship::io {

// The bytes of the regular file at path, at most maxBytes. Errors name the file: "no such file" (not_found),
// "not a regular file" (a FIFO or device would block the read), tooLarge when over maxBytes, before reading or
// because it grew meanwhile, "cannot read: ..." (all unreadable).
Result<QByteArray> readBoundedFile(const QString &path, qint64 maxBytes, const QString &tooLarge);

}  // namespace stemship::io
