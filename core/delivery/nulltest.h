#pragma once

// The null test of a delivery: sum of the delivered stems minus the delivered reference mix.

#include "util/cancel.h"
#include "util/error.h"

#include <QStringList>

#include <optional>

namespace stemship::delivery {

// RMS over all samples of all channels of (sum of stems - reference), in dBFS (-inf: a perfect null).
// Mono stems add equally to every reference channel; nullopt when a stem has more channels than the
// reference and cannot be folded into it.
Result<std::optional<double>> nullResidualDbfs(const QStringList &stemFiles, const QString &referenceFile,
                                               const CancelToken &cancel);

}  // namespace stemship::delivery
