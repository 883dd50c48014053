#pragma once

// The one way long work reports progress (audit, package, verify, the GUI's jobs): how much is done, 0..1, and
// what it is doing in words core chooses ("measuring", "3/12 stems"). Called on the caller's thread, never on a
// worker, so a terminal or a widget can take it directly.

#include <QString>

#include <functional>

namespace stemship {

using ProgressFn = std::function<void(double fraction, const QString &stage)>;

}  // namespace stemship
