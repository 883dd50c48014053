#pragma once

// The reference-mix options shared by `audit` and `package` (CLI-CONTRACT "Reference mix, null test and
// alignment forensics").

#include "audit/stemauditor.h"

#include <QList>
#include <QString>

#include <optional>

namespace stemship::cli {

// --reference MIX, --null-threshold DB, --require-null: nullopt with the line printed when MIX does not exist or
// DB is not a number (exit 2).
std::optional<audit::ReferenceOptions> referenceOptionsFrom(const QString &mix, const QString &threshold, bool requireNull,
                                                            const QString &command);

}  // namespace stemship::cli
