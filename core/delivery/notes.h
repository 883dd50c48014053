#pragma once

// NOTES.txt of a delivery: what a person opening the zip reads first.

#include "delivery/deliveryspec.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace stemship::delivery {

QString notesText(const DeliveryResult &result, const DeliverySpec &spec);
// NOTES' audit section: one finding a line (AuditReport::findingLines), "none" when the audit found nothing,
// nothing without an audit.
QString auditFindingsNotes(const std::optional<QStringList> &findings);

}  // namespace stemship::delivery
