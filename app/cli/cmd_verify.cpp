#include "cliutil.h"
#include "commands.h"

namespace stemship::cli {

// Placeholder until the verify command lands; exits as a usage error so no script mistakes it for success.
int runVerify(const QStringList &)
{
    printError(QStringLiteral("stemship verify: not available in this build yet"));
    return ExitUsage;
}

}  // namespace stemship::cli
