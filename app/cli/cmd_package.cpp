#include "cliutil.h"
#include "commands.h"

namespace stemship::cli {

// Placeholder until the package command lands; exits as a usage error so no script mistakes it for success.
int runPackage(const QStringList &)
{
    printError(QStringLiteral("stemship package: not available in this build yet"));
    return ExitUsage;
}

}  // namespace stemship::cli
