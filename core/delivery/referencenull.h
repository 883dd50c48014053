#pragma once

// The delivery's null test (CLI-CONTRACT "Reference mix, null test and alignment forensics"): the measured stems
// against the measured reference, on the delivery timeline at the delivery rate and before delivery gain, so the
// verdict does not depend on --gain. With --align-to-reference the stems are then moved and polarity-corrected, and
// the verdict describes the aligned delivery.

#include "delivery/deliveryspec.h"
#include "delivery/stemrender.h"
#include "reference/nullforensics.h"

#include <functional>
#include <vector>

namespace stemship::delivery {

// Errors: a reference the stems cannot add up to, or far shorter than them (code "unreadable": exit 1, naming it).
Result<reference::NullForensics> nullTestMeasured(const std::vector<const MeasuredStem *> &stems, const MeasuredStem &mix,
                                                  const QString &mixDisplayPath, const DeliverySpec &spec, const CancelToken &cancel,
                                                  const std::function<void(double)> &progress);

// Shifts each measured stem by its offset (earlier when late) and flips it when its polarity is inverted.
void alignToReference(const std::vector<MeasuredStem *> &stems, const reference::NullForensics &null);

// The gain of the delivered reference: its own, 0 dB unless the ceiling lowers it (never clipped).
gain::StemGain referenceGain(const MeasuredStem &mix, double ceilingDbtp);

// The delivered reference with its verdict; fills each delivered stem's offset, polarity and what aligning did.
DeliveredReference deliveredReference(const QString &file, const QString &source, const gain::StemGain &gain,
                                      const reference::NullForensics &null, const DeliverySpec &spec, QList<DeliveredStem> *stems);

// The null-test lines of NOTES.txt and the one-line reason of a --require-null failure.
QStringList nullNotes(const DeliveryResult &result);
QString nullFailure(const reference::NullForensics &null, double thresholdDb, const QString &mixDisplayPath);

}  // namespace stemship::delivery
