#pragma once

// The null test's figures as the contract's JSON keys, the same in the audit report and the delivery manifest.

#include "reference/nullforensics.h"

#include <QJsonObject>
#include <QJsonValue>

#include <optional>

namespace stemship::reference {

// null_residual_db, null_residual_relative_db, null_passed, best_fit_gain_db, residual_after_fit_db, and the
// additions null_threshold_db, mix_rms_dbfs, worst_residual_s, worst_residual_relative_db.
void insertNullFigures(QJsonObject &object, const NullForensics &null, double thresholdDb);

// offset_samples and polarity_inverted of one stem (null when unmeasured).
void insertStemFit(QJsonObject &object, std::optional<std::int64_t> offsetSamples, std::optional<bool> polarityInverted);

}  // namespace stemship::reference
