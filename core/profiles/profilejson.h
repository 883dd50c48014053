#pragma once

// A profile verdict as the contract's JSON object, for the audit report and the delivery manifest.

#include "profiles/deliveryprofile.h"

#include <QJsonObject>

namespace stemship::profiles {

// { "name", "passed", "rules": [ { "rule", "value", "limit", "passed", "unit" } ] }; value null for minus
// infinity; limit a number (a maximum or a required value), [min, max], or the allowed layouts.
QJsonObject verdictToJson(const ProfileVerdict &verdict);

}  // namespace stemship::profiles
