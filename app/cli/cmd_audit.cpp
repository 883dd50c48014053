#include "cliutil.h"
#include "commands.h"

namespace stemship::cli {

// Placeholder until the audit command lands; exits as a usage error so no script mistakes it for success.
int runAudit(const QStringList &)
{
    printError(QStringLiteral("stemship audit: not available in this build yet"));
    return ExitUsage;
}

}  // namespace stemship::cli
