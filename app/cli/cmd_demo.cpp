#include "cliutil.h"
#include "commands.h"

namespace stemship::cli {

// Placeholder until the demo command lands; exits as a usage error so no script mistakes it for success.
int runDemo(const QStringList &)
{
    printError(QStringLiteral("stemship demo: not available in this build yet"));
    return ExitUsage;
}

}  // namespace stemship::cli
