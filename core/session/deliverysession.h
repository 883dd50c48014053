#pragma once

// `package --session`: the session files of the delivery being written, added at the zip's root through the
// packager's beforeAssembly hook (the same plan and writers as `stemship session`).

#include "delivery/deliveryspec.h"
#include "session/sessionwriter.h"
#include "util/error.h"

#include <QList>

namespace stemship::session {

// Fills result.extraFiles with "<title> v<version>.dawproject" / ".RPP" / " tempo.mid" for the delivered stems
// (and the reference, muted), laid out with the spec's template.
Status addSessionFiles(const delivery::DeliverySpec &spec, delivery::DeliveryResult &result, const QList<SessionFormat> &formats);

}  // namespace stemship::session
